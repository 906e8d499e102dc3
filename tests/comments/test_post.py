"""Sending the comment form: success, and every kind of bad input on the same page, never a 500."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils.html import escape

from comments.models import Comment
from core.antispam import new_form_token
from tests.comments.factories import (
    ArticleFactory,
    CommentFactory,
    SpamWordFactory,
    comment_post_data,
    old_token,
)

pytestmark = pytest.mark.django_db


def post(client, article, **data):
    return client.post(f"/blog/{article.slug}/kommentieren/", comment_post_data(article, **data))


def test_a_good_comment_is_stored_pending_and_the_sender_is_told_so(client, article):
    response = post(client, article, url="maria.example", notify_replies="on")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#kommentar-{comment.pk}"
    assert comment.status == "pending"
    assert comment.name == "Maria Schulz" and comment.email == "maria@example.org"
    assert comment.url == "https://maria.example"
    assert comment.notify_replies is True
    assert comment.ip_address == "127.0.0.1"

    html = client.get(response["Location"]).content.decode()
    assert "Danke für deinen Kommentar! Er erscheint, sobald ich ihn freigegeben habe." in html


def test_a_new_comment_notifies_the_author_after_commit(client, article, on_commit):
    with on_commit():
        post(client, article)

    assert [m.to for m in mail.outbox] == [["autorin@feelmove.de"]]


def test_a_reply_to_an_approved_comment_is_stored_under_it(client, article):
    parent = CommentFactory(article=article)

    post(client, article, parent=str(parent.pk), body="Ich habe dieselbe Frage.")

    assert Comment.objects.get(body="Ich habe dieselbe Frage.").parent == parent


def test_spam_gets_the_same_friendly_answer_but_is_not_kept_in_the_session(client, article):
    SpamWordFactory(word="casino")

    response = post(client, article, body="Bestes casino!")

    assert response.status_code == 302
    assert Comment.objects.get().status == "spam"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Bestes casino!" not in html


def typed_values_are_kept(html, data):
    """Everything the reader typed is back in the form, including the value that was wrong."""
    for field in ("name", "email", "url"):
        if data.get(field):
            assert f'name="{field}" value="{escape(data[field])}"' in html, field
    if data.get("body", "").strip():
        textarea = html[html.index('name="body"') :]
        assert escape(data["body"]) in textarea[: textarea.index("</textarea>")]


BAD_INPUTS = [
    ({"name": ""}, "Bitte gib deinen Namen an."),
    ({"email": ""}, "Bitte gib deine E-Mail-Adresse an."),
    ({"email": "maria@"}, "Bitte gib eine gültige E-Mail-Adresse an"),
    ({"email": "maria@example.org\nBcc: x@example.org"}, "gültige E-Mail-Adresse"),
    ({"body": ""}, "Bitte schreib einen Kommentar."),
    ({"body": "   \n  "}, "Bitte schreib einen Kommentar."),
    ({"body": "x" * 5001}, "Dein Kommentar darf höchstens 5000 Zeichen haben (er hat 5001)."),
    ({"name": "N" * 101}, "Dein Name darf höchstens 100 Zeichen haben (er hat 101)."),
    ({"url": "kein link"}, "Bitte gib eine gültige Webadresse an"),
    ({"parent": "999999"}, "Den Kommentar, auf den du antworten wolltest, gibt es nicht."),
    ({"parent": "abc"}, "Den Kommentar, auf den du antworten wolltest, gibt es nicht."),
    ({"parent": "9" * 30}, "Den Kommentar, auf den du antworten wolltest, gibt es nicht."),
    ({"parent": "-3"}, "Den Kommentar, auf den du antworten wolltest, gibt es nicht."),
    ({"leer_lassen": "http://bot.example"}, "Ein verstecktes Feld, das leer bleiben muss"),
    ({"ts": None}, "Das Formular konnte nicht geprüft werden."),
    ({"ts": "1700000000.000:gefälscht"}, "Das Formular konnte nicht geprüft werden."),
]


@pytest.mark.parametrize("overrides,message", BAD_INPUTS)
def test_bad_input_shows_its_message_on_the_article_page_with_everything_typed_kept(
    client, article, overrides, message
):
    data = comment_post_data(article, **overrides)

    response = client.post(f"/blog/{article.slug}/kommentieren/", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Faszien einfach erklärt" in html  # the same article page, the blog's template
    assert 'class="comments-title"' in html
    typed_values_are_kept(html, data)
    assert not Comment.objects.exists()


def test_a_tampered_token_with_a_plausible_time_is_refused(client, article):
    token = old_token(article=article)
    value, signature = token.rsplit(":", 1)
    issued, rest = value.split("~", 1)
    forged = f"{float(issued) - 100:.3f}~{rest}:{signature}"

    response = post(client, article, ts=forged)

    assert response.status_code == 400
    assert "Das Formular konnte nicht geprüft werden." in response.content.decode()


def test_a_form_sent_within_three_seconds_is_refused_and_can_be_sent_again(client, article):
    response = post(client, article, ts=new_form_token(scope=article.get_absolute_url()))

    html = response.content.decode()
    assert response.status_code == 400
    assert "Das ging sehr schnell." in html
    assert "Wie oft am Tag soll ich die Rolle benutzen?" in html
    assert not Comment.objects.exists()


def test_a_form_sent_after_three_seconds_passes(client, article):
    assert post(client, article, ts=old_token(seconds=3.2, article=article)).status_code == 302


def test_a_form_open_for_more_than_two_hours_is_refused_with_a_fresh_token(client, article):
    stale = old_token(seconds=2 * 60 * 60 + 5, article=article)

    response = post(client, article, ts=stale)

    html = response.content.decode()
    assert "länger als zwei Stunden geöffnet" in html
    fresh = re.search(r'name="ts" value="([^"]+)"', html).group(1)
    assert fresh != stale


def test_a_parent_on_another_article_is_refused(client, article):
    other = CommentFactory(article=ArticleFactory())

    response = post(client, article, parent=str(other.pk))

    assert response.status_code == 400
    assert "gehört zu einem anderen Artikel" in response.content.decode()


def test_a_parent_that_is_not_approved_is_refused(client, article):
    pending = CommentFactory(article=article, status="pending")

    response = post(client, article, parent=str(pending.pk))

    assert response.status_code == 400
    assert "ist nicht freigegeben" in response.content.decode()


def test_closed_comments_refuse_a_post_with_a_message(client):
    article = ArticleFactory(comments_open=False)

    response = post(client, article)

    assert response.status_code == 400
    assert "Die Kommentare zu diesem Artikel sind geschlossen." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_post_to_an_unknown_or_unpublished_article_is_a_404(client):
    draft = ArticleFactory(draft=True)

    assert client.post("/blog/gibt-es-nicht/kommentieren/", comment_post_data()).status_code == 404
    assert post(client, draft).status_code == 404


def test_get_on_the_post_address_is_not_allowed(client, article):
    assert client.get(f"/blog/{article.slug}/kommentieren/").status_code == 405


def test_the_same_comment_sent_twice_is_refused_the_second_time(client, article):
    assert post(client, article).status_code == 302

    response = post(client, article)

    assert response.status_code == 400
    assert "Diesen Kommentar hast du schon geschickt." in response.content.decode()
    assert Comment.objects.count() == 1


def test_more_than_five_comments_a_minute_from_one_ip_are_refused(client, article, settings):
    settings.RATE_LIMITS = True
    for number in range(5):
        assert post(client, article, body=f"Kommentar Nummer {number}").status_code == 302

    response = post(client, article, body="Kommentar Nummer 6")

    assert response.status_code == 400
    assert "innerhalb einer Minute mehrere Kommentare" in response.content.decode()
    assert Comment.objects.count() == 5


def test_the_rate_limit_is_off_when_rate_limits_are_switched_off(client, article, settings):
    settings.RATE_LIMITS = False
    for number in range(8):
        assert post(client, article, body=f"Kommentar Nummer {number}").status_code == 302


def test_a_comment_with_two_links_is_held_with_a_note_for_the_author(client, article):
    post(client, article, body="Siehe https://a.example und https://b.example")

    comment = Comment.objects.get()
    assert comment.status == "pending"
    assert "2 Links" in comment.moderation_note


def test_script_typed_into_every_field_comes_back_escaped_on_an_error(client, article):
    evil = '"><script>alert(1)</script>'

    response = post(client, article, name=evil, email=evil, url=evil, body=evil, ts=None)

    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_logged_in_author_writes_without_name_and_her_reply_is_approved_at_once(
    client, article, author, on_commit
):
    parent = CommentFactory(article=article, status="approved")
    client.force_login(author)

    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="kommentar-feld-email"' not in html
    assert "Du schreibst als Jana Berger" in html

    with on_commit():
        response = client.post(
            f"/blog/{article.slug}/kommentieren/",
            {"body": "Danke für deine Frage!", "parent": str(parent.pk)},
        )

    reply = Comment.objects.get(body="Danke für deine Frage!")
    assert response.status_code == 302
    assert reply.status == "approved" and reply.is_author_reply and reply.parent == parent
    assert reply.name == "Jana Berger"
    anonymous = Client().get(article.get_absolute_url()).content.decode()
    assert "Danke für deine Frage!" in anonymous
    assert mail.outbox == []  # the author is not told about her own words


def test_the_author_form_also_refuses_an_empty_text(client, article, author):
    client.force_login(author)

    response = client.post(f"/blog/{article.slug}/kommentieren/", {"body": " "})

    assert response.status_code == 400
    assert "Bitte schreib einen Kommentar." in response.content.decode()


def test_a_logged_in_reader_without_moderation_rights_uses_the_normal_form(client, article):
    from tests.comments.factories import UserFactory

    client.force_login(UserFactory())

    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="kommentar-feld-email"' in html


def test_a_comment_of_exactly_5000_characters_with_browser_line_breaks_passes(client, article):
    body = ("x" * 99 + "\r\n") * 50  # 100 characters a line as the browser counts them

    response = post(client, article, body=body.strip())

    assert response.status_code == 302
    assert "\r" not in Comment.objects.get().body


def test_a_filled_honeypot_is_never_sent_back_into_the_form(client, article):
    response = post(client, article, leer_lassen="http://bot.example")

    html = response.content.decode()
    honeypot = re.search(r'<input[^>]*name="leer_lassen"[^>]*>', html).group(0)
    assert "value=" not in honeypot or 'value=""' in honeypot
    assert "http://bot.example" not in html
