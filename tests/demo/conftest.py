"""Shared fixtures for the demo tests."""

import shutil

import pytest

from demo.content import CONTENT_DIR


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of demo/content/, for breaking one of its files."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


@pytest.fixture
def author(db):
    from tests.comments.factories import UserFactory

    return UserFactory(username="jana", first_name="Jana", last_name="Berger", staff=True)
