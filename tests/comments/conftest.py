"""Shared fixtures for the comment tests."""

import pytest

from tests.comments.factories import ArticleFactory, UserFactory


@pytest.fixture(autouse=True)
def no_rate_limits_unless_asked(settings):
    # Most tests post several comments from one client address; the rate limit has its own tests.
    settings.RATE_LIMITS = False


@pytest.fixture
def article(db):
    return ArticleFactory(title="Faszien einfach erklärt", slug="faszien-einfach-erklaert")


@pytest.fixture
def author(db):
    return UserFactory(username="jana", first_name="Jana", last_name="Berger", staff=True)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the queued e-mails) as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
