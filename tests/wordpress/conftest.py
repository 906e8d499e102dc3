"""Fixtures of the WordPress import tests: the old uploads folder and one imported site."""

import pytest
from django.contrib.auth import get_user_model

from tests.wordpress.support import make_uploads, run_import


@pytest.fixture
def uploads(tmp_path):
    return make_uploads(tmp_path / "wp-content" / "uploads")


@pytest.fixture
def imported(db, uploads):
    """The fixture export imported with its uploads folder; the report as text."""
    get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    return run_import("--uploads", uploads)
