"""Parts of a page rendered once and reused, for the requests the page cache does not serve.

The page cache (core/pagecache.py) answers anonymous readers with whole pages. The author and a
reader with a session (her pending comment, a message) always get a fresh render; these parts of
it are the same for everyone and are kept per process instead: the sidebar, the article itself,
the comment section without one's own pending comments. They are kept exactly as long as a
cached page would be: the key holds the release and the page cache's generation (so every change
that refreshes the pages refreshes them), and none outlives the next scheduled publication or
PAGE_CACHE_SECONDS.

A kept part is stored cut at its per-visitor values, as the page cache stores pages: each use
fills in this request's CSRF token, a fresh render-time token for the form (bound to the
requested path) and this response's CSP nonce.

In templates: `{% load fragments %}{% fragment "sidebar" request.path %}...{% endfragment %}`
(more values after the name make more variants; `when=expr` keeps the part only when expr is
true). In Python: `cached_fragment(request, key, render)`.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from core import pagecache
from core.antispam import new_form_token

logger = logging.getLogger(__name__)

FRAGMENT_ALIAS = "fragments"
_NO_STATE = object()


def _state(request):
    """The page cache's generation and schedule, read once per request (None: unavailable)."""
    found = getattr(request, "_fragment_state", _NO_STATE)
    if found is _NO_STATE:
        try:
            found = pagecache.state().read()
        except Exception:
            logger.warning("Page cache state unavailable; parts rendered afresh", exc_info=True)
            found = None
        request._fragment_state = found
    return found


def _nonce(request) -> str:
    # django-csp's lazy nonce is falsy until first read: read it, never test it.
    nonce = getattr(request, "csp_nonce", None)
    return "" if nonce is None else str(nonce)


def _fill(parts: list, request) -> str:
    values = {}
    out = []
    for part in parts:
        if type(part) is bytes:
            out.append(part)
            continue
        if part not in values:
            if part == pagecache.CSRF:
                values[part] = get_token(request).encode()
            elif part == pagecache.FORM_TIME:
                values[part] = new_form_token(scope=request.path).encode()
            else:
                values[part] = _nonce(request).encode()
        elif part == pagecache.CSRF:
            values[part] = get_token(request).encode()  # a new mask for each form, as Django
        out.append(values[part])
    return b"".join(out).decode()


def cached_fragment(request, key: tuple, render: Callable[[], str]) -> str:
    """`render()`'s HTML, rendered once per release and page-cache generation (see above)."""
    if (
        request is None
        or not getattr(settings, "PAGE_CACHE", True)
        or FRAGMENT_ALIAS not in settings.CACHES
    ):
        return render()
    found = _state(request)
    if found is None:
        return render()
    generation, schedule = found
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    cache_key = f"fragment:{pagecache.release()}:{generation}:{digest}"
    store = caches[FRAGMENT_ALIAS]
    now = time.time()
    entry = store.get(cache_key)
    if entry is not None and entry["valid_until"] > now:
        return mark_safe(_fill(entry["parts"], request))
    html = render()
    nonce = getattr(request, "_csp_nonce", None)
    parts = pagecache.split_page(str(html).encode(), nonce if isinstance(nonce, str) else None)
    valid_until = pagecache.valid_until(now, schedule)
    store.set(cache_key, {"parts": parts, "valid_until": valid_until}, timeout=valid_until - now)
    return html if isinstance(html, SafeString) else mark_safe(html)
