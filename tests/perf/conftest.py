"""Fixtures for the page-cache tests: the cache on, its shared state in a folder of this test."""

import pytest


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_SECONDS = 600  # as in production (DEBUG, as in tests, keeps 5 s)
    settings.PAGE_CACHE_STATE_ALIAS = ""
    settings.PAGE_CACHE_STATE_DIR = str(tmp_path / "page-state")
    # Several comments come from one test client; the rate limit has its own tests.
    settings.RATE_LIMITS = False
    return settings
