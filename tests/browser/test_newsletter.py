"""A visitor gets the free guide in a real browser: sign up, confirm from the e-mail, download."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from demo.loaders import newsletter as demo_newsletter
from newsletter.models import Guide, Subscriber
from tests.browser.support import CSP_WATCH, csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guide(db):
    data = demo_newsletter.read_guide(demo_newsletter.NEWSLETTER_DIR / "guide.toml")
    guide = Guide(
        title=data["title"],
        subtitle=data["subtitle"],
        description=data["description"],
        contents="\n".join(data["contents"]),
        cover_alt="Titelbild des Guides",
        is_active=True,
    )
    guide.pdf.save("guide.pdf", ContentFile(demo_newsletter.build_guide_pdf(data)), save=False)
    cover = demo_newsletter.build_guide_cover(data)
    guide.cover_image.save("cover.png", ContentFile(cover), save=False)
    guide.save()
    return guide


@pytest.fixture
def visitor(browser):
    context = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def local(url: str, site) -> str:
    """A link from an e-mail (made with SITE_URL) pointed at the live test server."""
    parts = urlsplit(url)
    return f"{site.url}{parts.path}"


def test_a_visitor_signs_up_for_the_guide_confirms_and_downloads_the_pdf(
    site, guide, visitor, screenshot
):
    mail.outbox.clear()
    page = visitor
    page.goto(f"{site.url}/gratis-guide/")
    assert page.locator("h1").inner_text() == guide.title
    assert page.locator("img.guide-cover").evaluate("img => img.naturalWidth") > 0
    consent = page.locator("#signup-consent")
    assert not consent.is_checked()  # no pre-ticked box
    screenshot(page, "newsletter-01-guide-landing")

    # Forgetting the consent: a clear message, and what was typed is still there.
    page.fill("#signup-email", "lena.vogel@example.de")
    page.fill("#signup-first_name", "Lena")
    page.locator("#signup-consent").evaluate("box => box.removeAttribute('required')")
    page.click(".signup-panel button[type=submit]")
    assert "Häkchen" in page.locator("#signup-consent_error").inner_text()
    assert page.input_value("#signup-email") == "lena.vogel@example.de"
    screenshot(page, "newsletter-02-missing-consent")

    page.check("#signup-consent")
    page.click(".signup-panel button[type=submit]")
    page.wait_for_url(f"{site.url}/newsletter/fast-geschafft/#inhalt")
    assert "Postfach" in page.locator("h1").inner_text()
    screenshot(page, "newsletter-03-check-inbox")

    [message] = mail.outbox
    assert message.to == ["lena.vogel@example.de"]
    assert "List-Unsubscribe" not in message.extra_headers  # nothing to leave before confirming
    link = re.search(r"https?://\S+/newsletter/bestaetigen/\S+", message.body).group(0)

    page.goto(local(link, site))
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # opening is not enough
    screenshot(page, "newsletter-04-confirm-button")
    page.click("text=Ja, Anmeldung bestätigen")
    page.wait_for_url(re.compile(r".*/newsletter/bestaetigt/.*"))
    assert "Danke, Lena" in page.locator("h1").inner_text()
    screenshot(page, "newsletter-05-confirmed")
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    with page.expect_download() as download_info:
        page.click(".guide-download-button")
    download = download_info.value
    assert download.suggested_filename == "feelmove-faszien-dehnen-dein-14-tage-start.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == guide.pdf.open("rb").read()

    # The download link came by e-mail too: it opens a page with the same button.
    link = re.search(r"https?://\S+/gratis-guide/download/\S+", mail.outbox[-1].body).group(0)
    page.goto(local(link, site))
    guide.refresh_from_db()
    assert guide.download_count == 1  # opening the link is not a download
    screenshot(page, "newsletter-06-download-page")
    with page.expect_download() as download_info:
        page.click(".guide-download-button")
    assert download_info.value.suggested_filename.endswith(".pdf")
    guide.refresh_from_db()
    assert guide.download_count == 2
    assert csp_violations(page) == []


def test_the_signup_boxes_appear_in_the_sidebar_and_an_unsubscribe_link_works(
    site, visitor, screenshot
):
    from newsletter.tokens import unsubscribe_token

    page = visitor
    page.goto(f"{site.url}/newsletter/")
    assert page.locator(".site-sidebar .signup-box").count() == 1  # the guide box
    assert page.locator(".site-sidebar").get_by_text("Gratis-Guide").first.is_visible()
    screenshot(page, "newsletter-06-newsletter-page")

    subscriber = Subscriber.objects.create(email="lena@example.de", status="confirmed")
    page.goto(f"{site.url}/newsletter/abmelden/{unsubscribe_token(subscriber)}/")
    assert "abmelden?" in page.locator("h1").inner_text()
    screenshot(page, "newsletter-07-unsubscribe-button")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED  # opening the link is not enough
    page.click("text=Ja, melde mich ab")
    assert "abgemeldet" in page.locator("h1").inner_text()
    screenshot(page, "newsletter-08-unsubscribed")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert csp_violations(page) == []


def test_the_newsletter_admin_pages_keep_to_the_admin_content_security_policy(
    site, guide, browser, django_user_model, screenshot
):
    """The author's pages: the start page, subscribers, the printable proof, issues (with the live
    progress and the send confirmation's preview), guide."""
    from newsletter.models import Delivery, Issue

    django_user_model.objects.create_superuser("jana", "jana@example.org", "ein-langes-Passwort")
    subscriber = Subscriber.objects.create(
        email="lena@example.de", first_name="Lena", status="confirmed", consent_text="Ja, bitte."
    )
    issue = Issue.objects.create(subject="Frühling", body="<p>Hallo</p>", status="sending")
    Delivery.objects.create(issue=issue, subscriber=subscriber, status="failed", last_error="550")
    draft = Issue.objects.create(subject="Sommer", body="<p>Bald</p>")

    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{site.url}/admin/login/")
    page.fill("#id_username", "jana")
    page.fill("#id_password", "ein-langes-Passwort")
    page.click("input[type=submit]")
    page.wait_for_url(f"{site.url}/admin/")
    panel = page.locator("#dashboard-subscribers").locator("xpath=..")
    assert "1 bestätigte Abonnent:in insgesamt" in panel.inner_text()

    pages = {
        "subscribers": "/admin/newsletter/subscriber/",
        "proof": f"/admin/newsletter/subscriber/{subscriber.pk}/nachweis/",
        "issue": f"/admin/newsletter/issue/{issue.pk}/change/",
        "guide": f"/admin/newsletter/guide/{guide.pk}/change/",
        "send": f"/admin/newsletter/issue/{draft.pk}/senden/",
    }
    for name, path in pages.items():
        page.goto(site.url + path)
        assert csp_violations(page) == [], name
        screenshot(page, f"newsletter-admin-{name}")
    assert problems == []
    context.close()
