"""The template tags blog templates use to show comment counts, and the list pages using them."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from comments.templatetags.comments_tags import comment_count_label
from tests.blog.factories import CategoryFactory
from tests.comments.factories import ArticleFactory, AuthorReplyFactory, CommentFactory

pytestmark = pytest.mark.django_db

COUNTS = Template(
    "{% load comments_tags %}{% get_comment_counts articles as counts %}"
    "{% for article in articles %}{% comment_count counts article %};{% endfor %}"
)


def test_comment_counts_for_a_whole_list_take_one_query(django_assert_num_queries):
    # Guards the N+1 of counting comments per article on list pages.
    articles = ArticleFactory.create_batch(3)
    CommentFactory.create_batch(8, article=articles[0])
    CommentFactory(article=articles[1])
    CommentFactory(article=articles[1], status="pending")

    with django_assert_num_queries(1):
        html = COUNTS.render(Context({"articles": articles}))

    assert html == "8 Kommentare;1 Kommentar;Noch keine Kommentare;"


def test_comment_counts_for_an_empty_list_still_take_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert COUNTS.render(Context({"articles": []})) == ""


@pytest.mark.parametrize(
    "count,label", [(0, "Noch keine Kommentare"), (1, "1 Kommentar"), (2, "2 Kommentare")]
)
def test_the_count_label_is_german_with_plurals(count, label):
    assert comment_count_label(count) == label


def test_comment_count_copes_with_a_missing_count_table():
    article = ArticleFactory()

    html = Template("{% load comments_tags %}{% comment_count nothing article %}").render(
        Context({"article": article})
    )

    assert html == "Noch keine Kommentare"


def rendered_queries(client, url) -> int:
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_count_the_comments_of_ten_cards_in_as_many_queries_as_of_one_without(
    client, django_assert_num_queries
):
    # Guards the N+1 of the comment counts: a query per card, or per comment for its thread.
    category = CategoryFactory(slug="ruecken")
    ArticleFactory(category=category)
    urls = ["/", "/blog/kategorie/ruecken/"]
    for url in urls:
        client.get(url)  # warms what Django caches per process (the current Site)
    one_without = {url: rendered_queries(client, url) for url in urls}

    for article in ArticleFactory.create_batch(9, category=category):
        for root in CommentFactory.create_batch(10, article=article):
            CommentFactory(article=article, parent=AuthorReplyFactory(parent=root))
        CommentFactory(article=article, status="pending")
        hidden = CommentFactory(article=article, status="spam")
        CommentFactory(article=article, parent=hidden)

    for url in urls:
        for cache in caches.all():
            cache.clear()
        with django_assert_num_queries(one_without[url]):
            html = client.get(url).content.decode()
        assert html.count(">30 Kommentare<") == 9, url
        assert html.count(">Noch keine Kommentare<") == 1, url
