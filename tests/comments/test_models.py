"""Comment states, their transitions and the visibility rules on the QuerySet."""

import pytest
from django.db import IntegrityError

from comments.models import Comment, comment_fingerprint
from tests.comments.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_approved_returns_only_approved_comments():
    approved = CommentFactory()
    for status in ("pending", "spam", "trash"):
        CommentFactory(status=status)

    assert list(Comment.objects.approved()) == [approved]


def test_each_transition_sets_the_status_and_records_who_moderated_when():
    moderator = UserFactory(staff=True)
    comment = CommentFactory(status="pending")

    for method, status in [
        ("approve", "approved"),
        ("mark_spam", "spam"),
        ("move_to_trash", "trash"),
        ("hold", "pending"),
    ]:
        assert getattr(comment, method)(by=moderator) is True
        comment.refresh_from_db()
        assert comment.status == status
        assert comment.moderated_by == moderator
        assert comment.moderated_at is not None


def test_a_transition_to_the_current_status_changes_nothing():
    comment = CommentFactory(status="approved")

    assert comment.approve() is False
    assert comment.moderated_at is None


def test_shown_on_article_includes_own_pending_comments_but_never_other_pending_or_spam(article):
    approved = CommentFactory(article=article)
    own = CommentFactory(article=article, status="pending")
    CommentFactory(article=article, status="pending")
    spam = CommentFactory(article=article, status="spam")
    CommentFactory()  # another article

    shown = Comment.objects.shown_on_article(article, own_pending_ids=[own.pk, spam.pk])

    assert list(shown) == [approved, own]


def test_the_status_must_be_one_of_the_four_known_values(article):
    with pytest.raises(IntegrityError):
        CommentFactory(article=article, status="published")


def test_the_fingerprint_ignores_case_and_spacing_but_not_the_article():
    one = comment_fingerprint(article_id=1, email="Maria@Example.org", body="Danke  für\nalles")
    same = comment_fingerprint(article_id=1, email="maria@example.org", body="danke für alles")
    other_article = comment_fingerprint(
        article_id=2, email="maria@example.org", body="danke für alles"
    )

    assert one == same
    assert one != other_article


def test_link_url_only_links_plain_web_addresses():
    assert CommentFactory.build(url="https://example.org").link_url == "https://example.org"
    assert CommentFactory.build(url="javascript:alert(1)").link_url == ""
