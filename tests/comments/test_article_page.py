"""The comment section on the article page: what readers see, and what they never see."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.antispam import form_token_age
from tests.comments.factories import (
    ArticleFactory,
    AuthorReplyFactory,
    CommentFactory,
    comment_post_data,
)

pytestmark = pytest.mark.django_db


def page(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def post(client, article, **data):
    return client.post(f"/blog/{article.slug}/kommentieren/", comment_post_data(article, **data))


@pytest.mark.parametrize(
    "approved,label",
    [(0, "Noch keine Kommentare"), (1, "1 Kommentar"), (8, "8 Kommentare")],
)
def test_the_section_shows_the_number_of_approved_comments(client, article, approved, label):
    CommentFactory.create_batch(approved, article=article)
    CommentFactory(article=article, status="pending")
    CommentFactory(article=article, status="spam")

    html = page(client, article)

    assert f'class="comments-title">{label}</h2>' in html


def test_approved_comments_appear_oldest_first_with_name_and_german_date(client, article):
    now = timezone.now()
    CommentFactory(article=article, name="Zweite", created_at=now - timedelta(days=1))
    CommentFactory(
        article=article,
        name="Erste",
        created_at=timezone.make_aware(timezone.datetime(2018, 1, 29, 14, 5)),
    )

    html = page(client, article)

    assert html.index("Erste") < html.index("Zweite")
    assert "29. Januar 2018 um 14:05" in html


def test_a_pending_comment_is_invisible_to_other_readers_until_approved(client, article):
    comment = CommentFactory(article=article, status="pending", body="Noch geheim")

    assert "Noch geheim" not in page(client, article)

    comment.approve()
    assert "Noch geheim" in page(client, article)


def test_spam_and_trash_are_never_shown(client, article):
    CommentFactory(article=article, status="spam", body="Spamtext")
    CommentFactory(article=article, status="trash", body="Papierkorbtext")

    html = page(client, article)

    assert "Spamtext" not in html and "Papierkorbtext" not in html


def test_e_mail_addresses_never_appear(client, article):
    CommentFactory(article=article, email="geheim@example.org")

    assert "geheim@example.org" not in page(client, article)


def test_a_name_with_a_website_links_to_it_with_nofollow_ugc(client, article):
    CommentFactory(article=article, name="Petra", url="https://petra.example/")

    html = page(client, article)

    assert '<a href="https://petra.example/" rel="nofollow ugc">Petra</a>' in html


def test_the_text_keeps_line_breaks_and_links_urls_with_nofollow(client, article):
    CommentFactory(
        article=article,
        body="Erste Zeile\nZweite Zeile\n\nNeuer Absatz mit https://example.org/seite drin.",
    )

    html = page(client, article)

    assert "<p>Erste Zeile<br>Zweite Zeile</p>" in html
    assert (
        '<a href="https://example.org/seite" rel="nofollow ugc">https://example.org/seite</a>'
        in html
    )


def test_an_e_mail_address_in_the_text_is_not_made_into_a_link(client, article):
    CommentFactory(article=article, body="Schreib mir: maria@example.org")

    # (The share links above the comments have an e-mail link of their own.)
    comments = page(client, article).split('id="kommentare"', 1)[1]
    assert "maria@example.org" in comments
    assert "mailto:" not in comments


def test_script_in_every_field_is_escaped(client, article):
    evil = "<script>alert(1)</script>"
    CommentFactory(
        article=article,
        name=f"Eve {evil}",
        url='https://evil.example/"><script>alert(2)</script>',
        body=f"Hallo {evil} <b>fett</b> https://x.example/<script>",
    )

    html = page(client, article)

    assert "<script>alert" not in html
    assert "<b>fett</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;fett&lt;/b&gt;" in html


def test_replies_are_nested_under_their_comment_two_levels_deep(client, article):
    question = CommentFactory(article=article, name="Fragende", body="Frage?")
    answer = AuthorReplyFactory(parent=question, body="Antwort der Autorin.")
    follow_up = CommentFactory(article=article, parent=answer, name="Nachfrage", body="Danke!")
    CommentFactory(article=article, name="Später", body="Anderer Kommentar.")

    html = page(client, article)

    def item(comment):
        start = html.index(f'id="kommentar-{comment.pk}"')
        return html[start : html.index("</article>", start)]

    question_li = html[html.index(f'id="kommentar-{question.pk}"') :]
    question_li = question_li[: question_li.index("Anderer Kommentar.")]
    assert "Antwort der Autorin." in question_li and "Danke!" in question_li
    assert html.count('class="comment-children') == 2
    assert "Autorin" in item(answer)
    assert 'comment-by-author"' in html[html.index(f'id="kommentar-{answer.pk}"') - 60 :][:80]
    assert "Autorin" not in item(follow_up)


def test_replies_to_hidden_comments_are_left_out(client, article):
    hidden = CommentFactory(article=article, status="trash")
    CommentFactory(article=article, parent=hidden, body="Waise")

    assert "Waise" not in page(client, article)


def test_every_approved_comment_has_a_reply_link_that_works_without_javascript(client, article):
    comment = CommentFactory(article=article)

    html = page(client, article)

    assert f'href="?antwort={comment.pk}#kommentar-formular"' in html


def test_the_reply_link_prefills_the_parent_and_names_the_comment(client, article):
    comment = CommentFactory(article=article, name="Petra")

    html = page(client, article, f"?antwort={comment.pk}")

    assert f'name="parent" value="{comment.pk}"' in html
    assert "Du antwortest auf den Kommentar von" in html
    assert '<p class="comment-replying" hidden' not in html


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "²", "1²", "9" * 5000])
def test_a_bad_reply_parameter_is_ignored(client, article, value):
    # "²" passes str.isdigit(), which int() refuses: it once made a 500.
    CommentFactory(article=article)
    html = page(client, article, f"?antwort={value}")

    assert 'name="parent" value=""' in html


def test_a_reply_to_a_pending_comment_cannot_be_prefilled(client, article):
    pending = CommentFactory(article=article, status="pending")

    assert 'name="parent" value=""' in page(client, article, f"?antwort={pending.pk}")


def test_the_form_has_the_contract_fields_privacy_note_and_anti_spam_inputs(client, article):
    html = page(client, article)

    for name in ("name", "email", "url", "body", "parent", "notify_replies", "leer_lassen"):
        assert f'name="{name}"' in html
    assert "Benachrichtige mich über Antworten" in html
    assert "Deine E-Mail-Adresse wird nicht veröffentlicht" in html
    assert 'href="/datenschutz/"' in html
    assert "Gesundheitsdaten" in html
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', html)
    token = re.search(r'<input type="hidden" name="ts" value="([^"]+)">', html).group(1)
    assert 0 <= form_token_age(token) < 60


def test_closed_comments_show_the_comments_but_no_form(client):
    article = ArticleFactory(comments_open=False)
    CommentFactory(article=article, body="Alter Kommentar")

    html = page(client, article)

    assert "Alter Kommentar" in html
    assert "Die Kommentare zu diesem Artikel sind geschlossen." in html
    assert 'name="body"' not in html
    assert "?antwort=" not in html


def test_the_sender_sees_her_own_pending_comment_marked_and_others_do_not(
    client, article, django_user_model
):
    from django.test import Client

    response = post(client, article, body="Meine wartende Frage")
    assert response.status_code == 302

    mine = page(client, article)
    theirs = page(Client(), article)

    assert "Meine wartende Frage" in mine
    assert "Dein Kommentar wartet auf Freigabe" in mine
    assert "Meine wartende Frage" not in theirs


@pytest.mark.parametrize("query", ["", "?kommentare=2"])
@pytest.mark.parametrize("count", [0, 10, 300])
def test_the_article_page_runs_the_same_queries_whatever_the_number_of_comments(
    client, settings, count, query, django_assert_num_queries
):
    # Guards the N+1 of loading replies (or their authors) per comment: one query for all,
    # on any comment page. 100 threads of 3 comments make two pages of 50 threads.
    settings.COMMENTS_PER_PAGE = 50
    baseline_article = ArticleFactory()
    with CaptureQueriesContext(connection) as baseline:
        page(client, baseline_article)

    article = ArticleFactory()
    roots = CommentFactory.create_batch(max(count // 3, 0), article=article)
    replies = []
    for root in roots:
        replies.append(AuthorReplyFactory(parent=root))
    for reply in replies:
        CommentFactory(article=article, parent=reply)
    assert article.comments.count() == count - count % 3

    with django_assert_num_queries(len(baseline.captured_queries)):
        html = page(client, article, query)
    # Each page shows at most 50 threads; ?kommentare=2 with fewer threads shows the last page.
    shown = min(count // 3, 50) * 3
    assert html.count('class="comment ') + html.count('class="comment"') == shown
