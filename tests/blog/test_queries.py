"""Reader pages run a fixed number of SQL queries, however many articles or tags there are."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    """Queries for one fresh rendering (the page cache is emptied first).

    A first request warms what Django caches per process (the current Site, content types).
    """
    client.get(url)
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def many_articles(count, *, category, tags):
    now = timezone.now()
    return [
        ArticleFactory(category=category, tags=tags, published_at=now - timedelta(hours=n + 1))
        for n in range(count)
    ]


def test_list_pages_run_as_many_queries_for_40_articles_with_10_tags_as_for_3_without(
    client, django_assert_num_queries
):
    # Guards the N+1 of a list: category, tags, cover and comment count fetched per card.
    category = CategoryFactory(slug="ruecken")
    shared_tag = TagFactory(slug="dehnen")
    many_articles(3, category=category, tags=[shared_tag])
    urls = ["/", "/blog/kategorie/ruecken/", "/blog/tag/dehnen/", "/suche/?q=Artikel"]
    urls.append(f"/blog/archiv/{timezone.now().year}/")
    few = {url: queries_for(client, url) for url in urls}

    ten_tags = [shared_tag, *(TagFactory() for _ in range(9))]
    many_articles(37, category=category, tags=ten_tags)

    for url in urls:
        for cache in caches.all():
            cache.clear()
        with django_assert_num_queries(few[url]):
            response = client.get(url)
        assert len(response.context["page_obj"].object_list) == 10, url


def test_a_later_page_runs_as_many_queries_as_the_first(client, django_assert_num_queries):
    many_articles(25, category=CategoryFactory(), tags=[TagFactory()])
    first = queries_for(client, "/")

    for cache in caches.all():
        cache.clear()
    with django_assert_num_queries(first):
        client.get("/?page=3")


def test_the_article_page_runs_as_many_queries_with_10_tags_and_many_neighbours_as_with_none(
    client, django_assert_num_queries
):
    # Guards the N+1 of the article page: tags, related articles and their categories.
    category = CategoryFactory()
    lonely = ArticleFactory(category=category)
    few = queries_for(client, lonely.get_absolute_url())

    tags = [TagFactory() for _ in range(10)]
    busy = ArticleFactory(category=category, tags=tags)
    neighbours = many_articles(40, category=category, tags=tags[:3])
    busy.related.set(neighbours[:5])

    for cache in caches.all():
        cache.clear()
    with django_assert_num_queries(few):
        response = client.get(busy.get_absolute_url())
    assert len(response.context["related_articles"]) == 3


def test_the_feeds_and_the_sitemap_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    # Guards per-item lookups of author, category and tags in feeds and sitemap.
    category = CategoryFactory()
    # One tag, not none: Django's sitemap skips the item query of an empty sitemap section.
    many_articles(3, category=category, tags=[TagFactory()])
    urls = ["/feed/", "/feed/atom/", "/sitemap.xml"]
    few = {url: queries_for(client, url) for url in urls}

    many_articles(30, category=category, tags=[TagFactory() for _ in range(10)])

    for url in urls:
        for cache in caches.all():
            cache.clear()
        with django_assert_num_queries(few[url]):
            client.get(url)


def test_the_home_page_needs_only_a_handful_of_queries(client):
    # An upper bound, not an exact pin: other parts of the page (sidebar boxes) may add one.
    many_articles(12, category=CategoryFactory(), tags=[TagFactory()])

    assert queries_for(client, "/") <= 8
