"""Fixtures of the browser tests."""

import pytest


@pytest.fixture
def site(live_server, settings):
    """The live server with uploaded media served, as the proxy does in production."""
    settings.ROOT_URLCONF = "tests.browser.urls"
    return live_server
