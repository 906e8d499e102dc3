"""Whole-page cache for anonymous readers, kept correct by a site-wide generation number.

``PageCacheMiddleware`` sits just inside GZip and ConditionalGet and outside CSP, sessions and
CSRF (see MIDDLEWARE in settings). On the way out it sees the finished response, with every
header and cookie set, and stores what an anonymous reader got. On the way in it answers a hit
on its own, without the middleware and view below it.

Per-visitor values. A stored page keeps slots for the CSRF token of every form, the signed
render-time token of public forms (``name="ts"``, core/antispam.py) and the CSP nonce (in the
HTML and in the Content-Security-Policy header). A hit fills them with fresh values: a CSRF token
masked from the visitor's own CSRF cookie (set, or renewed, with the response exactly as
CsrfViewMiddleware does), a new render-time token bound to the requested path, a new nonce. So a
form on a cached page passes CSRF and its token check for every visitor.

Compression. The literal parts of a page are stored gzip-compressed as independent deflate
fragments; a hit splices the per-visitor values in as uncompressed (stored) deflate blocks.
So a hit never compresses anything, and no secret is ever compressed together with other
content (no BREACH oracle).

Never served from the cache, never stored: requests with a session cookie (a logged-in author,
a reader with her own pending comment or a message) or a messages cookie. Never stored:
responses that are not 200, set other cookies than the CSRF cookie, carry messages or form
errors, say ``private``/``no-store``/``no-cache``, or come from views not listed in
PAGE_CACHE_URL_NAMES (flatpages are always allowed).

Keys. A page's key holds the release (the static files' manifest and the project's code,
templates and translations, hashed), so that after a deploy no server serves a page pointing to
the old release's static files, and the site-wide generation (below). The URL part is the host,
the path and only those query parameters the page's view reads (PAGE_CACHE_QUERY_PARAMS), in a
fixed order: `?utm_source=...` or a cache-busting `?_=123` never make a new entry. The view
renders such a request without the parameters it does not read, so what is stored is exactly
the page of the key.

In each process a small LRU of pages (PAGE_CACHE_LOCAL_ENTRIES) stands in front of a shared
store: with Redis, a hit then costs one round trip for the generation, not a transfer and
unpickling of the whole page; the generation in the key keeps it exactly as fresh.

Invalidation. Page keys contain a generation value that every app process reads on each
request: from Redis when REDIS_URL is set (the pages live there too), otherwise from a small
file that all workers on the machine share. Signal receivers in core/invalidation.py replace it
whenever something a public page shows changes. Time is the other input: a page is never
kept past the next scheduled publication, which the receivers record alongside.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import secrets
import struct
import tempfile
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import connections
from django.dispatch import receiver
from django.forms import BaseForm
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_cache_control, patch_vary_headers

from core.antispam import new_form_token
from core.cache import CacheUnavailable

logger = logging.getLogger(__name__)

SCHEDULE_LENGTH = 20
GENERATION_KEY = "pagecache:generation"
SCHEDULE_KEY = "pagecache:schedule"

# Markers in a stored page's parts: the slots filled per request.
CSRF, FORM_TIME, NONCE = 0, 1, 2

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]*)"')
FORM_TIME_INPUT = re.compile(rb'name="ts" value="([^"]*)"')
NONCE_SLOT = "\x00nonce\x00"

STORABLE_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "text/plain",
)
# What the cache decision depends on anyway; any other Vary makes a page unstorable.
ALLOWED_VARY = {"cookie", "accept-encoding"}
# Response headers that a hit sets itself or that belong to one response only.
UNSTORED_HEADERS = {
    "set-cookie",
    "content-length",
    "content-encoding",
    "etag",
    "last-modified",
    "date",
    "expires",
    "vary",
    "cache-control",
    "x-page-cache",
}

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
DEFLATE_END = zlib.compressobj(6, zlib.DEFLATED, -15).flush()


_settings_read: dict[str, object] = {}


def _setting(name, default):
    # Read on every request; Django's settings object costs a Python-level lookup each time.
    try:
        return _settings_read[name]
    except KeyError:
        value = _settings_read[name] = getattr(settings, name, default)
        return value


def page_store():
    return caches[_setting("PAGE_CACHE_ALIAS", "default")]


# -- generation and schedule ------------------------------------------------------------------


def _new_generation() -> str:
    # Unique per bump, so two processes bumping at once can never both write the same value.
    return f"{time.time_ns():x}{secrets.token_hex(4)}"


class CacheState:
    """Generation and schedule in a Django cache (Redis): shared by every app server."""

    def __init__(self, alias: str):
        self.alias = alias

    def read(self) -> tuple[str, dict | None]:
        store = caches[self.alias]
        values = store.get_many([GENERATION_KEY, SCHEDULE_KEY])
        generation = values.get(GENERATION_KEY)
        if generation is None:
            store.add(GENERATION_KEY, _new_generation(), timeout=None)
            generation = store.get(GENERATION_KEY)
        return generation, values.get(SCHEDULE_KEY)

    def bump(self) -> None:
        caches[self.alias].set(GENERATION_KEY, _new_generation(), timeout=None)

    def write_schedule(self, schedule: dict) -> None:
        caches[self.alias].set_many(
            {GENERATION_KEY: _new_generation(), SCHEDULE_KEY: schedule}, timeout=None
        )


class FileState:
    """Generation and schedule in a small file that all workers on this machine share.

    Each write replaces the file (a new inode), so a reader needs only a stat() to know whether
    what it read before still holds.
    """

    def __init__(self, folder: Path):
        self.path = folder / "state"
        self._seen: tuple | None = None
        self._value: tuple[str, dict | None] = ("", None)

    def read(self) -> tuple[str, dict | None]:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            self._write(_new_generation(), None, only_if_missing=True)
            stat = os.stat(self.path)
        signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if signature != self._seen:
            with open(self.path, encoding="utf-8") as handle:
                generation, _, schedule = handle.read().partition("\n")
            self._value = (generation, _parse_schedule(schedule))
            self._seen = signature
        return self._value

    def bump(self) -> None:
        self._write(_new_generation(), self._current_schedule())

    def write_schedule(self, schedule: dict) -> None:
        self._write(_new_generation(), schedule)

    def _current_schedule(self) -> dict | None:
        try:
            with open(self.path, encoding="utf-8") as handle:
                return _parse_schedule(handle.read().partition("\n")[2])
        except FileNotFoundError:
            return None

    def _write(self, generation: str, schedule: dict | None, *, only_if_missing=False) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = ""
        if schedule is not None:
            line = ("complete" if schedule["complete"] else "partial") + "".join(
                f" {t!r}" for t in schedule["times"]
            )
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".state-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"{generation}\n{line}")
        if only_if_missing:
            try:
                os.link(temp, self.path)
            except FileExistsError:
                pass
            os.unlink(temp)
        else:
            os.replace(temp, self.path)


def _parse_schedule(line: str) -> dict | None:
    words = line.split()
    if not words:
        return None
    return {"complete": words[0] == "complete", "times": tuple(float(w) for w in words[1:])}


_file_states: dict[tuple, FileState] = {}


def state():
    """Where the generation lives: a Django cache alias, or a folder shared on this machine."""
    alias = _setting("PAGE_CACHE_STATE_ALIAS", "")
    if alias:
        return CacheState(alias)
    folder = _setting("PAGE_CACHE_STATE_DIR", "")
    database = connections["default"].settings_dict
    place = (folder, database.get("NAME"), database.get("HOST"), database.get("PORT"))
    found = _file_states.get(place)
    if found is None:
        if not folder:
            # Keyed by the database in use (tests switch to their own), so that two sites on
            # one machine, or two test runs, never share it.
            digest = hashlib.sha256(repr(place).encode()).hexdigest()[:16]
            folder = Path(tempfile.gettempdir()) / f"feelmove-page-state-{digest}"
        found = _file_states[place] = FileState(Path(folder))
    return found


def bump_generation() -> None:
    """Make every stored page stale, in every process that shares the state."""
    state().bump()


def record_schedule(times) -> None:
    """Store the next scheduled publication times (aware datetimes, ascending); also bumps."""
    times = list(times)
    state().write_schedule(
        {
            "times": tuple(t.timestamp() for t in times[:SCHEDULE_LENGTH]),
            "complete": len(times) <= SCHEDULE_LENGTH,
        }
    )


def valid_until(now: float, schedule: dict | None) -> float:
    """Until when a page rendered now may be served: never past the next scheduled article."""
    limit = now + _setting("PAGE_CACHE_SECONDS", 600)
    if schedule is not None:
        upcoming = [t for t in schedule["times"] if t > now]
        if upcoming:
            return min(limit, upcoming[0])
        if schedule["complete"]:
            return limit
    # Nobody has recorded the schedule since the state was lost: stay short.
    return min(limit, now + _setting("PAGE_CACHE_UNKNOWN_SCHEDULE_SECONDS", 60))


# -- per-visitor values -----------------------------------------------------------------------

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {c: i for i, c in enumerate(_CHARS)}
_LIMIT = 256 - 256 % len(_CHARS)


# Random bytes to characters in one C-level pass: each byte below _LIMIT maps to one of the
# characters (each equally often), the bytes above it are dropped (rejection sampling).
_TO_CHAR = bytes(ord(_CHARS[b % len(_CHARS)]) if b < _LIMIT else 0 for b in range(256))
_ABOVE_LIMIT = bytes(range(_LIMIT, 256))


def _random_csrf_string() -> str:
    """32 characters from CSRF_ALLOWED_CHARS, uniformly (rejection sampling on random bytes)."""
    out = b""
    while len(out) < CSRF_SECRET_LENGTH:
        out += secrets.token_bytes(48).translate(_TO_CHAR, _ABOVE_LIMIT)
    return out[:CSRF_SECRET_LENGTH].decode()


def _csrf_secret(request) -> str:
    """The visitor's CSRF secret from her cookie, or a new one (as CsrfViewMiddleware keeps it)."""
    secret = request.COOKIES.get(_setting("CSRF_COOKIE_NAME", None), "")
    if len(secret) != CSRF_SECRET_LENGTH or any(c not in _INDEX for c in secret):
        secret = _random_csrf_string()
    request.META["CSRF_COOKIE"] = secret
    return secret


def _masked_token(secret: str) -> str:
    """What django.middleware.csrf.get_token() returns: the secret under a one-time mask."""
    mask = _random_csrf_string()
    n, index, chars = len(_CHARS), _INDEX, _CHARS
    return mask + "".join(
        [chars[(index[s] + index[m]) % n] for s, m in zip(secret, mask, strict=True)]
    )


# -- storing ----------------------------------------------------------------------------------


def _request_bypasses_cache(request) -> bool:
    # An empty value is a cookie the site has just deleted; it carries nothing.
    cookies = request.COOKIES
    return bool(
        cookies.get(_setting("SESSION_COOKIE_NAME", None))
        or cookies.get(_setting("MESSAGES_COOKIE_NAME", "messages"))
        or "HTTP_AUTHORIZATION" in request.META
    )


def _location_digest(request) -> str:
    # get_host() first: it refuses a Host outside ALLOWED_HOSTS before anything is looked up.
    location = f"{request.get_host()}{request.path}?{request.META.get('QUERY_STRING', '')}"
    return hashlib.blake2b(location.encode(), digest_size=16).hexdigest()


def _page_key(location: str, generation: str) -> str:
    return f"pagecache:page:{release()}:{generation}:{location}"


# -- which pages, with which query parameters -------------------------------------------------


@dataclass(frozen=True)
class Route:
    """What the page cache knows about a path: may its page be stored, and which query
    parameters does its view read."""

    storable: bool
    query_params: tuple[str, ...] = ()


_routes: dict[str, Route] = {}
_ROUTES_KEPT = 4096
_ROUTE_SETTINGS = {"ROOT_URLCONF", "PAGE_CACHE_URL_NAMES", "PAGE_CACHE_QUERY_PARAMS"}


@receiver(setting_changed)
def _forget_routes(*, setting, **kwargs):
    # Settings change in tests only; what was read or resolved under the old ones no longer holds.
    _settings_read.clear()
    if setting in _ROUTE_SETTINGS:
        _routes.clear()


def _route(path: str) -> Route:
    found = _routes.get(path)
    if found is None:
        if len(_routes) >= _ROUTES_KEPT:
            _routes.clear()  # paths are mostly a site's few pages; anything else is noise
        found = _routes[path] = _resolve_route(path)
    return found


def _resolve_route(path: str) -> Route:
    try:
        name = resolve(path).view_name
    except Resolver404:
        # FlatpageFallbackMiddleware may still find a page here; it reads no parameters.
        return Route(storable=True)
    if not any(fnmatchcase(name, p) for p in _setting("PAGE_CACHE_URL_NAMES", ())):
        return Route(storable=False)
    for pattern, params in _setting("PAGE_CACHE_QUERY_PARAMS", {}).items():
        if fnmatchcase(name, pattern):
            return Route(storable=True, query_params=tuple(params))
    return Route(storable=True)


def _keep_only_read_parameters(request, route: Route) -> None:
    """Let the view see only the query parameters it reads, in a fixed order (the key's)."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return
    kept = sorted(
        (name, value)
        for name, value in parse_qsl(raw, keep_blank_values=True)
        if name in route.query_params
    )
    canonical = urlencode(kept)
    if canonical != raw:
        request.META["QUERY_STRING"] = canonical
        request.GET = QueryDict(canonical)


# -- the release ------------------------------------------------------------------------------

_CODE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".mo"}
_release: str | None = None


def release() -> str:
    """A short hash of what this process serves: static manifest, code, templates, catalogue.

    Servers running the same release agree on it (it hashes contents, not times), so they share
    cached pages; a server of another release never serves them.
    """
    global _release
    configured = _setting("PAGE_CACHE_RELEASE", "")
    if configured:
        return configured
    if _release is None:
        _release = _compute_release()
    return _release


def _compute_release() -> str:
    from django.apps import apps
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import storages

    digest = hashlib.blake2b(digest_size=6)
    storage = storages["staticfiles"]
    if isinstance(storage, ManifestFilesMixin):
        try:
            digest.update((storage.read_manifest() or "").encode())
        except OSError:
            pass
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == base]
    for engine in settings.TEMPLATES:
        folders.extend(Path(folder) for folder in engine.get("DIRS", ()))
    folders.extend(Path(folder) for folder in getattr(settings, "LOCALE_PATHS", ()))
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in _CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


# -- the pages of this process ----------------------------------------------------------------


class LocalPages:
    """The pages this process served last, in front of the shared store (least recently used
    out first). Only pages of the current release and generation are kept."""

    def __init__(self):
        self._entries: OrderedDict[str, dict] = OrderedDict()
        self._generation = ""
        self._lock = threading.Lock()

    def get(self, key: str, generation: str) -> dict | None:
        if not _local_layer():
            return None
        with self._lock:
            if generation != self._generation:
                # Everything kept belongs to an older generation: stale for good.
                self._entries.clear()
                self._generation = generation
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, generation: str, entry: dict) -> None:
        if not _local_layer():
            return
        limit = _setting("PAGE_CACHE_LOCAL_ENTRIES", 200)
        with self._lock:
            if generation != self._generation:
                self._entries.clear()
                self._generation = generation
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


local_pages = LocalPages()


def _local_layer() -> bool:
    """Whether pages are kept here too: only in front of a store other processes share (a
    local-memory store is this process's own already)."""
    try:
        return _settings_read["_local_layer"]
    except KeyError:
        wanted = _setting("PAGE_CACHE_LOCAL_ENTRIES", 200) > 0 and not isinstance(
            page_store(), LocMemCache
        )
        _settings_read["_local_layer"] = wanted
        return wanted


def _cache_control_forbids(response) -> bool:
    value = response.get("Cache-Control", "")
    directives = {d.split("=")[0].strip().lower() for d in cc_delim_re.split(value)}
    return bool(directives & {"private", "no-store", "no-cache"}) or "max-age=0" in value.replace(
        " ", ""
    )


def _view_allows_caching(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        # A 200 without a resolved URL comes from FlatpageFallbackMiddleware.
        return True
    name = match.view_name
    return any(fnmatchcase(name, pattern) for pattern in _setting("PAGE_CACHE_URL_NAMES", ()))


def _carries_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    return bool(getattr(storage, "_queued_messages", None)) or bool(
        getattr(storage, "_loaded_data", None)
    )


def _carries_form_errors(response) -> bool:
    context = getattr(response, "context_data", None) or {}
    return any(
        isinstance(value, BaseForm) and value.is_bound and value.errors
        for value in context.values()
    )


def _storable(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in STORABLE_TYPES or response.has_header("Content-Encoding"):
        return False
    if _cache_control_forbids(response) or getattr(response, "page_cache_exempt", False):
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if vary - ALLOWED_VARY:
        return False
    if set(response.cookies) - {_setting("CSRF_COOKIE_NAME", None)}:
        return False
    if _carries_messages(request) or _carries_form_errors(response):
        return False
    return _view_allows_caching(request)


def split_page(content: bytes, nonce: str | None) -> list:
    """The page cut into literal parts and per-visitor slots."""
    slots = [(m.start(1), m.end(1), CSRF) for m in CSRF_INPUT.finditer(content)]
    slots += [(m.start(1), m.end(1), FORM_TIME) for m in FORM_TIME_INPUT.finditer(content)]
    if nonce:
        needle = f'nonce="{nonce}"'.encode()
        start = content.find(needle)
        while start != -1:
            slots.append((start + 7, start + 7 + len(nonce), NONCE))
            start = content.find(needle, start + len(needle))
    slots.sort()
    parts, position = [], 0
    for start, end, kind in slots:
        parts.append(content[position:start])
        parts.append(kind)
        position = end
    parts.append(content[position:])
    return parts


def _compress_parts(parts: list) -> list:
    """Each literal part as a self-contained, byte-aligned deflate fragment."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    # A full flush ends each fragment on a byte boundary with no back-references across it, so
    # the fragments can be joined with any stored blocks in between.
    return [
        compressor.compress(part) + compressor.flush(zlib.Z_FULL_FLUSH)
        if type(part) is bytes
        else part
        for part in parts
    ]


def _stored_block(data: bytes) -> bytes:
    """`data` as uncompressed deflate blocks (non-final; at most 65,535 bytes each)."""
    blocks = []
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start : start + 0xFFFF]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def _etag(entry: dict, csrf_secret: str, now: float) -> str:
    """A weak ETag: equal for the same page as long as the visitor's tokens stay valid."""
    material = [entry["digest"]]
    if entry["has_csrf"]:
        # A page from the browser's cache carries tokens for this CSRF cookie only.
        material.append(csrf_secret)
    if entry["has_form_time"]:
        # The render-time token ages; after this window the browser gets a fresh page.
        material.append(str(int(now // _setting("PAGE_CACHE_FORM_TIME_WINDOW", 1800))))
    digest = hashlib.blake2b("|".join(material).encode(), digest_size=12).hexdigest()
    return f'W/"{digest}"'


def _label(response, entry: dict, csrf_secret: str, now: float, outcome: str) -> None:
    response.headers["ETag"] = _etag(entry, csrf_secret, now)
    response.headers["X-Page-Cache"] = outcome
    patch_vary_headers(response, ("Cookie",))
    if entry["has_csrf"] or entry["has_form_time"]:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, no_cache=True)


def _label_hit(response, entry: dict, csrf_secret: str, now: float) -> None:
    """As _label() on a response from the cache, which has no Vary or Cache-Control of its own:
    the same headers, without the generic patch helpers (a hit is the hot path)."""
    headers = response.headers
    headers["ETag"] = _etag(entry, csrf_secret, now)
    headers["X-Page-Cache"] = "hit"
    headers["Vary"] = "Accept-Encoding, Cookie"
    personal = entry["has_csrf"] or entry["has_form_time"]
    headers["Cache-Control"] = "private, no-cache" if personal else "no-cache"


def _make_entry(request, response, valid_until: float) -> dict:
    nonce = getattr(request, "_csp_nonce", None)
    nonce = nonce if isinstance(nonce, str) and nonce else None
    parts = split_page(response.content, nonce)
    headers = []
    for name, value in response.headers.items():
        if name.lower() in UNSTORED_HEADERS:
            continue
        if nonce and nonce in value:
            value = value.replace(nonce, NONCE_SLOT)
        headers.append((name, value))
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if type(part) is bytes else b"\x00%d\x00" % part)
    return {
        "parts": parts,
        "gzip": _compress_parts(parts),
        "headers": headers,
        "valid_until": valid_until,
        "digest": digest.hexdigest(),
        "has_csrf": CSRF in parts,
        "has_form_time": FORM_TIME in parts,
    }


# -- serving ----------------------------------------------------------------------------------


@dataclass
class Hit:
    """The per-visitor values of one response from the cache."""

    csrf_secret: str = ""
    csrf_token: bytes = b""
    form_time: bytes = b""
    nonce: str = ""

    def value(self, marker: int) -> bytes:
        if marker == CSRF:
            return self.csrf_token
        if marker == FORM_TIME:
            return self.form_time
        return self.nonce.encode()


def _assemble(entry: dict, value, *, gzipped: bool) -> bytes:
    """The page with `value(marker)` in every slot, as gzip or as it is."""
    if not gzipped:
        return b"".join(p if type(p) is bytes else value(p) for p in entry["parts"])
    crc, size, chunks = 0, 0, [GZIP_HEADER]
    for part, fragment in zip(entry["parts"], entry["gzip"], strict=True):
        data = part if type(part) is bytes else value(part)
        crc = zlib.crc32(data, crc)
        size += len(data)
        chunks.append(fragment if type(part) is bytes else _stored_block(data))
    chunks += [DEFLATE_END, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(chunks)


def _serve(entry: dict, request, now: float) -> HttpResponse:
    hit = Hit()
    if entry["has_csrf"]:
        hit.csrf_secret = _csrf_secret(request)
        hit.csrf_token = _masked_token(hit.csrf_secret).encode()
    if entry["has_form_time"]:
        # Bound to the page it is shown on: a form checks that its token came from its page.
        hit.form_time = new_form_token(scope=request.path).encode()
    if NONCE in entry["parts"] or any(NONCE_SLOT in v for _n, v in entry["headers"]):
        hit.nonce = secrets.token_urlsafe(16)

    gzipped = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    body = _assemble(entry, hit.value, gzipped=gzipped)
    response = HttpResponse(body)
    for name, value in entry["headers"]:
        response.headers[name] = value.replace(NONCE_SLOT, hit.nonce) if hit.nonce else value
    response.headers["Content-Length"] = str(len(body))
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    if entry["has_csrf"]:
        # As CsrfViewMiddleware does whenever a page used the token: set or renew the cookie.
        response.set_cookie(
            _setting("CSRF_COOKIE_NAME", None),
            hit.csrf_secret,
            max_age=_setting("CSRF_COOKIE_AGE", None),
            domain=_setting("CSRF_COOKIE_DOMAIN", None),
            path=_setting("CSRF_COOKIE_PATH", None),
            secure=_setting("CSRF_COOKIE_SECURE", None),
            httponly=_setting("CSRF_COOKIE_HTTPONLY", None),
            samesite=_setting("CSRF_COOKIE_SAMESITE", None),
        )
    _label_hit(response, entry, hit.csrf_secret, now)
    return response


def _log_unavailable(error: Exception, message: str, path: str) -> None:
    if isinstance(error, CacheUnavailable):
        # Redis failed a moment ago and core.cache said so once; not again for every request.
        logger.debug(message, path)
    else:
        logger.warning(message, path, exc_info=True)


class PageCacheMiddleware:
    """Serve and store whole pages for anonymous readers (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        if _setting("CSRF_USE_SESSIONS", False):
            raise ValueError(
                "The page cache needs the CSRF secret in a cookie (CSRF_USE_SESSIONS)."
            )

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or not _setting("PAGE_CACHE", True)
            or request.path_info.startswith(tuple(_setting("PAGE_CACHE_EXCLUDE_PREFIXES", ())))
        ):
            return self.get_response(request)
        if _request_bypasses_cache(request):
            response = self.get_response(request)
            response.headers["X-Page-Cache"] = "bypass"
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response

        route = _route(request.path_info)
        if not route.storable:
            response = self.get_response(request)
            response.headers["X-Page-Cache"] = "skip"
            return response
        _keep_only_read_parameters(request, route)
        location = _location_digest(request)
        try:
            generation, schedule = state().read()
            key = _page_key(location, generation)
            entry = local_pages.get(key, generation)
            if entry is None:
                entry = page_store().get(key)
                if entry is not None:
                    local_pages.put(key, generation, entry)
        except Exception as error:
            # Redis down, the state folder unwritable: serve pages uncached rather than fail.
            _log_unavailable(error, "Page cache unavailable; serving %s uncached", request.path)
            return self.get_response(request)
        now = timezone.now().timestamp()
        if entry is not None and entry["valid_until"] > now:
            return _serve(entry, request, now)

        response = self.get_response(request)
        entry = (
            _make_entry(request, response, valid_until(now, schedule))
            if _storable(request, response)
            else None
        )
        if entry is None:
            response.headers["X-Page-Cache"] = "skip"
            return response
        local_pages.put(key, generation, entry)
        try:
            page_store().set(key, entry, timeout=max(1, math.ceil(entry["valid_until"] - now)))
        except Exception as error:
            _log_unavailable(error, "Page cache unavailable; %s not stored", request.path)
            return response
        _label(response, entry, request.META.get("CSRF_COOKIE", ""), now, "miss")
        return response
