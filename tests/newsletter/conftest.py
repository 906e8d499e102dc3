import pytest
from django.test import TestCase

from tests.newsletter.factories import GuideFactory


def run_on_commit_after_each_request(client):
    """Make `client` run `transaction.on_commit` callbacks after each request.

    Tests run inside a transaction that never commits, so the callbacks (which queue every e-mail)
    would never run; after each request they run as a real commit would.
    """
    request = client.request

    def request_and_commit(**kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return request(**kwargs)

    client.request = request_and_commit
    return client


@pytest.fixture
def client(client):
    return run_on_commit_after_each_request(client)


@pytest.fixture
def admin_client(admin_client):
    return run_on_commit_after_each_request(admin_client)


@pytest.fixture
def guide(db):
    return GuideFactory()
