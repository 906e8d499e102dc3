import pytest
from django.test import TestCase

from tests.newsletter.factories import GuideFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # admin_user's password would otherwise take a second to hash in every admin test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client(client):
    """The test client, but e-mails queued on commit go out after each request.

    Tests run inside a transaction that never commits, so `transaction.on_commit` callbacks (which
    queue every e-mail) would never run; after each request they run as a real commit would.
    """
    request = client.request

    def request_and_commit(**kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return request(**kwargs)

    client.request = request_and_commit
    return client


@pytest.fixture
def admin_client(admin_client):
    request = admin_client.request

    def request_and_commit(**kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return request(**kwargs)

    admin_client.request = request_and_commit
    return admin_client


@pytest.fixture
def guide(db):
    return GuideFactory()
