import pytest

from tests.newsletter.conftest import run_on_commit_after_each_request


@pytest.fixture
def client(client):
    return run_on_commit_after_each_request(client)
