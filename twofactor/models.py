"""Codes e-mailed at log-in, and the browsers a staff member trusts for 30 days.

The authenticator app and the recovery codes are django-otp's own devices (TOTPDevice,
StaticDevice); the e-mailed code is a django-otp device of ours, because django-otp's e-mail
device keeps the code readable in the database: ours keeps only a keyed hash of it.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin
from django_otp.util import random_number_token

CODE_DIGITS = 6
CODE_VALIDITY = timedelta(minutes=10)
# Wrong entries after which an e-mailed code is used up (the lockout counts them too).
CODE_MAX_WRONG = 5


class EmailCodeDevice(ThrottlingMixin, Device):
    """The six-digit code e-mailed to a staff member who logs in from a new browser."""

    code_hash = models.CharField(_("code (hash)"), max_length=64, blank=True, editable=False)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    wrong_entries = models.PositiveSmallIntegerField(_("wrong entries"), default=0)
    sent_at = models.DateTimeField(_("last code sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mailed log-in code")
        verbose_name_plural = _("e-mailed log-in codes")

    def _digest(self, code: str) -> str:
        return salted_hmac(
            "twofactor.EmailCodeDevice", f"{self.pk}:{code}", algorithm="sha256"
        ).hexdigest()

    def issue_code(self, *, now=None) -> str:
        """A new code (the old one is void); only its hash is stored."""
        now = now or timezone.now()
        code = random_number_token(CODE_DIGITS)
        self.code_hash = self._digest(code)
        self.valid_until = now + CODE_VALIDITY
        self.wrong_entries = 0
        self.sent_at = now
        self.save(update_fields=["code_hash", "valid_until", "wrong_entries", "sent_at"])
        return code

    def verify_token(self, token):
        """True once for the current code, within its validity; wrong entries are throttled."""
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        now = timezone.now()
        valid = (
            bool(self.code_hash)
            and self.valid_until is not None
            and now < self.valid_until
            and constant_time_compare(self._digest(str(token)), self.code_hash)
        )
        if valid:
            self.code_hash = ""
            self.valid_until = None
            self.wrong_entries = 0
            self.throttle_reset(commit=False)
        else:
            self.wrong_entries += 1
            if self.wrong_entries >= CODE_MAX_WRONG:
                self.code_hash = ""  # used up: she asks for a new one
            self.throttle_increment(commit=False)
        self.save()
        return valid

    def get_throttle_factor(self):
        return getattr(settings, "OTP_EMAIL_THROTTLE_FACTOR", 1)


TRUST_DURATION = timedelta(days=30)


def new_browser_key() -> str:
    return secrets.token_urlsafe(32)


def browser_key_digest(key: str) -> str:
    return salted_hmac("twofactor.TrustedBrowser", key, algorithm="sha256").hexdigest()


class TrustedBrowserQuerySet(models.QuerySet):
    def valid(self, *, now=None):
        return self.filter(expires_at__gt=now or timezone.now())


class TrustedBrowser(models.Model):
    """A browser in which a staff member entered her second factor: no code there for 30 days.

    The browser holds a signed cookie with a random key; only a keyed hash of the key is kept
    here, so a copy of the database opens no browser's trust.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="trusted_browsers",
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("browser"), max_length=100)
    created_at = models.DateTimeField(_("trusted since"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last log-in"), default=timezone.now)
    expires_at = models.DateTimeField(_("trusted until"))

    objects = TrustedBrowserQuerySet.as_manager()

    class Meta:
        verbose_name = _("trusted browser")
        verbose_name_plural = _("trusted browsers")
        ordering = ["-last_used_at"]

    def __str__(self):
        return f"{self.label} ({self.user})"
