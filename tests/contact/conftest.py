"""Shared fixtures for the contact tests."""

import pytest

URL = "/kontakt/"


@pytest.fixture(autouse=True)
def no_rate_limits_unless_asked(settings):
    # Most tests send several requests from one client address; the rate limit has its own test.
    settings.RATE_LIMITS = False


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the queued e-mails) as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def send(client, db):
    """POST the contact form with `request_post_data(**overrides)`."""
    from tests.contact.factories import request_post_data

    def post(**overrides):
        return client.post(URL, request_post_data(**overrides))

    return post
