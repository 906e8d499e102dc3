"""The visitor's address, and a fixed-window rate limit that holds across all worker processes.

With Redis configured as the cache, counters live there (atomic INCR); otherwise in the database,
because a local-memory cache is per process and would let each gunicorn worker count on its own.
When Redis fails, the hit is counted in the database instead (with a warning in the log): a
visitor's form never fails because the cache does.
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

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


def client_ip(request) -> str:
    """The visitor's IP address; behind PROXY_COUNT trusted proxies, taken from X-Forwarded-For."""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"


def client_ip_or_none(request) -> str | None:
    """The visitor's IP address as stored with a comment or a signup; None if it is no address."""
    return valid_ip(client_ip(request))


def valid_ip(value: str | None) -> str | None:
    """`value` as a normalised IP address, or None."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
