"""Spam defences that public forms share: the signed render-time token, the honeypot field, the
per-IP rate limit and the fingerprint that refuses the same text twice.

The token (the hidden `ts` input) says when the form was rendered and on which page: its scope,
the path of the page that shows the form. The page cache (core/pagecache.py) and the cached
fragments (core/fragments.py) fill the `ts` input of a stored page with a fresh token for the
requested path on every hit, so a token depends on nothing but the time and the page.

A form that checks the token asks three things: how old it is (`form_token_age`), whether it was
rendered for this form's page (`form_token_fits`), and, once the submission is accepted, spends
it (`form_token_spend`, inside the transaction that stores what was sent): each token is good for
one accepted submission. Spent tokens are rows of the rate-limit table (core/ratelimit.py): in the
database, so every worker and server sees them, with or without Redis, and the daily purge
removes them a day after they were issued, long after the token itself expired.

Format: the signed payload `<issued>~<scope digest>~<random>`. The random part keeps two tokens
rendered in the same millisecond apart (else one reader would spend the other's token). Tokens of
the first version (payload `<issued>` only) are still accepted for any page until they expire,
once each: readers who had a form open when this version was deployed lose nothing, and since
nothing issues them any more, they are gone two hours later.

A public form that people fill in (the comment form, the consultation request) derives from
`SpamCheckedForm`: it gets the two hidden fields and checks them in `clean()`. The service that
stores what was sent asks `submission_rate_limited()` and keeps a `submission_fingerprint()` in a
unique column, so a double submission is refused even when two requests race.
"""

import hashlib
import math
import secrets
import time
from typing import NamedTuple
from urllib.parse import unquote

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from core.ratelimit import mark_used_once, rate_limit_hit, was_used

TOKEN_SALT = "comments.form-token"  # the salt of the first version: open forms stay valid
HONEYPOT_FIELD = "leer_lassen"  # no browser autofills a field of this name
SPENT_KEY = "form-token:"  # key prefix of a spent token's row in the rate-limit table
TOKEN_FIELD = "ts"


class FormToken(NamedTuple):
    payload: str
    issued: float
    scope: str | None  # the scope's digest; None for a token of the first version


def _scope_digest(scope: str) -> str:
    # A path as the request has it (`/blog/übung/`) or as reverse() makes it (`/blog/%C3%BC...`).
    return hashlib.blake2b(unquote(scope).encode(), digest_size=6).hexdigest()


def new_form_token(*, scope: str = "", now: float | None = None) -> str:
    """A signed render time for the hidden `ts` input of a form shown on the page `scope`."""
    issued = time.time() if now is None else now
    # Cut to whole milliseconds, never rounded up: a token read at once is never from the future.
    issued = math.floor(issued * 1000) / 1000
    payload = f"{issued:.3f}~{_scope_digest(scope)}~{secrets.token_urlsafe(6)}"
    return signing.Signer(salt=TOKEN_SALT).sign(payload)


def read_form_token(token: str) -> FormToken | None:
    """What `token` says, or None if it was tampered with or is garbage."""
    try:
        payload = signing.Signer(salt=TOKEN_SALT).unsign(token)
        issued, *rest = payload.split("~")
        return FormToken(payload, float(issued), rest[0] if rest else None)
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        return None


def form_token_age(token: str, *, now: float | None = None) -> float | None:
    """Seconds since `token` was issued, or None if it was tampered with or is garbage."""
    read = read_form_token(token)
    if read is None:
        return None
    return (time.time() if now is None else now) - read.issued


def form_token_fits(token: str, *, scope: str) -> bool:
    """Whether `token` was issued for a form on the page `scope` (first-version tokens: any)."""
    read = read_form_token(token)
    return read is not None and (read.scope is None or read.scope == _scope_digest(scope))


def _spent_row(read: FormToken) -> dict:
    digest = hashlib.blake2b(read.payload.encode(), digest_size=16).hexdigest()
    return {"key": f"{SPENT_KEY}{digest}", "window": int(read.issued)}


def form_token_spend(token: str) -> bool:
    """Mark `token` used; False if it was used before (or is garbage): refuse the submission then.

    Call it inside the transaction that stores what the form sent, after everything else has
    been checked: a refused submission must not spend the token, and of two requests with the
    same token at the same moment only one can insert the row.
    """
    read = read_form_token(token)
    return read is not None and mark_used_once(**_spent_row(read))


def form_token_spent(token: str) -> bool:
    """Whether `token` was spent by an accepted submission (a form shown again needs a new one)."""
    read = read_form_token(token)
    return read is not None and was_used(**_spent_row(read))


def min_form_seconds(setting: str = "COMMENTS_MIN_FORM_SECONDS") -> float:
    """The least time between rendering and sending a form; the contract allows at most 3 s."""
    # People need a moment to write.
    return min(float(getattr(settings, setting, 3)), 3.0)


def max_form_seconds(setting: str = "COMMENTS_MAX_FORM_SECONDS") -> float:
    """The longest a rendered form may stay open before its token is refused."""
    return float(getattr(settings, setting, 2 * 60 * 60))


class FormTokenField(forms.CharField):
    """The hidden `ts` input: it always renders the form's token, never what was sent."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        return initial


class NeverFilledInput(forms.TextInput):
    """The honeypot: shown again empty, so that a browser's autofill does not trip it twice."""

    def format_value(self, value):
        return None


class SpamCheckedForm(forms.Form):
    """A public form with the honeypot and the signed render-time token, checked in `clean()`.

    Subclasses name their timing settings and may word the messages for their subject
    (`spam_messages`, keyed by the error codes below). `now` (seconds) is for tests.
    """

    min_seconds_setting = "COMMENTS_MIN_FORM_SECONDS"
    max_seconds_setting = "COMMENTS_MAX_FORM_SECONDS"
    spam_messages = {
        "honeypot": _(
            "Your message could not be accepted: a hidden field that must stay empty was "
            "filled in. If your browser fills in forms automatically, please send the form "
            "again without that."
        ),
        "token_invalid": _("The form could not be checked. Please send it again."),
        "token_expired": _(
            "The form was open for more than two hours. Your text is still here: please send "
            "it again."
        ),
        "token_too_fast": _("That was very quick. Please check your entries and send them again."),
        "token_other_page": _(
            "This form was opened on another page. Your text is still here: please send it again."
        ),
    }

    leer_lassen = forms.CharField(
        label=_("Please leave this field empty"),
        required=False,
        widget=NeverFilledInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    ts = FormTokenField()

    def __init__(self, *args, now: float | None = None, **kwargs):
        self.now = now
        super().__init__(*args, **kwargs)
        # The two hidden fields last, after the subclass's own, wherever a form lists its fields.
        hidden = [HONEYPOT_FIELD, TOKEN_FIELD]
        self.order_fields([name for name in self.fields if name not in hidden] + hidden)

    def clean(self):
        cleaned = super().clean()
        self.check_spam_fields()
        return cleaned

    def check_spam_fields(self) -> None:
        """Raise a ValidationError if the honeypot is filled or the token is bad or too young."""
        if self.data.get(HONEYPOT_FIELD):
            self._refuse("honeypot")
        age = form_token_age(self.data.get(TOKEN_FIELD, ""), now=self.now)
        if age is None:
            self._refuse("token_invalid")
        if age > max_form_seconds(self.max_seconds_setting):
            self._refuse("token_expired")
        if age < min_form_seconds(self.min_seconds_setting):
            self._refuse("token_too_fast")
        if not form_token_fits(self.data.get(TOKEN_FIELD, ""), scope=self.token_scope()):
            self._refuse("token_other_page")

    def _refuse(self, code: str):
        raise forms.ValidationError(self.spam_messages[code], code=code)

    def token_scope(self) -> str:
        """The path of the page that shows this form: its token is bound to that page."""
        raise NotImplementedError

    def token_for_render(self) -> str:
        """The `ts` value to render: keep a usable one (so a quick retry is not 'too fast')."""
        scope = self.token_scope()
        if self.is_bound:
            token = self.data.get(TOKEN_FIELD, "")
            age = form_token_age(token, now=self.now)
            if (
                age is not None
                and 0 <= age <= max_form_seconds(self.max_seconds_setting) - 60
                and form_token_fits(token, scope=scope)
                and not form_token_spent(token)
            ):
                return token
        return new_form_token(scope=scope, now=self.now)

    def get_initial_for_field(self, field, field_name):
        if field_name == TOKEN_FIELD:
            return self.token_for_render()
        return super().get_initial_for_field(field, field_name)


def submission_rate_limited(*, scope: str, ip: str | None, limit: int, period: int) -> bool:
    """Count one submission of `scope` from `ip`; True when it is over `limit` per `period` s."""
    return rate_limit_hit(key=f"{scope}:submit:{ip or 'unknown'}", limit=limit, period=period)


def submission_fingerprint(*, scope, email: str, text: str) -> str:
    """Same scope, same address, same words (ignoring case and spacing): the same submission."""
    normalised = " ".join(text.split()).casefold()
    raw = f"{scope}\n{email.strip().casefold()}\n{normalised}"
    return hashlib.sha256(raw.encode()).hexdigest()
