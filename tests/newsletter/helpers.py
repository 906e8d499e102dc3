"""Small helpers for the newsletter tests."""

import re
from urllib.parse import urlsplit

LINK = re.compile(r"https?://\S+")


def links_in(message) -> list[str]:
    """All URLs in an e-mail's plain-text body."""
    return LINK.findall(message.body)


def path_of(url: str) -> str:
    return urlsplit(url).path


def signup_data(**overrides) -> dict:
    return {"email": "anna@example.de", "first_name": "Anna", "consent": "on", **overrides}


def link_to(message, fragment: str) -> str:
    """The path of the first link in `message` whose URL contains `fragment`."""
    for url in links_in(message):
        if fragment in url:
            return path_of(url)
    raise AssertionError(f"No link with {fragment!r} in:\n{message.body}")


def days_ago(days: float):
    """Make signed links as if it were `days` days ago (for expiry tests)."""
    import time
    from unittest import mock

    return mock.patch("django.core.signing.time.time", return_value=time.time() - days * 86400)
