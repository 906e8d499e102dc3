"""“Verwandte Artikel”: hand-picked first, then shared tags, then the same category."""

from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Article
from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


def related(article, limit=3):
    return list(Article.objects.related_to(article, limit=limit))


def test_hand_picked_articles_come_first_even_without_anything_in_common():
    article = ArticleFactory(tags=[TagFactory()])
    sharing = ArticleFactory(tags=list(article.tags.all()), category=article.category)
    picked = ArticleFactory(published_at=timezone.now() - timedelta(days=400))
    article.related.set([picked])

    assert related(article) == [picked, sharing]


def test_articles_sharing_more_tags_come_before_those_sharing_fewer_or_only_the_category():
    stretching, hip, morning = TagFactory(), TagFactory(), TagFactory()
    article = ArticleFactory(tags=[stretching, hip, morning])
    same_category = ArticleFactory(category=article.category)
    one_tag = ArticleFactory(tags=[hip])
    two_tags = ArticleFactory(tags=[hip, morning], published_at=timezone.now() - timedelta(days=90))
    ArticleFactory()  # nothing in common

    assert related(article, limit=5) == [two_tags, one_tag, same_category]


def test_an_article_is_never_related_to_itself_even_when_hand_picked():
    article = ArticleFactory()
    article.related.set([article])

    assert related(article) == []


def test_drafts_and_scheduled_articles_are_never_related_even_when_hand_picked():
    tag = TagFactory()
    article = ArticleFactory(tags=[tag])
    draft = ArticleFactory(draft=True, tags=[tag], category=article.category)
    scheduled = ArticleFactory(scheduled=True, tags=[tag], category=article.category)
    article.related.set([draft, scheduled])

    assert related(article) == []


def test_articles_without_category_are_not_related_just_because_both_lack_one():
    article = ArticleFactory(category=None)
    ArticleFactory(category=None)

    assert related(article) == []


def test_at_most_three_related_articles_are_shown(client):
    category = CategoryFactory()
    article = ArticleFactory(category=category)
    for _ in range(5):
        ArticleFactory(category=category)

    response = client.get(article.get_absolute_url())

    assert len(response.context["related_articles"]) == 3
    assert "Verwandte Artikel" in response.content.decode()


def test_the_related_section_is_left_out_when_there_is_nothing_related(client):
    article = ArticleFactory()

    assert "Verwandte Artikel" not in client.get(article.get_absolute_url()).content.decode()
