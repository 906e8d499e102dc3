"""The second factor in Chromium: a code from the mail, a trusted browser, the lockout, the app."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import totp

from tests.browser.support import CSP_WATCH, csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ein-langes-Passwort-für-Jana"


@pytest.fixture
def jana(django_user_model, settings):
    settings.ADMIN_2FA = True
    return django_user_model.objects.create_superuser(
        "jana", "jana@example.org", PASSWORD, first_name="Jana"
    )


def new_browser(browser, storage_state=None, **options):
    context = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 1280, "height": 900},
        storage_state=storage_state,
        **options,
    )
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def log_in_with_password(page, site):
    page.goto(site.url + "/admin/")
    page.fill("#id_username", "jana")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def mailed_code() -> str:
    return re.search(r"^\s+(\d{6})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)


def axe_problems(browser, context, url) -> list[str]:
    """Serious or critical axe findings on `url`, seen with the cookies of `context`."""
    from axe_playwright_python.sync_playwright import Axe

    # axe is injected by evaluate(); a context with bypass_csp lets only that through.
    axe_context = browser.new_context(
        locale="de-DE", bypass_csp=True, storage_state=context.storage_state()
    )
    page = axe_context.new_page()
    page.goto(url)
    problems = [
        f"{url}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    axe_context.close()
    return problems


def test_a_new_browser_needs_the_mailed_code_then_is_remembered_and_wrong_codes_lock_out(
    browser, site, jana, screenshot, settings
):
    context, page = new_browser(browser)
    log_in_with_password(page, site)

    # A browser never seen before: the code page, and a code in her inbox.
    page.wait_for_url(site.url + "/admin/anmelden/code/")
    assert page.get_by_role("heading", name="Noch ein Schritt").is_visible()
    assert "j•••@example.org" in page.inner_text("#content-main")
    assert page.is_checked("#id_remember")
    screenshot(page, "twofactor-code")
    problems = axe_problems(browser, context, page.url)

    page.fill("#id_code", mailed_code())
    page.click("input[type=submit]")
    page.wait_for_url(site.url + "/admin/")
    assert page.get_by_role("link", name="Profil und Anmeldung").is_visible()
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies[f"feelmove_trusted_{jana.pk}"]["httpOnly"]

    # Her profile lists this browser as trusted.
    page.get_by_role("link", name="Profil und Anmeldung").click()
    page.wait_for_url(site.url + "/admin/profil/")
    row = page.locator(".twofactor-browsers tbody tr")
    assert row.count() == 1 and "(dieser Browser)" in row.inner_text()
    assert "Chrome (Linux)" in row.inner_text()
    screenshot(page, "twofactor-profile")
    problems += axe_problems(browser, context, page.url)

    # Next time this browser logs in with the password alone.
    page.get_by_role("button", name="Abmelden").click()
    sent = len(mail.outbox)
    log_in_with_password(page, site)
    page.wait_for_url(site.url + "/admin/")
    assert len(mail.outbox) == sent
    assert csp_violations(page) == []
    context.close()

    # Another browser, and someone who has the password but not the mailbox.
    settings.OTP_EMAIL_THROTTLE_FACTOR = 0  # the lockout is what is tested here, not the pauses
    other, page = new_browser(browser)
    log_in_with_password(page, site)
    page.wait_for_url(site.url + "/admin/anmelden/code/")
    code = mailed_code()
    wrong = [c for c in (f"{n:06d}" for n in range(10)) if c != code]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        page.fill("#id_code", wrong[attempt])
        page.click("input[type=submit]")
        page.wait_for_load_state()
        if attempt < settings.AXES_FAILURE_LIMIT - 1:
            assert "nicht richtig oder nicht mehr gültig" in page.inner_text("#content-main")
    assert page.get_by_role("heading", name="Zu viele fehlgeschlagene Anmeldeversuche").is_visible()
    screenshot(page, "twofactor-locked-out")
    # Even the right code and the right password do not open the admin now.
    page.goto(site.url + "/admin/anmelden/code/")
    page.wait_for_url(re.compile(r".*/admin/login/.*"))
    log_in_with_password(page, site)
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in page.content()
    assert csp_violations(page) == []
    other.close()
    assert problems == []


def test_she_sets_up_an_authenticator_app_and_logs_in_with_it(browser, site, jana, screenshot):
    context, page = new_browser(browser)
    log_in_with_password(page, site)
    page.wait_for_url(site.url + "/admin/anmelden/code/")
    page.fill("#id_code", mailed_code())
    page.uncheck("#id_remember")
    page.click("input[type=submit]")
    page.wait_for_url(site.url + "/admin/")

    page.goto(site.url + "/admin/profil/")
    page.get_by_role("button", name="Authenticator-App einrichten").click()
    page.wait_for_url(site.url + "/admin/profil/app/")
    assert page.locator(".twofactor-qr svg").is_visible()
    screenshot(page, "twofactor-app-setup")
    problems = axe_problems(browser, context, page.url)
    secret = page.inner_text(".twofactor-secret").replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))

    page.fill("#id_code", f"{totp(key):06d}")
    page.get_by_role("button", name="App einrichten").click()
    codes = page.locator(".twofactor-codes code")
    codes.first.wait_for()
    assert codes.count() == 10
    assert "eingerichtet" in page.inner_text(".twofactor-done")
    screenshot(page, "twofactor-recovery-codes")
    page.get_by_role("link", name="Ich habe sie sicher aufbewahrt").click()
    page.wait_for_url(site.url + "/admin/profil/")
    assert "Authenticator-App" in page.inner_text("#content-main")
    assert "10 Wiederherstellungscodes" in page.inner_text("#content-main")
    assert csp_violations(page) == []
    context.close()

    # A new browser now asks for the app's code, and sends no e-mail.
    sent = len(mail.outbox)
    context, page = new_browser(browser)
    log_in_with_password(page, site)
    page.wait_for_url(site.url + "/admin/anmelden/code/")
    assert "Authenticator-App" in page.inner_text("#content-main")
    assert page.get_by_role("button", name="Neuen Code senden").count() == 0
    page.fill("#id_code", f"{totp(key, drift=1):06d}")  # the next code: each is used once
    page.click("input[type=submit]")
    page.wait_for_url(site.url + "/admin/")
    assert len(mail.outbox) == sent
    context.close()
    assert problems == []
