"""Fixtures for the page-cache tests: the cache on, its shared state in a folder of this test."""

import os
import uuid

import pytest

from tests.perf.helpers import REDIS_URL, redis_answers


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_SECONDS = 600  # as in production (DEBUG, as in tests, keeps 5 s)
    settings.PAGE_CACHE_STATE_ALIAS = ""
    settings.PAGE_CACHE_STATE_DIR = str(tmp_path / "page-state")
    # Several comments come from one test client; the rate limit has its own tests.
    settings.RATE_LIMITS = False
    return settings


@pytest.fixture
def redis_pages(settings):
    """Pages and generation in Redis (REDIS_TEST_URL), under a key prefix of this test alone."""
    if not redis_answers():
        if os.environ.get("REDIS_TEST_URL"):
            pytest.fail(f"REDIS_TEST_URL={REDIS_URL} is set but Redis does not answer there")
        pytest.skip(f"Redis does not answer at {REDIS_URL} and REDIS_TEST_URL is not set")
    prefix = f"feelmove-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.PAGE_CACHE_STATE_ALIAS = "default"
    yield prefix
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
