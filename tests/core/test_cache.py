"""The Redis cache backend reuses its Redis client and otherwise is Django's."""

import pytest

from core.cache import RedisCache
from tests.perf.helpers import REDIS_URL, redis_answers


@pytest.fixture
def cache():
    if not redis_answers():
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "feelmove-test-core-cache"})
    yield cache
    cache.delete_many(["eins", "zwei", "zaehler"])


def test_every_call_uses_the_same_redis_client(cache):
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_it_stores_reads_counts_and_deletes_like_djangos(cache):
    cache.set("eins", {"seite": 1}, timeout=60)
    cache.set_many({"zwei": [2]}, timeout=60)
    assert cache.get_many(["eins", "zwei"]) == {"eins": {"seite": 1}, "zwei": [2]}
    assert cache.add("zaehler", 0, timeout=60)
    assert cache.incr("zaehler") == 1
    cache.delete("eins")
    assert cache.get("eins") is None


def test_get_many_reads_on_its_own_connection_and_recovers_when_it_breaks(cache):
    cache.set_many({"eins": 1, "zwei": 2}, timeout=60)
    assert cache.get_many(["eins", "zwei", "fehlt"]) == {"eins": 1, "zwei": 2}

    cache._cache._reader().disconnect()  # as when Redis restarts
    assert cache.get_many(["eins"]) == {"eins": 1}
    assert cache.get_many([]) == {}


def test_a_connection_made_in_another_process_is_not_used(cache, monkeypatch):
    import os

    first = cache._cache._reader()
    monkeypatch.setattr(os, "getpid", lambda: first.pid + 1)  # as in a forked worker
    assert cache._cache._reader() is not first
