"""In Chromium: a visitor fills the contact form as a person would; axe finds nothing serious."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from contact.models import ConsultationRequest, ContactPage, Topic, default_texts

WIDTHS = (1280, 390)


def axe_problems(browser, url: str) -> list[str]:
    """Serious or critical axe findings on `url`."""
    from axe_playwright_python.sync_playwright import Axe

    # axe is injected by evaluate(); a context with bypass_csp lets only that through.
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    problems = [
        f"{url}: {violation['id']} ({violation['impact']}) "
        f"{[node['target'] for node in violation['nodes']][:3]}"
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    context.close()
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_asks_for_a_consultation_and_gets_the_thank_you_page(
    live_server, browser, screenshot, settings
):
    settings.RATE_LIMITS = False
    # A transactional test may start after another one emptied the tables.
    for position, name in enumerate(["Rückenschmerzen", "Faszientraining", "Kurse", "Sonstiges"]):
        Topic.objects.get_or_create(name=name, defaults={"position": position})
    if not ContactPage.objects.exists():
        ContactPage.objects.create(**default_texts())
    url = live_server.url + "/kontakt/"

    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")
    page.locator(".site-sidebar a.cta-button").click()
    expect(page).to_have_url(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Beratungsgespräch anfragen")

    form = page.locator("form.contact-form")
    form.get_by_label("Name").fill("Petra Lang")
    form.get_by_label("E-Mail-Adresse").fill("petra@example")  # a typo first
    form.get_by_label("Telefon (freiwillig)").fill("+49 30 1234567")
    form.get_by_label("Thema (freiwillig)").select_option(label="Faszientraining")
    form.get_by_label("Deine Nachricht").fill("Ich möchte mit der Faszienrolle anfangen.")
    form.get_by_label("Ich bin einverstanden").check()
    page.wait_for_timeout(3200)  # the form's minimum time, as a person needs anyway
    form.get_by_role("button", name="Anfrage senden").click()

    # The typo comes back with its message beside the field and everything else kept.
    form = page.locator("form.contact-form")
    email = form.get_by_label("E-Mail-Adresse")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#kontakt-email_error")).to_contain_text("gültige E-Mail-Adresse")
    expect(form.get_by_label("Deine Nachricht")).to_have_value(
        "Ich möchte mit der Faszienrolle anfangen."
    )
    expect(form.get_by_label("Thema (freiwillig)")).to_have_value(
        str(Topic.objects.get(name="Faszientraining").pk)
    )
    assert not ConsultationRequest.objects.exists()
    screenshot(page, "contact-errors-390")

    email.fill("petra@example.org")
    form.get_by_label("Ich bin einverstanden").check()
    form.get_by_role("button", name="Anfrage senden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Danke, deine Anfrage ist angekommen")
    consultation = ConsultationRequest.objects.get()
    assert consultation.email == "petra@example.org"
    assert consultation.topic.name == "Faszientraining"
    assert sorted(m.to[0] for m in mail.outbox) == ["autorin@feelmove.de", "petra@example.org"]
    context.close()

    for width in WIDTHS:
        context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
        page = context.new_page()
        for path, name in (("/kontakt/", "contact"), ("/kontakt/danke/", "contact-thanks")):
            page.goto(live_server.url + path)
            # Nothing wider than the viewport: no sideways scrolling on a phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(page, f"{name}-{width}")
        page.goto(live_server.url + "/")
        screenshot(page, f"contact-box-home-{width}")
        context.close()

    problems = []
    for path in ("/kontakt/", "/kontakt/danke/", "/"):
        problems += axe_problems(browser, live_server.url + path)
    assert problems == []
