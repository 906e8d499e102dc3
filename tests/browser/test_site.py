"""The demo site in a real browser: responsive layout, no foreign requests, no serious a11y issues."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", stdout=io.StringIO())
    return live_server


def public_pages() -> list[str]:
    """Every kind of public page of the demo site, found from the data so it stays true."""
    from blog.models import Article, Category, Tag

    pages = ["/", "/ueber-mich/", "/ressourcen/", "/impressum/", "/datenschutz/",
             "/newsletter/", "/gratis-guide/", "/suche/?q=R%C3%BCcken", "/suche/?q=",
             "/seite-die-es-nicht-gibt/"]
    published = Article.objects.published()
    most_commented = published.order_by("-published_at").first()
    if hasattr(Article, "comments"):
        from django.db.models import Count

        most_commented = published.annotate(n=Count("comments")).order_by("-n").first()
    if most_commented:
        pages.append(most_commented.get_absolute_url())
        pages.append(f"/blog/archiv/{most_commented.published_at.year}/")
    category = Category.objects.filter(articles__in=published).first()
    if category:
        pages.append(category.get_absolute_url())
    tag = Tag.objects.filter(articles__in=published).first()
    if tag:
        pages.append(tag.get_absolute_url())
    return pages


@pytest.mark.parametrize("width", [390, 1280])
def test_the_home_page_fits_phone_and_desktop_widths(demo_site, browser, screenshot, width):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(demo_site.url + "/")
    assert page.locator("header.site-header").is_visible()
    assert page.locator("footer.site-footer").is_visible()
    # Nothing wider than the viewport: no sideways scrolling on a phone.
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width
    if width < 992:
        assert page.locator(".navbar-toggler").is_visible()
        page.locator(".navbar-toggler").click()
        page.get_by_role("link", name="Über mich").wait_for(state="visible")
    screenshot(page, f"home-{width}")
    context.close()


def test_the_skip_link_appears_on_focus_and_jumps_to_the_content(demo_site, page):
    page.goto(demo_site.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.is_visible()
    skip.press("Enter")
    assert page.evaluate("location.hash") == "#inhalt"


def test_no_public_page_requests_anything_from_another_host(demo_site, browser):
    own_host = urlsplit(demo_site.url).netloc
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    foreign: list[str] = []
    page.on(
        "request",
        lambda request: foreign.append(request.url)
        if urlsplit(request.url).scheme in {"http", "https", "ws", "wss"}
        and urlsplit(request.url).netloc != own_host
        else None,
    )
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: csp_errors.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    for path in public_pages():
        response = page.goto(demo_site.url + path)
        expected = 404 if "nicht-gibt" in path else 200
        assert response.status == expected, path
        page.wait_for_load_state("networkidle")
    context.close()
    assert foreign == []
    assert csp_errors == []


def test_no_public_page_has_a_serious_or_critical_accessibility_violation(demo_site, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    # axe is injected by evaluate(); bypass_csp only lets that injection through.
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    problems = []
    for path in public_pages():
        page.goto(demo_site.url + path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    context.close()
    assert problems == []
