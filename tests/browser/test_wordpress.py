"""A site moved in from WordPress, read in Chromium: an old address, the article it leads to."""

from urllib.parse import urlsplit

import pytest

from tests.browser.support import CSP_WATCH, csp_violations
from tests.wordpress.support import make_uploads, run_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def moved_in(site, tmp_path):
    run_import("--uploads", make_uploads(tmp_path / "wp-content" / "uploads"))
    return site


def test_an_old_address_opens_the_imported_article_with_its_images_and_threads(
    moved_in, browser, screenshot
):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    hosts, problems = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    response = page.goto(moved_in.url + "/2018/01/faszien-verstehen/")
    assert response.url == moved_in.url + "/blog/faszien-verstehen/"
    assert response.request.redirected_from.response().status == 301
    page.wait_for_load_state("networkidle")

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Faszien verstehen & lockern"
    assert page.get_by_text("Foto: Anna Muster, CC BY 3.0").first.is_visible()
    figure = page.locator(".prose figure").first
    figure.scroll_into_view_if_needed()
    assert figure.locator("figcaption").inner_text() == "Die Rolle für zu Hause. Foto: Anna Muster"
    image = figure.locator("img")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.evaluate("img => img.currentSrc").endswith(".webp")
    # The thread: Petra, the author's answer (marked as hers), Petra again, the author again.
    thread = page.locator("#kommentare li.comment")
    assert thread.count() == 5
    replies = page.locator("li.comment-by-author")
    assert replies.count() == 2
    assert replies.first.locator(":scope > article .comment-badge").text_content() == "Autorin"
    assert replies.nth(1).get_by_text("Zehn Minuten genügen.").is_visible()
    assert page.locator(".prose").get_by_role("link", name="Katze und Kuh").get_attribute(
        "href"
    ) == ("/blog/katze-und-kuh/")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "wordpress-imported-article")

    assert hosts == {urlsplit(moved_in.url).netloc}  # nothing from the old site or elsewhere
    assert csp_violations(page) == []
    assert problems == []
    context.close()
