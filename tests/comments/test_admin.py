"""The author's admin: the comment list, bulk actions, the `reply` field.

One-click moderation and the reply page: test_admin_one_click.py.
"""

import pytest
from django.core import mail
from django.test import Client

from comments.models import Comment, SpamWord
from tests.comments.factories import (
    AuthorReplyFactory,
    CommentFactory,
    NotificationAddressFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def admin_client(client, author):
    client.force_login(author)
    return client


def test_the_list_shows_status_article_name_excerpt_and_date_pending_first(admin_client, article):
    CommentFactory(article=article, name="Alte Freigabe", body="Schon freigegeben")
    CommentFactory(article=article, name="Wartende", status="pending", body="Bitte freigeben " * 10)

    html = admin_client.get(CHANGELIST).content.decode()

    assert html.index("Wartende") < html.index("Alte Freigabe")
    assert "Wartet auf Freigabe" in html and "Freigegeben" in html
    assert "Faszien einfach erklärt" in html
    assert "Bitte freigeben Bitte freigeben" in html and "…" in html
    assert "<time datetime=" in html


@pytest.mark.parametrize("term", ["Maria", "maria@example.org", "Rolle"])
def test_the_list_searches_name_e_mail_and_text(admin_client, article, term):
    CommentFactory(article=article, name="Maria", email="maria@example.org", body="Die Rolle")
    CommentFactory(article=article, name="Tom", email="tom@example.org", body="Etwas anderes")

    html = admin_client.get(CHANGELIST, {"q": term}).content.decode()

    assert "Maria" in html and "Etwas anderes" not in html


def test_the_list_filters_by_status_and_article(admin_client, article):
    CommentFactory(article=article, status="spam", body="Spamkommentar")
    CommentFactory(article=article, body="Guter Kommentar")
    CommentFactory(body="Anderer Artikel")

    spam = admin_client.get(CHANGELIST, {"status__exact": "spam"}).content.decode()
    mine = admin_client.get(CHANGELIST, {"article__id__exact": article.pk}).content.decode()

    assert "Spamkommentar" in spam and "Guter Kommentar" not in spam
    assert "Anderer Artikel" not in mine and "Guter Kommentar" in mine


@pytest.mark.parametrize(
    "action,status", [("approve", "approved"), ("mark_spam", "spam"), ("move_to_trash", "trash")]
)
def test_bulk_actions_moderate_every_selected_comment(
    admin_client, article, author, action, status
):
    comments = CommentFactory.create_batch(3, article=article, status="pending")
    untouched = CommentFactory(article=article, status="pending")

    response = admin_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )

    assert response.status_code == 200
    for comment in comments:
        comment.refresh_from_db()
        assert comment.status == status and comment.moderated_by == author
    untouched.refresh_from_db()
    assert untouched.status == "pending"
    assert "3 Kommentare" in response.content.decode()


def test_bulk_approval_of_a_reply_notifies_the_confirmed_parent_writer(
    admin_client, article, on_commit
):
    parent = CommentFactory(article=article, email="maria@example.org", notify_replies=True)
    NotificationAddressFactory(email="maria@example.org")
    reply = CommentFactory(article=article, parent=parent, status="pending", email="t@example.org")

    with on_commit():
        admin_client.post(CHANGELIST, {"action": "approve", "_selected_action": [reply.pk]})

    assert [m.to for m in mail.outbox] == [["maria@example.org"]]


def test_the_change_page_has_a_reply_field(admin_client, article):
    comment = CommentFactory(article=article)

    html = admin_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()

    assert 'name="reply"' in html
    assert comment.body in html


def change_data(comment, **overrides):
    data = {
        "status": comment.status,
        "name": comment.name,
        "email": comment.email,
        "url": comment.url,
        "body": comment.body,
        "moderation_note": comment.moderation_note,
        "reply": "",
    }
    data.update(overrides)
    return data


def test_saving_the_reply_field_publishes_a_nested_marked_reply_and_approves_the_comment(
    admin_client, article, author
):
    comment = CommentFactory(article=article, status="pending", body="Meine Frage?")

    response = admin_client.post(
        f"{CHANGELIST}{comment.pk}/change/", change_data(comment, reply="Meine Antwort!")
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    reply = Comment.objects.get(parent=comment)
    assert comment.status == "approved" and comment.moderated_by == author
    assert reply.body == "Meine Antwort!" and reply.status == "approved"
    assert reply.is_author_reply and reply.user == author

    html = Client().get(article.get_absolute_url()).content.decode()
    question = html.index(f'id="kommentar-{comment.pk}"')
    answer = html.index(f'id="kommentar-{reply.pk}"')
    assert question < answer
    assert 'class="comment-children' in html[question:answer]
    assert "Autorin" in html[answer : html.index("</article>", answer)]


def test_saving_without_reply_text_creates_no_reply(admin_client, article):
    comment = CommentFactory(article=article)

    admin_client.post(f"{CHANGELIST}{comment.pk}/change/", change_data(comment, reply="  "))

    assert Comment.objects.count() == 1


def test_a_reply_to_spam_is_refused_on_the_change_page(admin_client, article):
    comment = CommentFactory(article=article, status="spam")

    response = admin_client.post(
        f"{CHANGELIST}{comment.pk}/change/", change_data(comment, reply="Antwort")
    )

    assert response.status_code == 200
    assert "kann keine Antwort bekommen" in response.content.decode()
    assert Comment.objects.count() == 1


def test_changing_the_status_on_the_change_page_goes_through_moderation(
    admin_client, article, author
):
    comment = CommentFactory(article=article, status="pending")

    admin_client.post(f"{CHANGELIST}{comment.pk}/change/", change_data(comment, status="approved"))

    comment.refresh_from_db()
    assert comment.status == "approved"
    assert comment.moderated_by == author and comment.moderated_at is not None


def test_the_admin_offers_no_add_page_for_comments(admin_client):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403


def test_the_author_edits_the_spam_word_list_in_the_admin(admin_client):
    response = admin_client.post("/admin/comments/spamword/add/", {"word": "  Casino  "})

    assert response.status_code == 302
    assert SpamWord.objects.get().word == "Casino"
    again = admin_client.post("/admin/comments/spamword/add/", {"word": "casino"})
    assert again.status_code == 200  # case-insensitive unique
    assert SpamWord.objects.count() == 1


def test_the_change_page_shows_the_comment_answered(admin_client, article):
    reply = AuthorReplyFactory(parent=CommentFactory(article=article, name="Fragerin"))

    html = admin_client.get(f"{CHANGELIST}{reply.pk}/change/").content.decode()

    assert "Fragerin" in html


def test_the_change_page_lists_the_replies_it_already_has(admin_client, article):
    comment = CommentFactory(article=article)
    AuthorReplyFactory(parent=comment, body="Schon beantwortet.")

    html = admin_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()

    assert "Schon beantwortet." in html
