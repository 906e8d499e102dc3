"""Spam defences that public forms share: a signed render-time token and a honeypot field.

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
"""

import hashlib
import secrets
import time
from typing import NamedTuple
from urllib.parse import unquote

from django.core import signing

from core.ratelimit import mark_used_once, was_used

TOKEN_SALT = "comments.form-token"  # the salt of the first version: open forms stay valid
HONEYPOT_FIELD = "leer_lassen"  # no browser autofills a field of this name
SPENT_KEY = "form-token:"  # key prefix of a spent token's row in the rate-limit table


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
