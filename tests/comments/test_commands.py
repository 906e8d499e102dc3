"""The daily IP anonymisation command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_the_anonymise_command_clears_ips_older_than_thirty_days():
    old = CommentFactory(created_at=timezone.now() - timedelta(days=40))
    recent = CommentFactory()
    out = StringIO()

    call_command("anonymise_comment_ips", stdout=out)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None
    assert recent.ip_address is not None
    assert "1 comment(s) anonymised" in out.getvalue()


def test_the_anonymise_command_takes_another_age():
    CommentFactory(created_at=timezone.now() - timedelta(days=10))

    call_command("anonymise_comment_ips", "--days", "7", stdout=StringIO())

    assert Comment.objects.get().ip_address is None
