"""The blog's public pages in a real browser, on a phone and on a desktop."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.blog.images import image_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = """
<p>Wer morgens steif aus dem Bett steigt, kennt das Gefühl: Der untere Rücken meldet sich,
bevor der Kaffee fertig ist. Fünf ruhige Minuten Bewegung können daran viel ändern.</p>
<h2>Warum der Rücken morgens steif ist</h2>
<p>In der Nacht bewegen wir uns wenig. Die Bandscheiben nehmen Flüssigkeit auf, das
Bindegewebe wird weniger geschmeidig. Das ist normal und kein Grund zur Sorge.</p>
<ul><li>Langsam beginnen</li><li>Atmen nicht vergessen</li><li>Nichts erzwingen</li></ul>
<blockquote><p>Bewegung ist das beste Schmiermittel für deine Gelenke.</p></blockquote>
<h3>Die erste Übung: Katze und Kuh</h3>
<p>Im Vierfüßlerstand rollst du die Wirbelsäule abwechselnd rund und hohl, ganz im Rhythmus
deines Atems. Zehn Wiederholungen genügen für den Anfang.</p>
"""


@pytest.fixture
def blog(live_server):
    category = CategoryFactory(name="Rücken", slug="ruecken")
    tags = [TagFactory(name="Morgenroutine"), TagFactory(name="Mobilisation")]
    now = timezone.now()
    colours = [(46, 110, 102), (168, 70, 47), (214, 180, 120), (90, 120, 160)]
    articles = [
        ArticleFactory(
            title=title,
            teaser="Fünf Minuten, die deinen Rücken durch den Tag tragen – ohne Geräte, "
            "ohne Stress, direkt neben dem Bett.",
            body=BODY,
            category=category,
            tags=tags,
            cover_image=image_file(f"titel-{number}.jpg", size=(1600, 1067), color=colour),
            cover_alt=f"Illustration zu {title}",
            cover_credit="Illustration: feelmove, CC BY 3.0",
            published_at=now - timedelta(days=number + 1),
        )
        for number, (title, colour) in enumerate(
            zip(
                [
                    "Der Rücken am Morgen: fünf Minuten, die den Tag verändern",
                    "Faszien verstehen",
                    "Hüftbeuger dehnen im Büro",
                    "Schultern mobilisieren",
                ],
                colours,
                strict=True,
            )
        )
    ]
    return live_server, articles


def open_page(browser, url, width):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, problems


def load_lazy_images(page):
    """Scroll through the page so that lazy images load before a full-page screenshot."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += 400) {
                window.scrollTo(0, y);
                await new Promise((resolve) => setTimeout(resolve, 30));
            }
            window.scrollTo(0, 0);
        }"""
    )
    page.wait_for_load_state("networkidle")


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1280])
def test_the_home_page_shows_cards_with_responsive_covers(blog, browser, screenshot, width):
    server, articles = blog
    context, page, problems = open_page(browser, server.url + "/", width)

    cards = page.locator("article.article-card")
    assert cards.count() == 4
    first_title = cards.first.get_by_role("heading", level=2)
    assert first_title.inner_text() == articles[0].title
    assert cards.first.get_by_text("Rücken", exact=True).is_visible()
    image = cards.first.locator("img")
    assert image.get_attribute("fetchpriority") == "high"
    # The browser picked a WebP rendition, sized for the viewport, and it loaded.
    assert image.evaluate("img => img.currentSrc").endswith(".webp")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    if width == 390:
        assert image.evaluate("img => img.naturalWidth") <= 800
    assert cards.nth(2).locator("img").get_attribute("loading") == "lazy"
    load_lazy_images(page)
    screenshot(page, f"blog-home-{width}")
    assert fits(page, width)
    assert problems == []
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_article_page_reads_well_with_cover_credit_related_and_pager(
    blog, browser, screenshot, width
):
    server, articles = blog
    article = articles[1]
    context, page, problems = open_page(browser, server.url + article.get_absolute_url(), width)

    assert page.get_by_role("heading", level=1).inner_text() == article.title
    assert page.get_by_text("Von Jana Berger").is_visible()
    assert page.get_by_text("Illustration: feelmove, CC BY 3.0").is_visible()
    cover = page.locator(".article-cover img")
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_role("heading", name="Warum der Rücken morgens steif ist").is_visible()
    assert page.get_by_role("link", name="Morgenroutine").is_visible()
    assert page.get_by_role("heading", name="Verwandte Artikel").is_visible()
    assert page.locator(".related-card").count() == 3
    assert page.locator("a[rel=prev]").is_visible() and page.locator("a[rel=next]").is_visible()
    load_lazy_images(page)
    screenshot(page, f"blog-article-{width}")
    assert fits(page, width)
    assert problems == []

    page.locator("a[rel=next]").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == articles[0].title
    context.close()


def test_the_search_page_finds_an_article_and_says_kindly_when_nothing_matches(
    blog, browser, screenshot
):
    server, _articles = blog
    context, page, problems = open_page(browser, server.url + "/suche/", 390)

    page.get_by_label("Wonach suchst du?").fill("Hüftbeuger")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Ein Artikel gefunden für „Hüftbeuger“.").is_visible()
    assert page.get_by_role("link", name="Hüftbeuger dehnen im Büro", exact=True).is_visible()

    page.goto(server.url + "/suche/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert page.get_by_text("Nichts gefunden").is_visible()
    screenshot(page, "blog-search-390")
    assert fits(page, 390)
    assert problems == []
    context.close()
