"""The author writes, illustrates and publishes an article with CKEditor 5 in a real browser."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from blog.models import Article, Category
from tests.browser.support import CSP_WATCH, csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ein-langes-Passwort-für-Jana"
TITLE = "Rücken & Füße: gut für dich"


@pytest.fixture
def author(django_user_model):
    return django_user_model.objects.create_superuser(
        "jana", "jana@example.org", PASSWORD, first_name="Jana", last_name="Berger"
    )


@pytest.fixture
def author_page(browser, site, author):
    """A browser tab logged into the admin, recording CSP violations, errors and dialogs."""
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.add_init_script(CSP_WATCH)
    page.problems = []
    page.dialogs = []
    page.on(
        "console",
        lambda message: (
            page.problems.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    page.goto(site.url + "/admin/login/")
    page.fill("#id_username", "jana")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site.url + "/admin/")
    yield page
    context.close()


def assert_no_csp_trouble(page):
    violations = csp_violations(page)
    assert violations == [], violations
    assert page.problems == [], page.problems


def photo_with_gps(path):
    image = Image.new("RGB", (2600, 1600), (52, 110, 100))
    image.paste((230, 170, 90), (200, 300, 1400, 1300))
    exif = Image.Exif()
    exif[0x0112] = 1
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    image.save(path, format="JPEG", exif=exif, quality=90)
    return path


def training_plan_pdf(path):
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return path


def wait_until(page, condition, seconds=10.0):
    """Let the browser work until `condition()` (a check in Python) holds.

    Not page.wait_for_function(): its polling evaluates a string in the page, which the admin's
    CSP (no 'unsafe-eval') rightly refuses."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(100)


def editor_data(page) -> str:
    return page.evaluate("window.editors['id_body'].getData()")


def test_the_author_writes_illustrates_publishes_and_opens_an_article(
    author_page, site, tmp_path, screenshot, media_root
):
    page = author_page
    Category.objects.create(name="Rücken", slug="ruecken")

    page.goto(site.url + "/admin/blog/article/add/")
    editable = page.locator(".ck-editor__editable")
    editable.wait_for()

    # Title: the slug follows, with German umlauts spelt out.
    page.locator("#id_title").press_sequentially(TITLE)
    assert page.input_value("#id_slug") == "ruecken-fuesse-gut-fuer-dich"
    page.fill("#id_teaser", "Kleine Übungen für jeden Tag.")

    # Text and a heading made with the heading dropdown.
    editable.click()
    page.keyboard.type("Warum Bewegung hilft")
    page.click(".ck-heading-dropdown .ck-dropdown__button")
    page.locator(
        ".ck-heading-dropdown .ck-list__item button", has_text="Zwischenüberschrift"
    ).click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Wer sich jeden Tag ein wenig bewegt, hat weniger Schmerzen. ")

    # A PDF through our toolbar button: uploaded and linked at the cursor.
    assert page.locator(".blog-file-link-button").get_attribute("data-cke-tooltip-text") == (
        "PDF hochladen und verlinken"
    )
    page.locator(".blog-file-link-input").set_input_files(
        training_plan_pdf(tmp_path / "Übungsplan Rücken.pdf")
    )
    page.locator(".ck-editor__editable a[href$='.pdf']").wait_for()
    page.keyboard.type(" zum Ausdrucken.")
    page.keyboard.press("Enter")

    # An image through the editor's own upload button, then its alt text and caption.
    page.locator(".ck-toolbar .ck-file-dialog-button input[type=file]").set_input_files(
        photo_with_gps(tmp_path / "IMG_2041.jpg")
    )
    image = page.locator(".ck-editor__editable figure.image img[src*='/media/uploads/']")
    image.wait_for()
    wait_until(page, lambda: page.evaluate(
        "document.querySelector('.ck-editor__editable figure.image img').naturalWidth > 0"
    ))  # fmt: skip
    image.click()
    page.locator(".ck-balloon-panel button[data-cke-tooltip-text='Alternativtext ändern']").click()
    page.keyboard.type("Eine Frau dehnt sich auf einer Matte")
    page.keyboard.press("Enter")
    image.click()
    page.locator(
        ".ck-balloon-panel button[data-cke-tooltip-text='Bildunterschrift hinzufügen']"
    ).click()
    page.keyboard.type("Dehnen am Morgen · Foto: Anna Muster, CC BY 3.0")

    data = editor_data(page)
    assert "<h2>Warum Bewegung hilft</h2>" in data
    assert re.search(r'<a href="/media/uploads/\d{4}/\d{2}/[0-9a-f]{32}\.pdf">', data)
    assert "<figcaption>Dehnen am Morgen" in data

    # Publish it in the same form.
    page.select_option("#id_status", "published")
    page.select_option("#id_category", label="Rücken")
    screenshot(page, "blog-admin-editor")
    page.click("input[name=_continue]")
    page.locator(".blog-state--public").wait_for()
    assert "erfolgreich hinzugefügt" in page.locator("ul.messagelist").inner_text()
    screenshot(page, "blog-admin-saved")

    article = Article.objects.get()
    assert article.title == TITLE
    assert article.is_public
    assert article.author.username == "jana"
    assert article.category.slug == "ruecken"
    assert 'alt="Eine Frau dehnt sich auf einer Matte"' in article.body
    assert "style=" not in article.body  # the editor's inline sizes do not reach the site

    # The uploaded photo lost its GPS data and was shrunk.
    src = re.search(r'<img src="(/media/uploads/[^"]+\.jpg)"', article.body).group(1)
    with Image.open(media_root / src.removeprefix("/media/")) as stored:
        assert max(stored.size) == 2000
        assert not stored.getexif()

    # The list shows it online, next to a scheduled article and a draft.
    Article.objects.create(
        title="Faszien im Herbst",
        author=article.author,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=7),
    )
    Article.objects.create(title="Halbfertige Gedanken", author=article.author)
    page.goto(site.url + "/admin/blog/article/")
    assert "Online" in page.locator("#result_list tbody tr", has_text=TITLE).inner_text()
    scheduled = page.locator("#result_list tbody tr", has_text="Faszien im Herbst").inner_text()
    assert "Geplant" in scheduled and "geplant" in scheduled
    assert "Entwurf" in page.locator("#result_list tbody tr", has_text="Halbfertige").inner_text()
    screenshot(page, "blog-admin-list")

    # And readers find it on the site.
    page.goto(site.url + article.get_absolute_url())
    assert page.locator("h1").first.inner_text() == TITLE
    assert page.get_by_role("heading", name="Warum Bewegung hilft").is_visible()
    assert page.locator("figure img[alt='Eine Frau dehnt sich auf einer Matte']").count() == 1
    wait_until(page, lambda: page.evaluate(
        "[...document.querySelectorAll('figure img')].every((img) => img.naturalWidth > 0)"
    ))  # fmt: skip
    assert "Foto: Anna Muster, CC BY 3.0" in page.locator("figcaption").last.inner_text()
    assert page.get_by_role("link", name="Übungsplan Rücken (PDF)").count() == 1
    screenshot(page, "blog-admin-article-on-site")

    assert page.dialogs == []
    assert_no_csp_trouble(page)


def test_a_file_that_is_not_an_image_is_refused_in_the_editor_with_a_clear_message(
    author_page, site, tmp_path, media_root
):
    page = author_page
    page.goto(site.url + "/admin/blog/article/add/")
    page.locator(".ck-editor__editable").wait_for()

    fake = tmp_path / "urlaub.jpg"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.locator(".ck-toolbar .ck-file-dialog-button input[type=file]").set_input_files(fake)
    wait_until(page, lambda: page.dialogs)
    assert "enthält HTML" in page.dialogs[0]
    wait_until(page, lambda: page.evaluate(
        "!document.querySelector('.ck-editor__editable .ck-image-upload-placeholder')"
    ))  # fmt: skip
    assert "<img" not in editor_data(page)
    assert not media_root.exists() or not any(media_root.rglob("*.jpg"))

    # A "PDF" that is none gets the same kind of answer from the PDF button.
    page.locator(".blog-file-link-input").set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": b"kein PDF"}]
    )
    wait_until(page, lambda: len(page.dialogs) == 2)
    assert "kein gültiges PDF" in page.dialogs[1]
    assert ".pdf" not in editor_data(page)
    assert_no_csp_trouble(page)


def test_the_admin_pages_of_the_blog_run_without_csp_violations(author_page, site, author):
    """The tightened admin CSP holds on every blog admin page, not only on the editor."""
    page = author_page
    category = Category.objects.create(name="Faszien", slug="faszien")
    article = Article.objects.create(
        title="Faszien verstehen", author=author, category=category, body="<p>Text</p>"
    )
    Article.objects.create(title="Faszienrolle", author=author, body="<p>Text</p>")
    for path in (
        "/admin/",
        "/admin/blog/article/",
        "/admin/blog/article/?state=draft",
        f"/admin/blog/article/{article.pk}/change/",
        "/admin/blog/category/add/",
        "/admin/blog/tag/",
    ):
        page.goto(site.url + path)
        page.wait_for_load_state("load")
    # The autocomplete for related articles (select2) works under the policy too.
    page.goto(site.url + f"/admin/blog/article/{article.pk}/change/")
    page.locator(".field-related .select2-selection").click()
    page.locator(".select2-results__option", has_text="Faszienrolle").wait_for()
    assert_no_csp_trouble(page)


def mark_link(page, text, url, switch):
    """Select `text` in the editor, link it to `url` and turn on the link style `switch`."""
    page.locator(".ck-editor__editable p", has_text=text).click()
    page.evaluate(
        """(text) => {
            const editor = document.querySelector('.ck-editor__editable').ckeditorInstance;
            editor.model.change((writer) => {
                for (const item of editor.model.createRangeIn(editor.model.document.getRoot())
                    .getItems()) {
                    if (item.is('$textProxy') && item.data.includes(text)) {
                        const start = item.startOffset + item.data.indexOf(text);
                        const parent = item.parent;
                        writer.setSelection(writer.createRange(
                            writer.createPositionAt(parent, start),
                            writer.createPositionAt(parent, start + text.length)));
                        return;
                    }
                }
            });
        }""",
        text,
    )
    page.keyboard.press("Control+k")
    page.keyboard.type(url)
    page.keyboard.press("Enter")
    page.locator(".ck-editor__editable a", has_text=text).click()
    page.locator(
        ".ck-balloon-panel_visible button[data-cke-tooltip-text='Linkeigenschaften']"
    ).click()
    page.locator(".ck-balloon-panel_visible .ck-switchbutton", has_text=switch).click()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")


def test_the_author_marks_a_conversation_button_and_a_paid_link_and_readers_see_the_note(
    author_page, site, screenshot
):
    page = author_page
    page.goto(site.url + "/admin/blog/article/add/")
    editable = page.locator(".ck-editor__editable")
    editable.wait_for()
    page.fill("#id_title", "Meine Rolle")
    editable.click()
    page.keyboard.type("Diese Rolle mag ich.")
    page.keyboard.press("Enter")
    page.keyboard.type("Gespräch vereinbaren")
    mark_link(page, "Diese Rolle", "https://shop.example/rolle", "Werbelink")
    mark_link(page, "Gespräch vereinbaren", "/kontakt/", "Gesprächs-Button")
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    page.locator(".blog-state--public").wait_for()

    article = Article.objects.get()
    assert '<a class="cta-button" href="/kontakt/">Gespräch vereinbaren</a>' in article.body
    assert 'rel="sponsored noopener"' in article.body
    assert article.body.count('<span class="paid-note">(Werbung)</span>') == 1

    # Saved again from the editor (which hands the note back as text): still one note.
    page.reload()
    page.locator(".ck-editor__editable").wait_for()
    page.click("input[name=_continue]")
    page.locator(".blog-state--public").wait_for()
    article.refresh_from_db()
    assert article.body.count("(Werbung)") == 1

    page.goto(site.url + article.get_absolute_url())
    paid = page.locator(".prose a.sponsored")
    assert paid.get_attribute("rel") == "sponsored noopener"
    assert page.locator(".prose .paid-note").inner_text() == "(Werbung)"
    assert page.locator(".prose a.cta-button").get_attribute("href") == "/kontakt/"
    screenshot(page, "blog-link-styles-on-site")
    assert_no_csp_trouble(page)
