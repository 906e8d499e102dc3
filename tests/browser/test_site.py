"""The demo site in Chromium: responsive layout, no foreign requests, no serious a11y issues."""

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

    pages = [
        "/",
        "/ueber-mich/",
        "/ressourcen/",
        "/impressum/",
        "/datenschutz/",
        "/newsletter/",
        "/gratis-guide/",
        "/suche/?q=R%C3%BCcken",
        "/suche/?q=",
        "/seite-die-es-nicht-gibt/",
    ]
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


def test_the_home_page_fits_phone_and_desktop_widths_and_has_a_skip_link(
    demo_site, browser, screenshot
):
    for width in (390, 1280):
        context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(demo_site.url + "/")
        assert page.locator("header.site-header").is_visible()
        assert page.locator("footer.site-footer").is_visible()
        # Nothing wider than the viewport: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"home-{width}")
        if width < 992:
            page.locator(".navbar-toggler").click()
            page.get_by_role("link", name="Über mich", exact=True).wait_for(state="visible")
            page.locator(".collapsing").wait_for(state="detached")  # the menu has unfolded
            screenshot(page, f"home-{width}-menu")
        else:
            page.keyboard.press("Tab")
            skip = page.get_by_role("link", name="Zum Inhalt springen")
            assert skip.is_visible()
            skip.press("Enter")
            assert page.evaluate("location.hash") == "#inhalt"
        context.close()


def test_public_pages_load_nothing_from_elsewhere_and_pass_axe(demo_site, browser):
    """No request to another host, no CSP error, no serious or critical axe violation."""
    from axe_playwright_python.sync_playwright import Axe

    own_host = urlsplit(demo_site.url).netloc
    foreign: list[str] = []
    csp_errors: list[str] = []

    def watch_request(request):
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != own_host:
            foreign.append(request.url)

    def watch_console(message):
        if "Content Security Policy" in message.text:
            csp_errors.append(message.text)

    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.on("request", watch_request)
    page.on("console", watch_console)
    # axe is injected by evaluate(); a second context with bypass_csp lets only that through.
    axe_context = browser.new_context(locale="de-DE", bypass_csp=True)
    axe_page = axe_context.new_page()
    axe = Axe()
    problems = []
    for path in public_pages():
        response = page.goto(demo_site.url + path)
        expected = 404 if "nicht-gibt" in path else 200
        assert response.status == expected, path
        page.wait_for_load_state("networkidle")
        axe_page.goto(demo_site.url + path)
        for violation in axe.run(axe_page).response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    context.close()
    axe_context.close()
    assert foreign == []
    assert csp_errors == []
    assert problems == []
