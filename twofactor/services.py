"""The second factor's workflows: who needs one, codes by e-mail, the app, trusted browsers.

A staff member who passes the password step is not logged in yet: her user id waits in the
session (a "pending log-in") until she enters the code; only then does Django's login() run.
So nothing a logged-in staff member may do (the admin, writing as the author on the public
pages, uploading files) is open to someone who knows only the password.
"""

import re
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.ratelimit import rate_limit_hit
from twofactor import emails
from twofactor.models import (
    TRUST_DURATION,
    EmailCodeDevice,
    TrustedBrowser,
    browser_key_digest,
    new_browser_key,
)

PENDING_SESSION_KEY = "twofactor_pending"
PENDING_LIFETIME = 15 * 60  # seconds from the password to the code
RESEND_INTERVAL = 60  # seconds between two e-mailed codes
CODES_PER_HOUR = 6
RECOVERY_CODE_COUNT = 10
TRUST_COOKIE_PREFIX = "feelmove_trusted_"
TRUST_COOKIE_SALT = "twofactor.trusted-browser"


class CodeNotSent(Exception):
    """No code could be e-mailed; `reason` says why: no_address, too_soon, too_many, send_failed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def second_factor_required(user) -> bool:
    """Whether this log-in needs a second factor (staff, with ADMIN_2FA on)."""
    return bool(getattr(settings, "ADMIN_2FA", False)) and user.is_staff


def app_device(user) -> TOTPDevice | None:
    """Her authenticator app, once set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def email_device(user) -> EmailCodeDevice:
    device, _created = EmailCodeDevice.objects.get_or_create(user=user, defaults={"name": "E-Mail"})
    return device


def masked_email(address: str) -> str:
    """j•••@example.org: enough to recognise the address, not enough to learn it."""
    local, at, domain = (address or "").partition("@")
    return f"{local[:1]}•••{at}{domain}" if at else ""


# -- pending log-ins ----------------------------------------------------------------------------


def login_pending_start(request, user, *, next_url: str) -> None:
    """Remember that `user` passed the password step in this session (not logged in yet)."""
    request.session.cycle_key()  # a new session for the new state, as login() would do
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "since": time.time(),
    }


def login_pending(request) -> tuple[object, dict] | None:
    """The user waiting for her second factor in this session, with the pending data."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("since", 0) > PENDING_LIFETIME:
        login_pending_clear(request)
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or not user.is_staff:
        login_pending_clear(request)
        return None
    user.backend = pending["backend"]
    return user, pending


def login_pending_clear(request) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


# -- the e-mailed code --------------------------------------------------------------------------


def login_code_send(*, user, now=None) -> None:
    """E-mail her a new code at once; raises CodeNotSent with the reason.

    Sent in the request, not through the task queue: she is waiting at the code page, a queue
    busy with a newsletter would keep her waiting, and retries minutes later are of no use for
    a code valid ten minutes. A failing mail server is told to her at once (she may try again).
    No code waits anywhere: the builder makes it when it builds the e-mail.
    """
    now = now or timezone.now()
    if not user.email:
        raise CodeNotSent("no_address")
    device = email_device(user)
    unused_code_just_sent = (
        bool(device.code_hash)
        and device.sent_at is not None
        and (now - device.sent_at).total_seconds() < RESEND_INTERVAL
    )
    if unused_code_just_sent:
        raise CodeNotSent("too_soon")
    if rate_limit_hit(key=f"twofactor:code:{user.pk}", limit=CODES_PER_HOUR, period=3600):
        raise CodeNotSent("too_many")
    message = emails.login_code_email(device_id=device.pk)
    try:
        message.send()
    except Exception as error:
        # The code in the failed e-mail is void: nobody received it, and a new one comes next.
        EmailCodeDevice.objects.filter(pk=device.pk).update(code_hash="", sent_at=None)
        raise CodeNotSent("send_failed") from error


# -- checking a code ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """What entering a code gave: accepted, wrong, or not checked yet (wait until)."""

    accepted: bool
    wait_until: datetime | None = None
    recovery_code_used: bool = False


def normalise_code(code: str) -> str:
    """Codes as typed: spaces and hyphens dropped, letters in lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def second_factor_check(*, user, code: str) -> CodeCheck:
    """Check a code from the e-mail, the app or a recovery code; each device throttles itself."""
    code = normalise_code(code)
    app = app_device(user)
    if app is None:
        device = email_device(user)
    elif code.isascii() and code.isdigit():
        device = app
    else:
        device = recovery_device(user)
    if device is None:
        return CodeCheck(accepted=False)
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(accepted=False, wait_until=(info or {}).get("locked_until"))
        accepted = device.verify_token(code)
    return CodeCheck(accepted=accepted, recovery_code_used=accepted and device is not app)


# -- trusted browsers ---------------------------------------------------------------------------


def trust_cookie_name(user) -> str:
    return f"{TRUST_COOKIE_PREFIX}{user.pk}"


def trusted_browser(request, user, *, now=None) -> TrustedBrowser | None:
    """The trusted browser this request comes from, if its cookie is genuine and not revoked."""
    key = request.get_signed_cookie(
        trust_cookie_name(user),
        default=None,
        salt=TRUST_COOKIE_SALT,
        max_age=TRUST_DURATION.total_seconds(),
    )
    if not key:
        return None
    return (
        TrustedBrowser.objects.valid(now=now)
        .filter(user=user, key_digest=browser_key_digest(key))
        .first()
    )


def browser_trust_known(request, user, *, now=None) -> bool:
    """True (and the browser's last use noted) when this browser is trusted by `user`."""
    browser = trusted_browser(request, user, now=now)
    if browser is None:
        return False
    TrustedBrowser.objects.filter(pk=browser.pk).update(last_used_at=now or timezone.now())
    return True


def browser_trust(response, *, user, user_agent: str, now=None) -> TrustedBrowser:
    """Trust this browser for TRUST_DURATION: a row, and a signed cookie with its key."""
    now = now or timezone.now()
    key = new_browser_key()
    TrustedBrowser.objects.filter(user=user, expires_at__lte=now).delete()  # long forgotten
    browser = TrustedBrowser.objects.create(
        user=user,
        key_digest=browser_key_digest(key),
        label=browser_label(user_agent),
        created_at=now,
        last_used_at=now,
        expires_at=now + TRUST_DURATION,
    )
    response.set_signed_cookie(
        trust_cookie_name(user),
        key,
        salt=TRUST_COOKIE_SALT,
        max_age=int(TRUST_DURATION.total_seconds()),
        path="/admin/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return browser


def browser_forget(*, user, browser_id: int) -> bool:
    """Revoke one trusted browser of `user`; True if there was one."""
    deleted, _per_model = TrustedBrowser.objects.filter(user=user, pk=browser_id).delete()
    return bool(deleted)


def browsers_forget_all(*, user) -> int:
    deleted, _per_model = TrustedBrowser.objects.filter(user=user).delete()
    return deleted


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome")]
_SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def browser_label(user_agent: str) -> str:
    """A name she recognises, such as "Firefox (Windows)"; never the whole User-Agent."""
    user_agent = user_agent or ""
    name = next((label for token, label in _BROWSERS if token in user_agent), None)
    if name is None and "Safari/" in user_agent:
        name = "Safari"
    system = next((label for token, label in _SYSTEMS if token in user_agent), None)
    name = name or "Browser"
    return f"{name} ({system})" if system else name


# -- the authenticator app ----------------------------------------------------------------------


def app_setup_start(*, user) -> TOTPDevice:
    """A new, unconfirmed app for `user` (an earlier unfinished one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)


def app_setup_pending(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def app_setup_confirm(*, user, code: str) -> list[str] | None:
    """Confirm the new app with a code from it; its recovery codes, or None if the code is wrong.

    The confirmed app replaces an earlier one, and new recovery codes replace the old ones.
    """
    device = app_setup_pending(user)
    if device is None:
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(normalise_code(code)):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return recovery_codes_renew(user=user)


def recovery_codes_renew(*, user) -> list[str]:
    """Ten new recovery codes for `user` (the old ones stop working); shown to her once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Wiederherstellungscodes")
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def app_remove(*, user) -> None:
    """Back to codes by e-mail: the app and the recovery codes are removed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def second_factor_reset(*, user) -> None:
    """For the operator (`reset_second_factor`): no app, no recovery codes, no trusted browser."""
    with transaction.atomic():
        app_remove(user=user)
        browsers_forget_all(user=user)
        EmailCodeDevice.objects.filter(user=user).delete()
