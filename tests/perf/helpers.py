"""Small helpers for the page-cache tests."""

import html
import os
import re

from django.test import Client

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TIME_INPUT = re.compile(r'name="ts" value="([^"]+)"')
# The action without its anchor (#kommentar-formular), which a browser never sends.
COMMENT_FORM = re.compile(r'<form[^>]+action="([^"#]*kommentieren/)(?:#[^"]*)?"')
REDIS_URL = os.environ.get("REDIS_TEST_URL") or "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def anonymous() -> Client:
    """A new visitor: no cookies at all."""
    return Client()


def page(url: str, client: Client | None = None, **headers):
    """GET `url` (as a new visitor unless a client is given) and return the response."""
    return (client or anonymous()).get(url, **headers)


def cached_page(url: str):
    """GET `url` until it comes from the page cache; the answer of that hit."""
    first = page(url)
    assert first.status_code == 200, first.status_code
    second = page(url)
    assert second["X-Page-Cache"] == "hit", (first["X-Page-Cache"], second["X-Page-Cache"])
    return second


def text(response) -> str:
    return html.unescape(response.content.decode())


def comment_form(response) -> dict:
    """The action and the per-visitor hidden values of the comment form on an article page."""
    content = response.content.decode()
    return {
        "action": COMMENT_FORM.search(content).group(1),
        "csrfmiddlewaretoken": CSRF_INPUT.search(content).group(1),
        "ts": FORM_TIME_INPUT.search(content).group(1),
    }
