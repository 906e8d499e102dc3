"""The admin's second factor: a code by e-mail in a new browser, an app, trusted browsers and
the lockout."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.http import HttpResponse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.newsletter.mailbackends import FlakyBackend
from twofactor import services
from twofactor.models import EmailCodeDevice, TrustedBrowser

pytestmark = pytest.mark.django_db

PASSWORD = "ein-langes-Passwort-für-Jana"
LOGIN = "/admin/login/"
VERIFY = "/admin/anmelden/code/"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.ADMIN_2FA = True


@pytest.fixture
def jana(django_user_model):
    return django_user_model.objects.create_superuser(
        "jana", "jana@example.org", PASSWORD, first_name="Jana"
    )


@pytest.fixture
def browser(client):
    client.defaults["HTTP_USER_AGENT"] = FIREFOX
    return client


def password_step(client, next_url="/admin/"):
    return client.post(
        f"{LOGIN}?next={next_url}",
        {"username": "jana", "password": PASSWORD, "next": next_url},
    )


def mailed_code() -> str:
    return re.search(r"^\s+(\d{6})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def app_code(device: TOTPDevice, *, steps_ahead=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step):06d}"


# -- the e-mailed code ---------------------------------------------------------------------------


def test_with_the_second_factor_off_the_password_is_enough(browser, jana, settings):
    settings.ADMIN_2FA = False

    response = password_step(browser)

    assert response["Location"] == "/admin/"
    assert logged_in(browser)
    assert mail.outbox == []


def test_a_new_browser_gets_a_code_by_e_mail_and_is_not_logged_in_before_it(browser, jana):
    response = password_step(browser)

    assert response["Location"] == VERIFY
    assert not logged_in(browser)
    assert [m.to for m in mail.outbox] == [["jana@example.org"]]
    assert mailed_code() in mail.outbox[0].subject
    # Nothing that a logged-in author may do is open yet: not the admin, not uploads.
    assert browser.get("/admin/")["Location"].startswith(LOGIN)
    assert browser.post("/ckeditor5/image_upload/").status_code == 403
    page = browser.get(VERIFY).content.decode()
    assert "j•••@example.org" in page and "10 Minuten" in page


def test_the_mailed_code_logs_in_and_leads_where_she_wanted_to_go(browser, jana):
    password_step(browser, next_url="/admin/comments/comment/")

    response = browser.post(VERIFY, {"code": mailed_code(), "remember": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/comments/comment/"
    assert logged_in(browser)
    assert browser.get("/admin/").status_code == 200


def test_the_code_is_kept_only_as_a_keyed_hash_and_never_queued(browser, jana):
    password_step(browser)
    code = mailed_code()

    device = EmailCodeDevice.objects.get(user=jana)
    assert code not in device.code_hash and len(device.code_hash) == 64
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.exists()


def test_a_trusted_browser_needs_no_code_for_30_days(browser, jana):
    password_step(browser)
    browser.post(VERIFY, {"code": mailed_code(), "remember": "on"})
    browser.post("/admin/logout/")
    mail.outbox.clear()

    response = password_step(browser)

    assert response["Location"] == "/admin/"
    assert logged_in(browser)
    assert mail.outbox == []
    trusted = TrustedBrowser.objects.get(user=jana)
    assert trusted.label == "Firefox (Windows)"
    assert trusted.expires_at - trusted.created_at == timedelta(days=30)
    cookie = browser.cookies[f"feelmove_trusted_{jana.pk}"]
    assert cookie["httponly"] and cookie["path"] == "/admin/"
    assert cookie["max-age"] == 30 * 24 * 3600


def test_after_30_days_the_browser_asks_again(browser, jana):
    password_step(browser)
    browser.post(VERIFY, {"code": mailed_code(), "remember": "on"})
    browser.post("/admin/logout/")
    TrustedBrowser.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert password_step(browser)["Location"] == VERIFY


def test_without_remember_the_browser_asks_again_next_time(browser, jana):
    password_step(browser)
    browser.post(VERIFY, {"code": mailed_code()})
    browser.post("/admin/logout/")

    assert password_step(browser)["Location"] == VERIFY
    assert not TrustedBrowser.objects.exists()


def test_a_cookie_of_another_user_or_a_forged_one_is_no_trust(browser, jana, django_user_model):
    eva = django_user_model.objects.create_superuser("eva", "eva@example.org", PASSWORD)
    response = HttpResponse()
    services.browser_trust(response, user=eva, user_agent=FIREFOX)
    # Eva's genuine cookie, presented as Jana's.
    browser.cookies[f"feelmove_trusted_{jana.pk}"] = response.cookies[
        f"feelmove_trusted_{eva.pk}"
    ].value

    assert password_step(browser)["Location"] == VERIFY
    browser.cookies[f"feelmove_trusted_{jana.pk}"] = "kaputt:abc"
    assert password_step(browser)["Location"] == VERIFY


def test_a_code_works_once_and_not_after_ten_minutes(browser, jana):
    password_step(browser)
    code = mailed_code()
    EmailCodeDevice.objects.update(valid_until=timezone.now() - timedelta(seconds=1))

    response = browser.post(VERIFY, {"code": code})

    assert "nicht richtig oder nicht mehr gültig" in response.content.decode()
    assert not logged_in(browser)


def test_a_wrong_code_is_refused_in_german_and_counted_by_the_lockout(browser, jana):
    from axes.models import AccessAttempt

    password_step(browser)

    response = browser.post(VERIFY, {"code": "000000"})

    assert response.status_code == 200
    assert "nicht richtig oder nicht mehr gültig" in response.content.decode()
    assert AccessAttempt.objects.get(username="jana").failures_since_start == 1
    # A code that is not even a code is explained, not counted.
    response = browser.post(VERIFY, {"code": "abc"})
    assert "sechs Ziffern" in response.content.decode()


def test_too_many_wrong_codes_lock_the_account_out_as_wrong_passwords_do(browser, jana, settings):
    settings.OTP_EMAIL_THROTTLE_FACTOR = 0  # the lockout is what this test is about
    limit = settings.AXES_FAILURE_LIMIT
    password_step(browser)
    code = mailed_code()
    wrong = [c for c in (f"{n:06d}" for n in range(limit + 1)) if c != code][:limit]

    responses = [browser.post(VERIFY, {"code": c}) for c in wrong]

    assert [r.status_code for r in responses] == [200] * (limit - 1) + [429]
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in responses[-1].content.decode()
    # The right code does not help now, and neither does the password.
    assert browser.post(VERIFY, {"code": code})["Location"] == LOGIN
    assert not logged_in(browser)
    assert password_step(browser).status_code == 429


def test_quick_wrong_codes_are_slowed_down(browser, jana):
    password_step(browser)
    code = mailed_code()
    browser.post(VERIFY, {"code": "000001" if code != "000001" else "000002"})

    response = browser.post(VERIFY, {"code": code})

    assert "Bitte warte" in response.content.decode()
    assert not logged_in(browser)


def test_five_wrong_entries_use_a_code_up(jana, settings):
    settings.OTP_EMAIL_THROTTLE_FACTOR = 0
    device = services.email_device(jana)
    code = device.issue_code()
    wrong = "999999" if code != "999999" else "999998"

    results = [device.verify_token(wrong) for _ in range(5)]

    assert results == [False] * 5
    assert device.verify_token(code) is False


def test_a_right_code_after_a_wrong_one_still_works(jana, settings):
    settings.OTP_EMAIL_THROTTLE_FACTOR = 0
    device = services.email_device(jana)
    code = device.issue_code()

    assert device.verify_token("999999" if code != "999999" else "999998") is False
    assert device.verify_token(code) is True
    assert device.verify_token(code) is False  # once


def test_a_new_code_can_be_asked_for_after_a_minute_and_replaces_the_old(browser, jana):
    password_step(browser)
    first = mailed_code()

    response = browser.post(VERIFY, {"resend": "1"}, follow=True)
    assert "weniger als einer Minute" in response.content.decode()
    assert len(mail.outbox) == 1

    EmailCodeDevice.objects.update(sent_at=timezone.now() - timedelta(seconds=61))
    response = browser.post(VERIFY, {"resend": "1"}, follow=True)
    second = mailed_code()

    assert "neuer Code ist unterwegs" in response.content.decode()
    assert len(mail.outbox) == 2
    if first != second:
        assert browser.post(VERIFY, {"code": first}).status_code == 200
        EmailCodeDevice.objects.update(throttling_failure_count=0)
    assert browser.post(VERIFY, {"code": second})["Location"] == "/admin/"


def test_a_failing_mail_server_is_told_on_the_code_page(browser, jana, settings):
    settings.EMAIL_BACKEND = "tests.newsletter.mailbackends.FlakyBackend"
    FlakyBackend.reset(always=ConnectionRefusedError("mail server down"))

    response = password_step(browser)
    page = browser.get(response["Location"]).content.decode()

    assert "konnte gerade nicht verschickt werden" in page
    assert not EmailCodeDevice.objects.get(user=jana).code_hash
    FlakyBackend.reset()
    EmailCodeDevice.objects.update(sent_at=None)
    browser.post(VERIFY, {"resend": "1"})
    assert browser.post(VERIFY, {"code": mailed_code()})["Location"] == "/admin/"


def test_an_account_without_an_address_is_told_what_to_do(browser, jana):
    jana.email = ""
    jana.save()

    page = browser.get(password_step(browser)["Location"]).content.decode()

    assert "keine E-Mail-Adresse" in page


def test_the_code_page_lasts_fifteen_minutes(browser, jana):
    password_step(browser)
    session = browser.session
    session[services.PENDING_SESSION_KEY]["since"] -= 16 * 60
    session.save()

    response = browser.post(VERIFY, {"code": mailed_code()})

    assert response["Location"] == "/admin/login/"
    assert not logged_in(browser)


def test_a_next_address_on_another_host_is_not_followed(browser, jana):
    password_step(browser, next_url="https://elsewhere.example/")

    response = browser.post(VERIFY, {"code": mailed_code()})

    assert response["Location"] == "/admin/"


def test_the_code_page_without_a_password_step_leads_to_the_login(browser, jana):
    assert browser.get(VERIFY)["Location"] == "/admin/login/"
    assert browser.post(VERIFY, {"code": "123456"})["Location"] == "/admin/login/"


# -- the authenticator app ---------------------------------------------------------------------


@pytest.fixture
def app(jana):
    device = TOTPDevice.objects.create(user=jana, name="App", confirmed=True)
    services.recovery_codes_renew(user=jana)
    return device


def test_with_an_app_no_e_mail_is_sent_and_the_app_code_logs_in(browser, jana, app):
    password_step(browser)

    assert mail.outbox == []
    page = browser.get(VERIFY).content.decode()
    assert "Authenticator-App" in page and "Neuen Code senden" not in page
    assert browser.post(VERIFY, {"code": app_code(app)})["Location"] == "/admin/"


def test_a_recovery_code_logs_in_once(browser, jana, app):
    token = StaticToken.objects.filter(device__user=jana).first().token
    password_step(browser)

    response = browser.post(VERIFY, {"code": f"{token[:4]} {token[4:].upper()}"}, follow=True)

    assert logged_in(browser)
    assert "Wiederherstellungscode benutzt; 9 sind übrig" in response.content.decode()
    browser.post("/admin/logout/")
    password_step(browser)
    EmailCodeDevice.objects.all().delete()
    assert browser.post(VERIFY, {"code": token}).status_code == 200
    assert not logged_in(browser)


def test_setting_up_an_app_from_the_profile(client, jana, settings):
    settings.ADMIN_2FA = False  # set up before it is switched on
    client.force_login(jana)

    assert client.post("/admin/profil/app/starten/")["Location"] == "/admin/profil/app/"
    page = client.get("/admin/profil/app/").content.decode()
    device = TOTPDevice.objects.get(user=jana, confirmed=False)
    secret = re.search(r'class="twofactor-secret">([A-Z2-7 ]+)<', page).group(1)
    assert "<svg" in page and len(secret.replace(" ", "")) == 32

    wrong = client.post("/admin/profil/app/", {"code": "000000"})
    assert "passt nicht" in wrong.content.decode()
    TOTPDevice.objects.update(throttling_failure_count=0)  # she takes a moment to retype
    done = client.post("/admin/profil/app/", {"code": app_code(device)})

    codes = re.findall(r"<code>([a-z2-7]{4} [a-z2-7]{4})</code>", done.content.decode())
    assert len(codes) == 10
    assert "no-store" in done["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed
    profile = client.get("/admin/profil/").content.decode()
    assert "10 Wiederherstellungscodes" in profile


def test_removing_the_app_brings_back_codes_by_e_mail(client, browser, jana, app):
    client.force_login(jana)
    client.post("/admin/profil/app/entfernen/")

    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()
    password_step(browser)
    assert len(mail.outbox) == 1


# -- trusted browsers on the profile ----------------------------------------------------------


def test_the_profile_lists_trusted_browsers_and_forgets_one(browser, jana):
    password_step(browser)
    browser.post(VERIFY, {"code": mailed_code(), "remember": "on"})
    trusted = TrustedBrowser.objects.get()

    page = browser.get("/admin/profil/").content.decode()
    assert "Firefox (Windows)" in page and "(dieser Browser)" in page
    browser.post(f"/admin/profil/browser/{trusted.pk}/vergessen/")

    assert not TrustedBrowser.objects.exists()
    browser.post("/admin/logout/")
    assert password_step(browser)["Location"] == VERIFY


def test_she_cannot_forget_someone_elses_browser(client, jana, django_user_model):
    eva = django_user_model.objects.create_superuser("eva", "eva@example.org", PASSWORD)
    services.browser_trust(HttpResponse(), user=eva, user_agent=FIREFOX)
    client.force_login(jana)

    response = client.post(f"/admin/profil/browser/{TrustedBrowser.objects.get().pk}/vergessen/")

    assert response.status_code == 404
    assert TrustedBrowser.objects.count() == 1


def test_profile_actions_need_post_and_a_logged_in_staff_member(client, jana):
    assert client.get("/admin/profil/")["Location"].startswith(LOGIN)
    client.force_login(jana)
    assert client.get("/admin/profil/browser/alle-vergessen/").status_code == 405
    assert client.get("/admin/profil/app/starten/").status_code == 405


def test_the_admin_header_links_to_the_profile(client, jana):
    client.force_login(jana)

    assert 'href="/admin/profil/"' in client.get("/admin/").content.decode()


def test_the_operator_can_reset_a_lost_second_factor(jana, app):
    services.browser_trust(HttpResponse(), user=jana, user_agent=FIREFOX)
    out = StringIO()

    call_command("reset_second_factor", "jana", stdout=out)

    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()
    assert not TrustedBrowser.objects.exists()
    assert "jana@example.org" in out.getvalue()


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (FIREFOX, "Firefox (Windows)"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Safari/605.1.15",
            "Safari (Mac)",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari (iPhone)",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge (Linux)",
        ),
        ("", "Browser"),
    ],
)
def test_a_browser_gets_a_name_she_recognises(user_agent, label):
    assert services.browser_label(user_agent) == label


def test_a_log_in_right_after_a_used_code_gets_a_new_code_at_once(client, jana):
    password_step(client)
    client.post(VERIFY, {"code": mailed_code()})
    client.post("/admin/logout/")

    password_step(client)

    assert len(mail.outbox) == 2
    assert client.post(VERIFY, {"code": mailed_code()})["Location"] == "/admin/"
