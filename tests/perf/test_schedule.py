"""A scheduled article appears at its time, with no job: no cached page outlives that moment."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from blog.models import Article
from core import pagecache
from tests.blog.factories import ArticleFactory
from tests.perf.helpers import page, text

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0)


@contextmanager
def clock(at):
    """Every timezone.now() - the blog's, the cache's - answers `at`."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


@pytest.fixture
def long_lived_pages(settings):
    # Pages could live for two hours; only the schedule may cut that short.
    settings.PAGE_CACHE_SECONDS = 2 * 60 * 60


def schedule_article(at):
    with clock(START):
        return ArticleFactory(
            title="Geplant: Nacken entspannen", slug="nacken", published_at=at, status="published"
        )


def test_a_scheduled_article_appears_on_the_home_page_at_its_time(long_lived_pages):
    ArticleFactory(title="Schon da", published_at=START - timedelta(days=1))
    schedule_article(START + timedelta(hours=1))

    with clock(START):
        assert page("/")["X-Page-Cache"] == "miss"
    with clock(START + timedelta(minutes=59, seconds=59)):
        before = page("/")
    with clock(START + timedelta(hours=1)):
        on_time = page("/")

    assert before["X-Page-Cache"] == "hit"
    assert "Geplant: Nacken entspannen" not in text(before)
    assert on_time["X-Page-Cache"] == "miss"
    assert "Geplant: Nacken entspannen" in text(on_time)


def test_a_scheduled_articles_own_page_opens_at_its_time(long_lived_pages):
    article = schedule_article(START + timedelta(minutes=30))
    with clock(START + timedelta(minutes=29)):
        assert page(article.get_absolute_url()).status_code == 404
    with clock(START + timedelta(minutes=30)):
        assert page(article.get_absolute_url()).status_code == 200


def test_the_feed_shows_a_scheduled_article_at_its_time(long_lived_pages):
    ArticleFactory(title="Schon da", published_at=START - timedelta(days=1))
    schedule_article(START + timedelta(minutes=10))
    with clock(START):
        assert "Geplant" not in text(page("/feed/"))
        assert page("/feed/")["X-Page-Cache"] == "hit"
    with clock(START + timedelta(minutes=10, seconds=1)):
        assert "Geplant" in text(page("/feed/"))


def test_the_next_of_several_scheduled_articles_sets_the_limit(long_lived_pages):
    ArticleFactory(title="Schon da", published_at=START - timedelta(days=1))
    schedule_article(START + timedelta(hours=1))
    with clock(START):
        ArticleFactory(
            title="Geplant: Hüfte", slug="huefte", published_at=START + timedelta(hours=2)
        )

    with clock(START + timedelta(hours=1, seconds=1)):
        page("/")
        first = page("/")
    with clock(START + timedelta(hours=2, seconds=1)):
        second = page("/")

    assert first["X-Page-Cache"] == "hit"
    assert "Geplant: Nacken entspannen" in text(first) and "Geplant: Hüfte" not in text(first)
    assert second["X-Page-Cache"] == "miss"
    assert "Geplant: Hüfte" in text(second)


def test_moving_the_publication_date_earlier_is_honoured(long_lived_pages):
    ArticleFactory(title="Schon da", published_at=START - timedelta(days=1))
    article = schedule_article(START + timedelta(hours=3))
    with clock(START):
        page("/")
        article.published_at = START + timedelta(minutes=5)
        article.save()
        page("/")
    with clock(START + timedelta(minutes=5)):
        assert "Geplant: Nacken entspannen" in text(page("/"))


def test_without_a_recorded_schedule_pages_live_only_a_minute(long_lived_pages, settings):
    ArticleFactory(title="Schon da", published_at=START - timedelta(days=1))
    # Another process scheduled an article (bulk import, a restored backup): nothing recorded.
    Article.objects.bulk_create(
        [
            Article(
                title="Still geplant",
                slug="still",
                author=Article.objects.first().author,
                status="published",
                published_at=START + timedelta(seconds=30),
            )
        ]
    )
    pagecache.state().path.unlink()

    with clock(START):
        page("/")
    with clock(START + timedelta(seconds=settings.PAGE_CACHE_UNKNOWN_SCHEDULE_SECONDS - 1)):
        assert page("/")["X-Page-Cache"] == "hit"
    with clock(START + timedelta(seconds=settings.PAGE_CACHE_UNKNOWN_SCHEDULE_SECONDS)):
        assert "Still geplant" in text(page("/"))


def test_without_scheduled_articles_pages_live_their_full_time(long_lived_pages):
    ArticleFactory(title="Schon da", published_at=START - timedelta(days=1))
    with clock(START):
        page("/")
    with clock(START + timedelta(hours=1, minutes=59)):
        assert page("/")["X-Page-Cache"] == "hit"
    with clock(START + timedelta(hours=2)):
        assert page("/")["X-Page-Cache"] == "miss"
