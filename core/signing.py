"""Signed links: the one way every app puts a value into a URL that nobody can forge.

Signed with SECRET_KEY (and still readable with SECRET_KEY_FALLBACKS after a key rotation), so a
link cannot be guessed or altered; `max_age` makes a link expire.
"""

from datetime import timedelta

from django.core import signing


class LinkInvalid(Exception):
    """The link was forged, mistyped, or belongs to something that no longer exists."""


class LinkExpired(LinkInvalid):
    """The link was genuine but is too old."""


def sign_link(value, *, salt: str) -> str:
    """`value` (anything JSON can hold) as a URL-safe signed token for links of kind `salt`."""
    return signing.dumps(value, salt=salt, compress=True)


def read_link(token: str, *, salt: str, max_age: timedelta | int | None = None):
    """The value signed into `token`; raises LinkExpired or LinkInvalid."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkInvalid from error
