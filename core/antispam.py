"""Spam defences that public forms share: a signed render-time token and a honeypot field.

The page cache (core/pagecache.py) fills the hidden `ts` input of a cached page with a fresh
token on every hit by calling `new_form_token()`, so a token depends on nothing but the time.
"""

import time

from django.core import signing

TOKEN_SALT = "comments.form-token"  # the salt of the first version: open forms stay valid
HONEYPOT_FIELD = "leer_lassen"  # no browser autofills a field of this name


def new_form_token(*, now: float | None = None) -> str:
    """A signed render time for the hidden `ts` input of a form."""
    issued = time.time() if now is None else now
    return signing.Signer(salt=TOKEN_SALT).sign(f"{issued:.3f}")


def form_token_age(token: str, *, now: float | None = None) -> float | None:
    """Seconds since `token` was issued, or None if it was tampered with or is garbage."""
    try:
        issued = float(signing.Signer(salt=TOKEN_SALT).unsign(token))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (time.time() if now is None else now) - issued
