"""The template tags blog templates use to show comment counts."""

import pytest
from django.template import Context, Template

from comments.templatetags.comments_tags import comment_count_label, get_comment_counts
from tests.comments.factories import ArticleFactory, CommentFactory

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


def test_list_counts_leave_out_replies_under_a_hidden_comment_as_the_article_page_does(client):
    article = ArticleFactory()
    hidden = CommentFactory(article=article, status="approved")
    CommentFactory(article=article, parent=hidden, status="approved")
    CommentFactory(article=article, status="approved")
    assert get_comment_counts([article]) == {article.pk: 3}
    hidden.status = "spam"
    hidden.save()
    assert get_comment_counts([article]) == {article.pk: 1}
    assert "1 Kommentar" in client.get(article.get_absolute_url()).content.decode()
