"""A rejected signup from a sidebar box lands at its form on a phone: the page is scrolled to the
form, the first field with an error has the focus, the message stands next to it, and what was
typed is kept. Also: the signup forms and the pages behind the e-mail links pass axe, at 1280 and
390 px (screenshots)."""

import pytest
from playwright.sync_api import expect

from newsletter import tokens
from newsletter.models import Subscriber
from tests.blog.factories import ArticleFactory
from tests.browser.support import CSP_WATCH, csp_violations
from tests.newsletter.factories import GuideFactory, SubscriberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def new_page(browser, viewport, *, bypass_csp=False):
    # axe is injected by evaluate(); a context with bypass_csp lets only that through.
    context = browser.new_context(locale="de-DE", viewport=viewport, bypass_csp=bypass_csp)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def axe_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{page.url}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.mark.parametrize(
    ("box", "page_path"), [("guide", "/gratis-guide/"), ("newsletter", "/newsletter/")]
)
def test_a_signup_with_a_bad_address_from_a_box_lands_at_the_form_with_the_focus_on_it(
    site, browser, box, page_path, screenshot
):
    GuideFactory()
    article = ArticleFactory()
    page = new_page(browser, PHONE)
    page.goto(site.url + article.get_absolute_url())
    page.fill(f"#box-{box}-email", "anna@example")  # the browser takes it, the site does not
    page.fill(f"#box-{box}-first_name", "Anna")
    page.check(f"#box-{box}-consent")
    page.click(f"#box-{box}-consent >> xpath=ancestor::form//button[@type='submit']")
    page.wait_for_url(f"{site.url}{page_path}#anmelden")

    assert focused_id(page) == "signup-email"
    # Bootstrap scrolls smoothly: expect() waits until the field has arrived.
    expect(page.locator("#signup-email")).to_be_in_viewport()
    expect(page.locator("#signup-email_error")).to_be_in_viewport()  # the message next to it
    assert "gültige E-Mail-Adresse" in page.inner_text("#signup-email_error")
    assert page.input_value("#signup-email") == "anna@example"
    assert page.input_value("#signup-first_name") == "Anna"
    assert page.is_checked("#signup-consent")
    screenshot(page, f"signup-error-{box}-390")
    assert csp_violations(page) == []
    assert not Subscriber.objects.exists()
    page.context.close()


def test_a_signup_without_consent_from_a_box_puts_the_focus_on_the_checkbox(
    site, browser, screenshot
):
    GuideFactory()
    page = new_page(browser, PHONE)
    page.goto(site.url + ArticleFactory().get_absolute_url())
    page.fill("#box-guide-email", "anna@example.de")
    page.locator("#box-guide-consent").evaluate("box => box.removeAttribute('required')")
    page.click("#box-guide-consent >> xpath=ancestor::form//button[@type='submit']")
    page.wait_for_url(f"{site.url}/gratis-guide/#anmelden")

    assert focused_id(page) == "signup-consent"
    expect(page.locator("#signup-consent")).to_be_in_viewport()
    assert "Häkchen" in page.inner_text("#signup-consent_error")
    assert page.input_value("#signup-email") == "anna@example.de"
    page.context.close()


def test_the_signup_forms_with_errors_and_the_link_pages_pass_axe(site, browser, screenshot):
    GuideFactory()
    subscriber = SubscriberFactory(email="lena@example.de", confirmed=True)
    pages = {
        "unsubscribe": f"/newsletter/abmelden/{tokens.unsubscribe_token(subscriber)}/",
        "guide-download": f"/gratis-guide/download/{tokens.download_token(subscriber)}/",
    }
    problems = []
    for viewport in (DESKTOP, PHONE):
        width = viewport["width"]
        page = new_page(browser, viewport, bypass_csp=True)
        for name, path in pages.items():
            page.goto(site.url + path)
            problems += axe_problems(page)
            screenshot(page, f"{name}-{width}")
        for name, path in (("newsletter", "/newsletter/"), ("guide", "/gratis-guide/")):
            page.goto(site.url + path)
            page.fill("#signup-email", "anna@example")
            page.fill("#signup-first_name", "Anna 2")
            page.locator("#signup-consent").evaluate("box => box.removeAttribute('required')")
            page.click("#anmelden button[type=submit]")
            page.wait_for_url(f"{site.url}{path}#anmelden")
            assert page.locator(".is-invalid").count() == 3
            problems += axe_problems(page)
            screenshot(page, f"signup-errors-{name}-{width}")
        page.goto(site.url + "/gratis-guide/neuer-link/")
        page.fill("#fresh-link-email", "kaputt@")
        page.locator("#fresh-link-email").evaluate("field => field.type = 'text'")
        page.click("#neuer-link button[type=submit]")
        page.wait_for_url(f"{site.url}/gratis-guide/neuer-link/#neuer-link")
        assert focused_id(page) == "fresh-link-email"
        problems += axe_problems(page)
        screenshot(page, f"fresh-link-error-{width}")
        page.context.close()
    assert problems == []
