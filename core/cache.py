"""The shared cache (Redis) when it fails: short timeouts, a pause after a failure, a health check.

With REDIS_URL set, settings use `RedisCache` below instead of Django's own. It differs in two
ways. Its connections give up after a fraction of a second (OPTIONS `socket_connect_timeout` and
`socket_timeout`, passed on to redis-py's connection pool), so a Redis that accepts connections
and never answers costs a request that long, not the socket's default of forever. And after a
connection error or a timeout, the cache counts as unavailable in this process for
CACHE_RETRY_AFTER seconds: every call in that time fails at once with CacheUnavailable, without
touching the network, so a hanging Redis costs one timeout per process and pause, not one per
call. The first call after the pause asks Redis again.

Callers treat a failing cache as no cache: the page cache renders pages anew
(core/pagecache.py), rate limits count in the database (core/ratelimit.py), invalidation logs and
goes on (core/invalidation.py). A warning goes to the log when the cache fails and a line when it
answers again. `cache_answers()` asks the cache now, for /healthz.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.utils.functional import cached_property
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 10.0


class CacheUnavailable(redis_errors.ConnectionError):
    """The cache failed a moment ago and is not asked again before its pause is over."""


# What a failing Redis raises, for callers that carry on without the cache.
CACHE_ERRORS = (redis_errors.RedisError, OSError)
# What makes the cache count as unavailable: no connection or no answer (not a wrong command).
_OUTAGE_ERRORS = (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError)

_recovery_callbacks: list[Callable[[], None]] = []


def on_recovery(callback: Callable[[], None]) -> None:
    """Call `callback()` whenever a cache answers again in this process after it had failed."""
    if callback not in _recovery_callbacks:
        _recovery_callbacks.append(callback)


class Outage:
    """Whether one cache failed recently in this process, and until when it is left alone."""

    def __init__(self, name: str, retry_after: float):
        self.name = name
        self.retry_after = retry_after
        self.until = 0.0  # monotonic time; 0: the cache answered last time
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        return self.until > 0 and time.monotonic() < self.until

    def check(self) -> None:
        if self.active:
            raise CacheUnavailable(
                f"The cache {self.name!r} failed less than {self.retry_after:g} s ago."
            )

    def failed(self, error: BaseException) -> None:
        with self._lock:
            first = self.until == 0
            self.until = time.monotonic() + self.retry_after
        logger.warning(
            "Cache %r %s (%s: %s); working without it, next try in %g s.",
            self.name,
            "unavailable" if first else "still unavailable",
            type(error).__name__,
            error,
            self.retry_after,
        )

    def answered(self) -> None:
        if self.until == 0:
            return
        with self._lock:
            was_down, self.until = self.until != 0, 0.0
        if was_down:
            logger.warning("Cache %r answers again.", self.name)
            for callback in list(_recovery_callbacks):
                try:
                    callback()
                except Exception:
                    logger.exception("Cache %r: a recovery step failed", self.name)


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(name: str, retry_after: float) -> Outage:
    """The one Outage of a server in this process (cache backends are made per thread)."""
    with _outages_lock:
        outage = _outages.get(name)
        if outage is None:
            outage = _outages[name] = Outage(name, retry_after)
        outage.retry_after = retry_after
        return outage


class _GuardedClient:
    """Django's Redis client with every call checked against, and reported to, the outage."""

    def __init__(self, client, outage: Outage):
        self._client = client
        self._outage = outage

    def __getattr__(self, name):
        target = getattr(self._client, name)
        if not callable(target) or name.startswith("_"):
            return target

        def guarded(*args, **kwargs):
            self._outage.check()
            try:
                result = target(*args, **kwargs)
            except _OUTAGE_ERRORS as error:
                self._outage.failed(error)
                raise
            self._outage.answered()
            return result

        return guarded


class RedisCache(DjangoRedisCache):
    """Django's RedisCache that fails fast and pauses after a failure (see the module docstring).

    OPTIONS may hold `retry_after` (seconds, default 10) besides redis-py's pool options.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._options = dict(self._options)
        retry_after = float(self._options.pop("retry_after", DEFAULT_RETRY_AFTER))
        self.outage = outage_of(self._servers[0].rpartition("@")[2], retry_after)

    @cached_property
    def _cache(self):
        return _GuardedClient(self._class(self._servers, **self._options), self.outage)

    def ping(self) -> bool:
        """Ask Redis now, even during a pause; the answer ends or starts an outage."""
        try:
            result = self._cache._client.get_client(write=True).ping()
        except _OUTAGE_ERRORS as error:
            self.outage.failed(error)
            return False
        self.outage.answered()
        return bool(result)


def cache_answers(alias: str = "default") -> bool:
    """Whether the cache `alias` answers now; never raises, waits at most its timeouts.

    A local-memory cache always answers. For /healthz: the site keeps serving without Redis,
    only more slowly, so a False here is worth reporting but is no reason for a 503 by itself.
    """
    cache = caches[alias]
    if isinstance(cache, RedisCache):
        return cache.ping()
    try:
        cache.get("healthz:probe")
    except Exception:
        return False
    return True
