"""The demo comments and the daily IP anonymisation command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments import demo
from comments.models import Comment, SpamWord
from tests.comments.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_articles(author):
    return [ArticleFactory(slug=slug, author=author) for slug in demo.THREADS]


def test_the_demo_fills_several_articles_one_with_at_least_eight_comments(author, demo_articles):
    demo.load(author=author, stdout=StringIO())

    counts = [a.comments.filter(status="approved").count() for a in demo_articles]
    assert max(counts) >= 8
    assert sum(1 for count in counts if count) >= 4
    assert Comment.objects.filter(status="pending").exists()
    assert Comment.objects.filter(status="spam").exists()
    replies = Comment.objects.filter(is_author_reply=True)
    assert replies.exists() and all(r.user == author and r.parent_id for r in replies)
    assert Comment.objects.filter(parent__parent__isnull=False).exists()  # nested two deep
    assert SpamWord.objects.exists()
    assert not Comment.objects.filter(created_at__gt=timezone.now()).exists()


def test_the_demo_creates_nothing_the_second_time(author, demo_articles):
    demo.load(author=author)
    before = list(Comment.objects.values_list("pk", "status", "body").order_by("pk"))

    demo.load(author=author)

    assert list(Comment.objects.values_list("pk", "status", "body").order_by("pk")) == before


def test_the_demo_skips_articles_that_do_not_exist(author):
    demo.load(author=author)

    assert not Comment.objects.exists()


def test_the_demo_page_renders_nested_comments(client, author, demo_articles):
    demo.load(author=author)

    html = client.get(demo_articles[0].get_absolute_url()).content.decode()

    assert "Kommentare</h2>" in html
    assert "Autorin" in html


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
