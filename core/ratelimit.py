"""The visitor's address, and a fixed-window rate limit that holds across all worker processes.

With Redis configured as the cache, counters live there (atomic INCR); otherwise in the database,
because a local-memory cache is per process and would let each gunicorn worker count on its own.
When Redis fails, the hit is counted in the database instead (with a warning in the log): a
visitor's form never fails because the cache does.
"""

import ipaddress
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.cache import CACHE_ERRORS
from core.models import RateLimitCounter

logger = logging.getLogger(__name__)


def _uses_shared_cache() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def rate_limit_hit(*, key: str, limit: int, period: int, now: float | None = None) -> bool:
    """Count one hit for `key`; return True when it is over `limit` hits per `period` seconds."""
    if not settings.RATE_LIMITS:
        return False
    now = time.time() if now is None else now
    window = int(now // period) * period
    if _uses_shared_cache():
        try:
            return _cache_hit(key=key, window=window, period=period) > limit
        except CACHE_ERRORS as error:
            logger.warning(
                "Rate limit %s counted in the database: the cache failed (%s: %s)",
                key,
                type(error).__name__,
                error,
            )
    return _database_hit(key=key, window=window, period=period) > limit


def _cache_hit(*, key: str, window: int, period: int) -> int:
    cache_key = f"ratelimit:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 5)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 5)
        return 1


def _database_hit(*, key: str, window: int, period: int) -> int:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                updated = RateLimitCounter.objects.filter(key=key, window=window).update(
                    count=F("count") + 1
                )
                if not updated:
                    RateLimitCounter.objects.create(key=key, window=window, count=1)
                    # A new window: forget the old ones of this key.
                    RateLimitCounter.objects.filter(key=key, window__lt=window - period).delete()
                    return 1
                return RateLimitCounter.objects.values_list("count", flat=True).get(
                    key=key, window=window
                )
        except IntegrityError:
            continue  # another worker created the row first; count again
    return 1


def mark_used_once(*, key: str, window: int) -> bool:
    """Record that `key` was used in `window`; False if it had been recorded before.

    For things good for one use only (a form's token, core/antispam.py). Always in the
    database, never in the cache: a mark that Redis evicts, loses on a restart or cannot reach
    would let the thing be used again. Inside the caller's transaction the row is its lock: a
    second request inserting the same row waits for the first to commit (PostgreSQL) or cannot
    write before it (SQLite), and is then told no.
    """
    try:
        with transaction.atomic():
            RateLimitCounter.objects.create(key=key, window=window, count=1)
    except IntegrityError:
        return False
    return True


def was_used(*, key: str, window: int) -> bool:
    """Whether mark_used_once(key, window) has been recorded (and not purged yet)."""
    return RateLimitCounter.objects.filter(key=key, window=window).exists()


# Counter rows name an IP address; the daily purge keeps none for longer than this. Longer than
# any limit's period (the longest is an hour), so no window still counting is ever removed, and
# longer than a form token lives (two hours), so no spent token is forgotten while it is valid.
RATE_LIMIT_RETENTION = timedelta(days=1)


def rate_limits_purge(*, older_than: timedelta = RATE_LIMIT_RETENTION, now=None) -> int:
    """Delete the database counters of windows that started before `older_than`; how many."""
    now = now or timezone.now()
    cutoff = int((now - older_than).timestamp())
    deleted, _per_model = RateLimitCounter.objects.filter(window__lt=cutoff).delete()
    return deleted


def client_ip(request) -> str:
    """The visitor's IP address, the same for rate limits, comment IPs and the admin lockout.

    Behind PROXY_COUNT trusted proxies, each appending the address it saw to X-Forwarded-For,
    the visitor is the entry that the outermost of them appended: the PROXY_COUNT-th from the
    end. Whatever the client itself sent stands further left and is never read, so a forged
    header cannot choose the address. Without proxies the header is ignored altogether.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            # A proxy that wrote something else than an address is misconfigured; its own
            # address is then the best we know.
            return _address_without_port(forwarded[-proxies]) or remote
    return remote


def _address_without_port(value: str) -> str | None:
    """`value` as an IP address; also accepts `1.2.3.4:5678` and `[2001:db8::1]:5678`."""
    address = valid_ip(value)
    if address is None and value.startswith("["):
        address = valid_ip(value[1:].split("]", 1)[0])
    elif address is None and value.count(":") == 1:
        address = valid_ip(value.split(":", 1)[0])
    return address


def client_ip_or_none(request) -> str | None:
    """The visitor's IP address as stored with a comment or a signup; None if it is no address."""
    return valid_ip(client_ip(request))


def valid_ip(value: str | None) -> str | None:
    """`value` as a normalised IP address, or None."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
