import pytest

from tests.newsletter.factories import GuideFactory


@pytest.fixture
def guide(db):
    return GuideFactory()


@pytest.fixture
def no_rate_limits(settings):
    settings.RATE_LIMITS = False


