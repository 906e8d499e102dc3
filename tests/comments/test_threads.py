"""The thread selector (comments/threads.py): which comments a visitor sees, in which threads, on
which comment page, and how many each article on a list shows."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from comments import threads as selector
from comments.models import Comment
from comments.threads import ThreadRow, thread_page, visible_counts, visible_threads
from tests.comments.factories import ArticleFactory, AuthorReplyFactory, CommentFactory

pytestmark = pytest.mark.django_db

START = datetime(2025, 1, 13, 12, 30, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture(autouse=True)
def two_threads_a_page(settings):
    settings.COMMENTS_PER_PAGE = 2


def at(hours: float):
    return START + timedelta(hours=hours)


@pytest.fixture
def five_threads(article):
    """Five threads an hour apart; the second gets a reply written after all of them."""
    roots = [CommentFactory(article=article, created_at=at(n)) for n in range(5)]
    reply = AuthorReplyFactory(parent=roots[1], created_at=at(72))
    return roots, reply


def comments_of(rows):
    return [row.comment for row in rows if row.comment is not None]


def first_page(article, **kwargs):
    return visible_threads(article, **kwargs).page(
        requested=None, reply_to=None, article_url=article.get_absolute_url()
    )


# -- which comments, in which threads ------------------------------------------------------------


def test_replies_are_nested_under_their_comment_with_their_depth(article):
    question = CommentFactory(article=article, created_at=at(0))
    answer = AuthorReplyFactory(parent=question, created_at=at(1))
    follow_up = CommentFactory(article=article, parent=answer, created_at=at(2))
    other = CommentFactory(article=article, created_at=at(3))

    threads = visible_threads(article)

    assert [node.comment for node in threads.threads] == [question, other]
    (answer_node,) = threads.threads[0].replies
    assert (answer_node.comment, answer_node.depth) == (answer, 1)
    assert [(node.comment, node.depth) for node in answer_node.replies] == [(follow_up, 2)]


def test_replies_under_a_hidden_comment_are_left_out_with_their_own_replies(article):
    hidden = CommentFactory(article=article, status="trash", created_at=at(0))
    orphan = CommentFactory(article=article, parent=hidden, created_at=at(1))
    CommentFactory(article=article, parent=orphan, created_at=at(2))
    shown = CommentFactory(article=article, created_at=at(3))

    threads = visible_threads(article)

    assert [node.comment for node in threads.threads] == [shown]
    assert threads.get(orphan.pk) is None
    assert threads.approved_count == 1


def test_the_visitor_sees_her_own_pending_comments_but_only_approved_ones_are_counted(article):
    approved = CommentFactory(article=article, created_at=at(0))
    own = CommentFactory(article=article, parent=approved, status="pending", created_at=at(1))
    CommentFactory(article=article, status="pending", created_at=at(2))

    mine = visible_threads(article, own_pending_ids=[own.pk])
    theirs = visible_threads(article)

    assert comments_of(first_page(article, own_pending_ids=[own.pk]).rows) == [approved, own]
    assert mine.approved_count == 1
    assert theirs.get(own.pk) is None


def test_the_visible_threads_take_one_query_whatever_their_number(
    article, django_assert_num_queries
):
    # Guards the N+1 of loading each comment's replies: the whole tree comes from one query.
    for root in CommentFactory.create_batch(30, article=article):
        CommentFactory(article=article, parent=AuthorReplyFactory(parent=root))

    with django_assert_num_queries(1):
        page = first_page(article)

    assert len(comments_of(page.rows)) == 6


# -- the rows the comment list prints ------------------------------------------------------------


def test_a_page_lists_each_comment_before_its_replies_and_ends_every_list_of_replies(article):
    question = CommentFactory(article=article, created_at=at(0))
    answer = AuthorReplyFactory(parent=question, created_at=at(1))
    follow_up = CommentFactory(article=article, parent=answer, created_at=at(2))
    second_answer = CommentFactory(article=article, parent=question, created_at=at(3))
    other = CommentFactory(article=article, created_at=at(4))

    rows = first_page(article).rows

    end = ThreadRow()
    assert rows == [
        ThreadRow(question, 0, True),
        ThreadRow(answer, 1, True),
        ThreadRow(follow_up, 2, False),
        end,
        ThreadRow(second_answer, 1, False),
        end,
        ThreadRow(other, 0, False),
    ]


def test_a_long_chain_of_replies_to_replies_is_listed_without_running_out_of_stack(article):
    first = CommentFactory(article=article, created_at=at(0))
    chain = [first]
    for n in range(1, 1200):
        chain.append(
            Comment(
                pk=first.pk + n,
                article=article,
                parent_id=chain[-1].pk,
                name=f"Leserin {n}",
                body="Und weiter?",
                status="approved",
                created_at=at(n),
            )
        )
    Comment.objects.bulk_create(chain[1:])

    rows = first_page(article).rows

    assert comments_of(rows) == chain
    assert rows[-1] == ThreadRow() and rows.count(ThreadRow()) == len(chain) - 1


# -- which page ----------------------------------------------------------------------------------


def test_each_page_holds_its_threads_oldest_first_with_all_their_replies(article, five_threads):
    roots, reply = five_threads
    threads = visible_threads(article)

    pages = [threads.page(requested=str(n), reply_to=None, article_url="/a/") for n in (1, 2, 3)]

    assert [comments_of(page.rows) for page in pages] == [
        [roots[0], roots[1], reply],
        [roots[2], roots[3]],
        [roots[4]],
    ]
    assert {page.num_pages for page in pages} == {3}


@pytest.mark.parametrize(
    "requested,number",
    [(None, 1), ("", 1), ("0", 1), ("-1", 1), ("abc", 1), ("1.5", 1), (" 2 ", 2), ("999", 3)],
)
def test_a_requested_page_is_kept_within_the_pages_there_are(
    article, five_threads, requested, number
):
    page = visible_threads(article).page(requested=requested, reply_to=None, article_url="/a/")

    assert page.number == number


def test_without_a_requested_page_the_page_of_the_comment_answered_is_shown(article, five_threads):
    roots, reply = five_threads
    threads = visible_threads(article)

    assert threads.page(requested=None, reply_to=roots[4], article_url="/a/").number == 3
    assert threads.page(requested=None, reply_to=reply, article_url="/a/").number == 1
    assert threads.page(requested="2", reply_to=roots[4], article_url="/a/").number == 2


def test_an_article_without_comments_has_one_empty_page(article):
    page = first_page(article)

    assert (page.number, page.num_pages, page.rows) == (1, 1, [])


def test_the_pager_links_every_page_with_gaps_in_long_runs(article, settings):
    settings.COMMENTS_PER_PAGE = 1
    CommentFactory.create_batch(12, article=article)

    page = visible_threads(article).page(requested="6", reply_to=None, article_url="/a/")

    assert [link.number for link in page.links] == [1, None, 4, 5, 6, 7, 8, None, 12]
    assert [link.number for link in page.links if link.current] == [6]
    assert page.links[0].url == "/a/#kommentare"
    assert page.links[-1].url == "/a/?kommentare=12#kommentare"
    assert (page.previous_url, page.next_url) == (
        "/a/?kommentare=5#kommentare",
        "/a/?kommentare=7#kommentare",
    )


def test_page_one_keeps_no_parameter_and_later_pages_keep_theirs_in_reply_links(article):
    first = selector.CommentPage(number=1, num_pages=2, rows=[], article_url="/a/")
    second = selector.CommentPage(number=2, num_pages=2, rows=[], article_url="/a/")

    assert (first.query, first.reply_query) == ("", "?antwort=")
    assert (second.query, second.reply_query) == ("?kommentare=2", "?kommentare=2&antwort=")
    assert (first.previous_url, second.next_url) == ("", "")


# -- the reply target (?antwort=) ----------------------------------------------------------------


def test_the_reply_target_is_a_shown_approved_comment(article):
    approved = CommentFactory(article=article)
    own = CommentFactory(article=article, status="pending")
    threads = visible_threads(article, own_pending_ids=[own.pk])

    assert threads.reply_target(str(approved.pk)) == approved
    assert threads.reply_target(str(own.pk)) is None  # shown to her, but not yet answerable
    assert threads.reply_target(None) is None


@pytest.mark.parametrize(
    "raw", ["", "abc", "-1", "1.0", " 1", "²", "١", "999999", "9" * 5000, "1" + "0" * 30]
)
def test_anything_but_the_ascii_digits_of_a_shown_comment_names_no_reply_target(article, raw):
    # "²" and "١" pass str.isdigit() but int() refuses the first: they once made a 500.
    CommentFactory(article=article, pk=1)

    assert visible_threads(article).reply_target(raw) is None


# -- the page of one comment (links in e-mails, the redirect after posting) ----------------------


def test_the_page_of_a_comment_is_the_page_of_its_thread(article, five_threads):
    roots, reply = five_threads

    assert [thread_page(root) for root in roots] == [1, 1, 2, 2, 3]
    # A reply stays with its thread, however late it was written.
    assert thread_page(reply) == 1


def test_the_page_of_a_comment_agrees_with_the_pages_the_article_shows(article, five_threads):
    roots, reply = five_threads
    CommentFactory(article=article, status="spam", created_at=at(-1))
    threads = visible_threads(article)

    for comment in [*roots, reply]:
        assert thread_page(comment) == threads.page_of(comment)


def test_only_threads_the_visitor_sees_come_before_a_comment(article, five_threads):
    roots, _reply = five_threads
    own = CommentFactory(article=article, status="pending", created_at=at(0.5))
    CommentFactory(article=article, status="pending", created_at=at(0.6))  # someone else's
    CommentFactory(article=article, status="spam", created_at=at(0.7))

    assert thread_page(roots[3]) == 2
    assert thread_page(roots[3], own_pending_ids=[own.pk]) == 3


def test_a_pending_comment_is_on_the_page_where_it_appears_once_approved(article, five_threads):
    pending = CommentFactory(article=article, status="pending", created_at=at(24))
    reply = CommentFactory(article=article, parent=pending, status="pending", created_at=at(25))

    assert thread_page(pending) == 3
    assert thread_page(reply) == 3


def test_an_unsaved_comment_is_on_the_first_page(article):
    assert thread_page(Comment(article=article, name="x", body="y")) == 1


def test_permalinks_lead_to_the_page_of_the_thread(article, five_threads):
    roots, reply = five_threads
    url = article.get_absolute_url()

    assert roots[0].get_absolute_url() == f"{url}#kommentar-{roots[0].pk}"
    assert roots[3].get_absolute_url() == f"{url}?kommentare=2#kommentar-{roots[3].pk}"
    assert roots[4].get_absolute_url() == f"{url}?kommentare=3#kommentar-{roots[4].pk}"
    # A reply stays with its thread, however late it was written.
    assert reply.get_absolute_url() == f"{url}#kommentar-{reply.pk}"


@pytest.mark.parametrize("which", ["thread", "reply"])
def test_a_permalink_costs_one_query_once_the_article_is_loaded(
    article, five_threads, which, django_assert_num_queries
):
    # Guards against walking up the thread with a query per parent.
    roots, reply = five_threads
    pk = roots[3].pk if which == "thread" else reply.pk
    comment = Comment.objects.select_related("article").get(pk=pk)

    with django_assert_num_queries(1):
        url = comment.get_absolute_url()
    assert url.endswith(f"{'?kommentare=2' if which == 'thread' else ''}#kommentar-{pk}")


def test_a_pending_comment_links_to_where_it_appears_once_approved(article, five_threads):
    roots, _reply = five_threads
    pending = CommentFactory(article=article, status="pending", created_at=START + timedelta(1))
    CommentFactory(article=article, status="spam", created_at=START - timedelta(1))

    assert pending.get_absolute_url().endswith(f"?kommentare=3#kommentar-{pending.pk}")

    CommentFactory(article=article, status="pending", created_at=START + timedelta(2))
    pending.approve()
    assert pending.get_absolute_url().endswith(f"?kommentare=3#kommentar-{pending.pk}")
    assert roots[4].get_absolute_url().endswith(f"?kommentare=3#kommentar-{roots[4].pk}")


# -- the counts on list pages --------------------------------------------------------------------


def test_list_counts_leave_out_replies_under_a_hidden_comment_as_the_article_page_does(client):
    article = ArticleFactory()
    hidden = CommentFactory(article=article, status="approved")
    CommentFactory(article=article, parent=hidden, status="approved")
    CommentFactory(article=article, status="approved")
    assert visible_counts([article]) == {article.pk: 3}
    hidden.status = "spam"
    hidden.save()
    assert visible_counts([article]) == {article.pk: 1}
    assert "1 Kommentar" in client.get(article.get_absolute_url()).content.decode()


def test_list_counts_leave_out_pending_comments_and_other_articles(article):
    quiet, other = ArticleFactory(), ArticleFactory()
    CommentFactory.create_batch(2, article=article)
    CommentFactory(article=article, status="pending")
    CommentFactory(article=other)

    assert visible_counts([article, quiet]) == {article.pk: 2}


def test_list_counts_take_one_query_also_for_an_empty_list(article, django_assert_num_queries):
    # Guards the N+1 of counting per article; an empty list costs the same as a full one.
    CommentFactory.create_batch(3, article=article)

    with django_assert_num_queries(1):
        assert visible_counts([article, ArticleFactory.build(pk=10**6)]) == {article.pk: 3}
    with django_assert_num_queries(1):
        assert visible_counts([]) == {}
