"""The reader's path on a phone in Chromium: a rejected comment lands at the form, remembered
fields, no sideways scrolling with long words, tap targets, alt texts and share links that load
nothing from elsewhere."""

import re
from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment
from core.antispam import new_form_token
from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.blog.images import image_file
from tests.comments.factories import CommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG_WORD = "Rückenschmerzfaszienrollenmobilisationsübungsanleitungsheftchen"  # 63 letters
assert len(LONG_WORD) >= 60


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="de-DE", viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def settings_for_comments(settings):
    settings.RATE_LIMITS = False
    return settings


def discussion(article, count=6):
    """Enough comments that the form is far below the first screen."""
    return [
        CommentFactory(
            article=article,
            name=f"Leserin {n}",
            body="Danke für den Artikel! Ich habe die Übung ausprobiert.\n" * 3,
        )
        for n in range(count)
    ]


def form_field(page, label):
    return page.locator("form.comment-form").get_by_role("textbox", name=label, exact=True)


def focused(page) -> dict:
    """Where the focus is once the browser has scrolled there (Bootstrap scrolls smoothly)."""
    page.wait_for_load_state()
    page.wait_for_function(
        """() => {
            const el = document.activeElement;
            if (el === document.body) return false;
            const box = el.getBoundingClientRect();
            return box.bottom > 0 && box.top < innerHeight;
        }""",
        timeout=5000,
    )
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            return {
                name: el.getAttribute("name"), tag: el.outerHTML.slice(0, 120),
                message: el.hasAttribute("data-form-message") || el.classList.contains("alert"),
                text: el.textContent,
                top: box.top, bottom: box.bottom, height: innerHeight,
            };
        }"""
    )


def send_at_once(page):
    """Send the form as if it had been rendered a moment ago (the form refuses under 3 s)."""
    page.locator('form.comment-form input[name="ts"]').evaluate(
        "(input, token) => { input.value = token; }", new_form_token()
    )
    page.get_by_role("button", name="Kommentar senden").click()


def in_viewport(box: dict) -> bool:
    return box["bottom"] > 0 and box["top"] < box["height"]


def test_a_too_quick_reply_comes_back_at_the_form_with_focus_on_the_message_and_all_kept(
    site, phone, screenshot, settings_for_comments
):
    article = ArticleFactory(slug="ruecken-am-morgen", title="Der Rücken am Morgen")
    comments = discussion(article)
    question = comments[1]
    phone.goto(site.url + article.get_absolute_url())

    phone.locator(f"#kommentar-{question.pk} .comment-reply-link").click()
    form_field(phone, "Name").fill("Tom Meier")
    form_field(phone, "E-Mail-Adresse").fill("tom@example.org")
    form_field(phone, "Website").fill("https://tom.example.org")
    form_field(phone, "Kommentar").fill("Wie lange soll ich die Dehnung halten?")
    send_at_once(phone)

    expect(phone.get_by_text("Das ging sehr schnell.")).to_be_visible()
    assert urlsplit(phone.url).fragment == "kommentar-formular"
    where = focused(phone)
    assert where["message"], where
    assert "Das ging sehr schnell." in where["text"]
    assert in_viewport(where)
    # Everything typed is still there, and it is still an answer to the same comment.
    assert form_field(phone, "Name").input_value() == "Tom Meier"
    assert form_field(phone, "E-Mail-Adresse").input_value() == "tom@example.org"
    assert form_field(phone, "Website").input_value() == "https://tom.example.org"
    assert form_field(phone, "Kommentar").input_value() == "Wie lange soll ich die Dehnung halten?"
    assert phone.locator('input[name="parent"]').input_value() == str(question.pk)
    expect(phone.locator(f"#kommentar-{question.pk} .comment-form-wrap")).to_be_visible()
    expect(phone.locator(".comment-replying")).to_contain_text("Leserin 1")
    screenshot(phone, "reader-1-too-quick-390")

    phone.wait_for_timeout(3200)  # the form's minimum time
    phone.get_by_role("button", name="Kommentar senden").click()
    expect(phone.get_by_text("Danke für deinen Kommentar!")).to_be_visible()
    assert Comment.objects.get(name="Tom Meier").parent == question


def test_a_field_error_comes_back_with_focus_on_that_field_on_a_phone(
    site, phone, screenshot, settings_for_comments
):
    article = ArticleFactory(slug="faszien-verstehen")
    discussion(article)
    phone.goto(site.url + article.get_absolute_url())

    form_field(phone, "Name").fill("Maria")
    form_field(phone, "E-Mail-Adresse").fill("maria@example.org")
    form_field(phone, "Website").fill("https://maria.example.org")
    form_field(phone, "Kommentar").fill("   ")  # the browser lets blanks through; the server not
    phone.wait_for_timeout(3200)
    phone.get_by_role("button", name="Kommentar senden").click()

    expect(phone.get_by_text("Bitte schreib einen Kommentar.")).to_be_visible()
    assert urlsplit(phone.url).fragment == "kommentar-formular"
    where = focused(phone)
    assert where["name"] == "body"
    assert in_viewport(where)
    assert form_field(phone, "Name").input_value() == "Maria"
    assert form_field(phone, "Website").input_value() == "https://maria.example.org"
    body = form_field(phone, "Kommentar")
    assert body.get_attribute("aria-invalid") == "true"
    described = body.get_attribute("aria-describedby").split()
    assert (
        phone.locator(f"#{described[0]}").inner_text().strip() == "Bitte schreib einen Kommentar."
    )
    screenshot(phone, "reader-2-field-error-390")


def test_a_rejected_comment_without_javascript_still_lands_at_the_form(
    site, browser, settings_for_comments
):
    article = ArticleFactory(slug="ohne-skript")
    discussion(article)
    context = browser.new_context(locale="de-DE", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + article.get_absolute_url())
    form_field(page, "Name").fill("Maria")
    form_field(page, "E-Mail-Adresse").fill("maria@example.org")
    form_field(page, "Kommentar").fill("   ")
    page.get_by_role("button", name="Kommentar senden").click()

    expect(page.get_by_text("Bitte schreib einen Kommentar.")).to_be_visible()
    # The form's address ends in its anchor: the browser shows the form, not the page's top.
    assert urlsplit(page.url).fragment == "kommentar-formular"
    page.wait_for_load_state()
    form_top = """() => {
        const box = document.querySelector("#kommentar-formular").getBoundingClientRect();
        return scrollY > 0 && box.top >= -1 && box.top < innerHeight / 2;
    }"""
    # Polled from here: wait_for_function needs the page's own JavaScript (off here), and the
    # browser scrolls there smoothly.
    for _ in range(50):
        if page.evaluate(form_top):
            break
        page.wait_for_timeout(100)
    assert page.evaluate(form_top)
    expect(page.locator("[data-remember]")).to_be_hidden()  # nothing to remember without script
    context.close()


def test_ticked_the_fields_are_remembered_for_the_next_article_and_unticking_forgets_them(
    site, browser, settings_for_comments
):
    first = ArticleFactory(slug="erster-artikel")
    second = ArticleFactory(slug="zweiter-artikel")
    context = browser.new_context(locale="de-DE", viewport=PHONE)
    page = context.new_page()
    page.goto(site.url + first.get_absolute_url())

    remember = page.get_by_role(
        "checkbox", name="Name, E-Mail und Website in diesem Browser speichern"
    )
    expect(remember).not_to_be_checked()
    form_field(page, "Name").fill("Maria Schulz")
    form_field(page, "E-Mail-Adresse").fill("maria@example.org")
    form_field(page, "Website").fill("https://maria.example.org")
    form_field(page, "Kommentar").fill("Danke, das hilft mir sehr.")
    remember.check()
    page.wait_for_timeout(3200)
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.get_by_text("Danke für deinen Kommentar!")).to_be_visible()

    page.goto(site.url + second.get_absolute_url())
    expect(form_field(page, "Name")).to_have_value("Maria Schulz")
    expect(form_field(page, "E-Mail-Adresse")).to_have_value("maria@example.org")
    expect(form_field(page, "Website")).to_have_value("https://maria.example.org")
    expect(form_field(page, "Kommentar")).to_have_value("")
    expect(remember).to_be_checked()
    # Kept in the browser only: no cookie carries them (cached pages stay cacheable).
    for cookie in context.cookies():
        assert "Maria" not in cookie["value"] and "maria" not in cookie["value"]

    remember.uncheck()
    assert page.evaluate("localStorage.length") == 0
    page.reload()
    expect(form_field(page, "Name")).to_have_value("")
    expect(form_field(page, "E-Mail-Adresse")).to_have_value("")
    expect(remember).not_to_be_checked()
    context.close()


@pytest.fixture
def long_words(site):
    """A long title, a long category and tag, comments with 60-letter words and URLs."""
    src = default_storage.url(
        default_storage.save("uploads/2026/11/matte.jpg", image_file("matte.jpg", size=(900, 600)))
    )
    category = CategoryFactory(name=f"Kategorie{LONG_WORD}", slug="lang")
    tag = TagFactory(name=f"Schlagwort{LONG_WORD}", slug="langes-wort")
    now = timezone.now()
    article = ArticleFactory(
        title=f"Die {LONG_WORD} für den Alltag",
        slug="lange-woerter",
        category=category,
        tags=[tag],
        teaser=f"Ein {LONG_WORD} im Vorspann.",
        body=(
            f"<p>Im Text: {LONG_WORD}{LONG_WORD} und https://example.org/{LONG_WORD}/{LONG_WORD}</p>"
            f'<p><a href="https://example.org/{LONG_WORD}">https://example.org/{LONG_WORD}</a></p>'
            f'<figure class="image"><img src="{src}"></figure>'
        ),
        published_at=now - timedelta(hours=1),
    )
    for n in range(12):  # a second list page, for the pager
        ArticleFactory(category=category, tags=[tag], published_at=now - timedelta(days=n + 1))
    CommentFactory(
        article=article,
        name=f"Maria{LONG_WORD}",
        url=f"https://example.org/{LONG_WORD}",
        body=f"{LONG_WORD}{LONG_WORD}\nhttps://example.org/{LONG_WORD}/{LONG_WORD}",
    )
    for n in range(4):
        CommentFactory(article=article, name=f"Leser {n}", body="Kurz und gut.")
    return site, article


def list_pages(article) -> list[str]:
    year = article.published_at.year
    return [
        "/",
        "/?page=2",
        "/blog/kategorie/lang/",
        "/blog/tag/langes-wort/",
        f"/blog/archiv/{year}/",
        "/suche/?q=" + quote(LONG_WORD),
    ]


def test_long_words_never_make_a_page_wider_than_a_phone(long_words, phone, screenshot):
    site, article = long_words
    for path in [article.get_absolute_url(), *list_pages(article)]:
        phone.goto(site.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide"
    phone.goto(site.url + article.get_absolute_url())
    expect(phone.locator(".comment-author").first).to_contain_text(f"Maria{LONG_WORD}")
    screenshot(phone, "reader-3-long-words-390")


SMALL_LINKS = [
    ".comment-reply-link",
    ".comment-date",
    ".comment-author a",
    ".comment-pager-list a",
    ".tag-link",
    ".share-link",
    ".archive-list a",
    ".site-footer a",
    ".pagination a",
    ".list-eyebrow a",
]


def test_small_links_are_at_least_24_pixels_to_tap(long_words, phone, settings):
    site, article = long_words
    settings.COMMENTS_PER_PAGE = 2  # a comment pager too
    measured = set()
    for path in [article.get_absolute_url(), "/"]:
        phone.goto(site.url + path)
        for selector in SMALL_LINKS:
            for box in phone.locator(selector).evaluate_all(
                "els => els.filter(e => e.offsetParent !== null)"
                ".map(e => { const r = e.getBoundingClientRect();"
                " return {w: r.width, h: r.height, text: e.textContent.trim()}; })"
            ):
                measured.add(selector)
                assert box["h"] >= 24 and box["w"] >= 24, (path, selector, box)
    assert measured == set(SMALL_LINKS)


def test_every_image_on_public_pages_has_an_alt_attribute(long_words, phone):
    site, article = long_words
    phone.goto(site.url + article.get_absolute_url())
    assert phone.locator(".prose img").count() >= 1
    for path in [article.get_absolute_url(), *list_pages(article), "/newsletter/"]:
        phone.goto(site.url + path)
        without = phone.locator("img:not([alt])").evaluate_all("els => els.map(e => e.src)")
        assert without == [], path


def test_share_links_are_plain_links_and_the_page_asks_no_other_host(
    site, browser, screenshot, settings_for_comments
):
    settings_for_comments.SITE_URL = site.url  # the address the links share
    article = ArticleFactory(slug="dehnen-im-buero", title="Dehnen im Büro & zu Hause?")
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site.url + article.get_absolute_url())
    page.wait_for_load_state("networkidle")

    own = urlsplit(site.url).netloc
    assert requests and all(urlsplit(url).netloc == own for url in requests), requests
    url = quote(f"{site.url}{article.get_absolute_url()}", safe="")
    title = quote(article.title, safe="")
    share = page.get_by_role("region", name="Diesen Artikel teilen")
    expected = {
        "WhatsApp": f"https://wa.me/?text={title}%20{url}",
        "Facebook": f"https://www.facebook.com/sharer/sharer.php?u={url}",
        "Pinterest": f"https://www.pinterest.com/pin/create/button/?url={url}&description={title}",
        "X": f"https://x.com/intent/post?url={url}&text={title}",
        "E-Mail": f"mailto:?subject={title}&body={url}",
    }
    for name, href in expected.items():
        link = share.get_by_role("link", name=re.compile(f"^{name}\\b"))
        assert link.get_attribute("href") == href
        assert link.get_attribute("rel") == "noopener noreferrer"
    assert share.locator("script, img, iframe").count() == 0

    copy = share.get_by_role("button", name="Link kopieren")
    copy.click()
    expect(share.get_by_role("status")).to_have_text("Link kopiert")
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"{site.url}{article.get_absolute_url()}"
    )
    assert all(urlsplit(url).netloc == own for url in requests), requests
    screenshot(page, "reader-4-share-links-1280")
    context.close()

    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + article.get_absolute_url())
    expect(page.locator(".share-copy")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshot_of_the_article_page_with_a_rejected_comment(
    long_words, browser, screenshot, settings_for_comments, width
):
    site, article = long_words
    ArticleFactory(published_at=timezone.now().replace(year=timezone.now().year - 1))
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site.url + article.get_absolute_url())
    form_field(page, "Name").fill("Tom")
    form_field(page, "E-Mail-Adresse").fill("tom@example.org")
    form_field(page, "Kommentar").fill("Schnell noch eine Frage.")
    send_at_once(page)
    expect(page.get_by_text("Das ging sehr schnell.")).to_be_visible()
    expect(page.locator(".archive-list li")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(
        path=str(screenshot(page, f"reader-5-rejected-{width}")).replace(".png", "-viewport.png")
    )
    context.close()


def test_the_rejected_form_with_its_messages_and_the_share_links_pass_axe(
    site, browser, settings_for_comments
):
    from axe_playwright_python.sync_playwright import Axe

    article = ArticleFactory(slug="axe-pruefung")
    discussion(article, count=2)
    # axe is injected by evaluate(); only this context lets it past the CSP.
    context = browser.new_context(locale="de-DE", viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(site.url + article.get_absolute_url())
    form_field(page, "Name").fill("Maria")
    form_field(page, "E-Mail-Adresse").fill("maria@example.org")
    form_field(page, "Kommentar").fill("   ")
    send_at_once(page)
    expect(page.get_by_text("Das ging sehr schnell.")).to_be_visible()
    expect(page.get_by_text("Bitte schreib einen Kommentar.")).to_be_visible()

    violations = [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    context.close()
    assert violations == []
