"""Comment pages: threads oldest first, COMMENTS_PER_PAGE to a page, and links that find them."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.utils.html import Urlizer, linebreaks

from comments import services
from comments.models import Comment
from comments.templatetags.comments_tags import comment_text
from tests.comments.factories import (
    AuthorReplyFactory,
    CommentFactory,
    NotificationAddressFactory,
    comment_post_data,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2025, 1, 13, 12, 30, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def two_threads_a_page(settings):
    settings.COMMENTS_PER_PAGE = 2


@pytest.fixture
def threads(article):
    """Five threads, an hour apart; the second gets a reply written after all of them."""
    roots = [
        CommentFactory(article=article, name=f"Thread {n}", created_at=START + timedelta(hours=n))
        for n in range(5)
    ]
    reply = AuthorReplyFactory(
        parent=roots[1], body="Späte Antwort.", created_at=START + timedelta(days=3)
    )
    return roots, reply


def page(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def shown_ids(html):
    return [int(pk) for pk in re.findall(r'<li class="comment[^"]*" id="kommentar-(\d+)"', html)]


def test_each_page_shows_its_threads_oldest_first_with_all_their_replies(client, article, threads):
    roots, reply = threads

    assert shown_ids(page(client, article)) == [roots[0].pk, roots[1].pk, reply.pk]
    assert shown_ids(page(client, article, "?kommentare=2")) == [roots[2].pk, roots[3].pk]
    assert shown_ids(page(client, article, "?kommentare=3")) == [roots[4].pk]


def test_the_count_label_shows_the_total_on_every_page(client, article, threads):
    for query in ("", "?kommentare=2", "?kommentare=3"):
        assert 'class="comments-title">6 Kommentare</h2>' in page(client, article, query)


def test_the_pager_links_older_and_newer_pages_and_marks_the_current_one(client, article, threads):
    url = article.get_absolute_url()

    html = page(client, article, "?kommentare=2")

    assert html.count('<nav class="comment-pager') == 2  # above and below the list
    assert "Kommentarseite 2 von 3" in html
    # Page 1 is the article's own address, without a parameter.
    assert f'<a href="{url}#kommentare" rel="prev">Ältere Kommentare</a>' in html
    assert f'<a href="{url}?kommentare=3#kommentare" rel="next">Neuere Kommentare</a>' in html
    assert '<span class="comment-pager-current" aria-current="page">2</span>' in html
    assert f'<a href="{url}?kommentare=3#kommentare">3</a>' in html


def test_the_first_page_has_no_older_link_and_the_last_no_newer_link(client, article, threads):
    first = page(client, article)
    last = page(client, article, "?kommentare=3")

    assert "Ältere Kommentare" not in first and "Neuere Kommentare" in first
    assert "Neuere Kommentare" not in last and "Ältere Kommentare" in last


def test_one_page_of_comments_has_no_pager(client, article):
    CommentFactory.create_batch(2, article=article)

    assert "comment-pager" not in page(client, article)


@pytest.mark.parametrize(
    "value,expected_page",
    [("0", 1), ("-1", 1), ("abc", 1), ("", 1), ("1.5", 1), ("999", 3), ("3", 3)],
)
def test_an_invalid_page_number_shows_the_first_or_the_last_page(
    client, article, threads, value, expected_page
):
    roots, _reply = threads

    html = page(client, article, f"?kommentare={value}")

    expected = {1: roots[0], 3: roots[4]}[expected_page]
    assert shown_ids(html)[0] == expected.pk


def test_reply_links_on_a_later_page_keep_the_page_parameter(client, article, threads):
    roots, _reply = threads

    html = page(client, article, "?kommentare=2")

    assert f'href="?kommentare=2&amp;antwort={roots[2].pk}#kommentar-formular"' in html
    # The form posts back to the same page, so errors show it again.
    assert f'action="/blog/{article.slug}/kommentieren/?kommentare=2#kommentar-formular"' in html


def test_the_reply_form_works_on_a_later_page(client, article, threads):
    roots, _reply = threads

    html = page(client, article, f"?kommentare=2&antwort={roots[3].pk}")

    assert f'name="parent" value="{roots[3].pk}"' in html
    assert roots[3].pk in shown_ids(html)


def test_a_reply_link_without_a_page_opens_the_page_of_that_thread(client, article, threads):
    roots, _reply = threads

    html = page(client, article, f"?antwort={roots[4].pk}")

    assert f'name="parent" value="{roots[4].pk}"' in html
    assert shown_ids(html) == [roots[4].pk]


def test_the_reply_notice_links_to_the_page_of_the_conversation(
    article, author, threads, on_commit
):
    # A sixth thread, the newest: page 3.
    question = CommentFactory(
        article=article,
        email="maria@example.org",
        notify_replies=True,
        created_at=START + timedelta(days=1),
    )
    NotificationAddressFactory(email="maria@example.org")

    with on_commit():
        answer = services.comment_reply(parent=question, author=author, body="Gern!")

    (notice,) = [m for m in mail.outbox if m.to == ["maria@example.org"]]
    assert f"{article.get_absolute_url()}?kommentare=3#kommentar-{answer.pk}" in notice.body


def test_the_moderation_e_mail_links_to_the_comment_on_its_page(article, threads, on_commit):
    with on_commit():
        comment = services.comment_submit(
            article=article,
            name="Maria Schulz",
            email="maria@example.org",
            url="",
            body="Eine neue Frage.",
            parent=None,
            ip="192.0.2.7",
            user_agent="Mozilla/5.0",
            notify_replies=False,
        )

    (notice,) = mail.outbox
    assert f"{article.get_absolute_url()}?kommentare=3#kommentar-{comment.pk}" in notice.body
    assert "Der Kommentar auf der Artikelseite" in notice.body


def post(client, article, query="", **data):
    return client.post(
        f"/blog/{article.slug}/kommentieren/{query}", comment_post_data(article, **data)
    )


def test_after_posting_the_reader_lands_on_the_last_page_with_her_pending_comment(
    client, article, threads
):
    response = post(client, article, body="Meine neue Frage")

    comment = Comment.objects.get(body="Meine neue Frage")
    url = article.get_absolute_url()
    assert response["Location"] == f"{url}?kommentare=3#kommentar-{comment.pk}"
    html = client.get(response["Location"]).content.decode()
    assert "Meine neue Frage" in html and "Dein Kommentar wartet auf Freigabe" in html
    assert "Meine neue Frage" not in page(client, article)
    assert "Meine neue Frage" not in page(Client(), article, "?kommentare=3")


def test_a_pending_top_level_comment_may_open_a_new_last_page_for_its_writer(client, article):
    roots = [
        CommentFactory(article=article, created_at=START + timedelta(hours=n)) for n in range(4)
    ]

    response = post(client, article, body="Die fünfte Frage")

    comment = Comment.objects.get(body="Die fünfte Frage")
    assert response["Location"].endswith(f"?kommentare=3#kommentar-{comment.pk}")
    html = page(client, article, "?kommentare=3")
    assert shown_ids(html) == [comment.pk]
    assert "Kommentarseite 3 von 3" in html
    # Everyone else still has two pages.
    assert "Kommentarseite 2 von 2" in page(Client(), article, "?kommentare=3")
    assert shown_ids(page(Client(), article, "?kommentare=3")) == [roots[2].pk, roots[3].pk]


def test_a_pending_reply_lands_on_the_page_of_its_thread(client, article, threads):
    roots, _reply = threads

    response = post(client, article, "?kommentare=2", parent=str(roots[2].pk), body="Rückfrage")

    comment = Comment.objects.get(body="Rückfrage")
    assert response["Location"].endswith(f"?kommentare=2#kommentar-{comment.pk}")
    html = page(client, article, "?kommentare=2")
    assert shown_ids(html) == [roots[2].pk, comment.pk, roots[3].pk]


def test_a_form_error_on_a_later_page_shows_that_page_again(client, article, threads):
    roots, _reply = threads

    response = post(client, article, "?kommentare=2", name="", body="Ohne Namen")

    assert response.status_code == 400
    html = response.content.decode()
    assert shown_ids(html) == [roots[2].pk, roots[3].pk]
    assert "Ohne Namen" in html


def test_the_date_reads_in_german_with_the_time(client, article):
    CommentFactory(article=article, created_at=START)
    summer = CommentFactory(article=article, created_at=datetime(2025, 7, 3, 8, 5, tzinfo=BERLIN))

    html = page(client, article)

    assert '<time datetime="2025-01-13T12:30:00+01:00">13. Januar 2025 um 12:30</time>' in html
    assert ">3. Juli 2025 um 08:05</time>" in html
    assert f'href="#kommentar-{summer.pk}"' in html


def test_ids_are_never_written_with_a_thousands_separator(client, article, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    comment = CommentFactory(article=article, pk=12345)

    html = page(client, article)

    assert 'id="kommentar-12345"' in html
    assert f'href="?antwort={comment.pk}#kommentar-formular"' in html
    assert "12.345" not in html


_full_urlize = Urlizer()


@pytest.mark.parametrize(
    "text",
    [
        "Danke!\nZweite Zeile\n\nNeuer Absatz.",
        "Zitat: \"<b>fett</b>\" & 'so' – 3.5 kg, 12:30 Uhr",
        "Dr. Müller sagt: Faszien.Training hilft (wirklich)!",
        "ſ und K und ı: keine Adressen",
        "",
    ],
)
def test_text_without_a_web_address_comes_out_as_urlize_would_write_it(text):
    # The shortcut for text without any URL pattern must not change what readers see.
    expected = linebreaks(_full_urlize(text, nofollow=True, autoescape=True), autoescape=False)

    assert comment_text(text) == expected
