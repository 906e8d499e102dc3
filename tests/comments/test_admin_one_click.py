"""One-click moderation: buttons in the comment list, on the change page and the reply page."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client

from comments.models import Comment
from tests.comments.factories import AuthorReplyFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


def moderate_url(comment) -> str:
    return f"{CHANGELIST}{comment.pk}/entscheiden/"


def reply_url(comment) -> str:
    return f"{CHANGELIST}{comment.pk}/antworten/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def pending(article):
    return CommentFactory(article=article, status="pending", name="Maria", body="Eine Frage?")


# -- the buttons --------------------------------------------------------------------------------


def test_each_pending_row_has_approve_spam_and_trash_buttons_and_a_reply_link(
    autorin_client, pending, article
):
    approved = CommentFactory(article=article)
    own_reply = AuthorReplyFactory(parent=approved)

    html = autorin_client.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
    full = autorin_client.get(CHANGELIST).content.decode()

    back = "next=%2Fadmin%2Fcomments%2Fcomment%2F%3Fstatus__exact%3Dpending"
    for action in ("approve", "mark_spam", "move_to_trash"):
        # Buttons of the list's own form (it is one big <form>), sent to the moderation URL.
        assert re.search(
            rf'formaction="{moderate_url(pending)}\?{back}" name="moderation" value="{action}"',
            html,
        )
    assert f'href="{reply_url(pending)}?{back}"' in html
    # An approved comment offers a reply; the author's own reply nothing.
    assert f'href="{reply_url(approved)}?' in full
    assert f"{moderate_url(approved)}" not in full
    assert f"{reply_url(own_reply)}" not in full and f"{moderate_url(own_reply)}" not in full


def test_one_click_approves_and_comes_back_to_the_same_filtered_list_and_page(
    autorin_client, autorin, pending
):
    back = f"{CHANGELIST}?status__exact=pending&article__id__exact={pending.article_id}"

    response = autorin_client.post(
        f"{moderate_url(pending)}?next={back.replace('&', '%26').replace('?', '%3F')}",
        {"moderation": "approve"},
    )

    assert response.status_code == 302 and response["Location"] == back
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.moderated_by == autorin
    assert messages_of(response) == [
        "Freigegeben: Der Kommentar von Maria zu „Faszien einfach erklärt“ ist jetzt öffentlich."
    ]


@pytest.mark.parametrize(
    "action,status", [("mark_spam", "spam"), ("move_to_trash", "trash"), ("approve", "approved")]
)
def test_each_button_moderates_through_the_service(autorin_client, pending, action, status):
    autorin_client.post(moderate_url(pending), {"moderation": action, "next": CHANGELIST})

    pending.refresh_from_db()
    assert pending.status == status


def test_a_second_click_changes_nothing_and_says_so(autorin_client, pending):
    autorin_client.post(moderate_url(pending), {"moderation": "approve"})
    response = autorin_client.post(moderate_url(pending), {"moderation": "approve"})

    assert messages_of(response)[-1] == (
        "Nichts geändert: Der Kommentar von Maria war schon „Freigegeben“."
    )


def test_one_click_moderation_is_a_post_with_csrf_protection(autorin, pending):
    client = Client(enforce_csrf_checks=True)
    client.force_login(autorin)

    assert client.get(moderate_url(pending)).status_code == 405
    assert client.post(moderate_url(pending), {"moderation": "approve"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_an_unknown_decision_changes_nothing(autorin_client, pending):
    response = autorin_client.post(moderate_url(pending), {"moderation": "delete"})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert messages_of(response) == ["Unbekannte Entscheidung; nichts wurde geändert."]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_way_back_never_leads_to_another_site(autorin_client, pending, target):
    response = autorin_client.post(moderate_url(pending), {"moderation": "approve", "next": target})

    assert response["Location"] == CHANGELIST


def test_staff_without_the_right_to_change_comments_cannot_moderate(pending):
    viewer = UserFactory(username="nur-lesen", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client = Client()
    client.force_login(viewer)

    assert client.post(moderate_url(pending), {"moderation": "approve"}).status_code == 403
    assert client.get(reply_url(pending)).status_code == 403
    assert "formaction" not in client.get(CHANGELIST).content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_missing_comment_is_a_404(autorin_client):
    assert autorin_client.post(f"{CHANGELIST}999999/entscheiden/").status_code == 404


def test_coming_back_to_a_page_that_no_longer_exists_shows_the_last_page_with_the_filters(
    autorin_client, article
):
    # 101 pending comments make three pages of 50; approving the one on page 3 leaves two.
    comments = CommentFactory.create_batch(101, article=article, status="pending")
    back = f"{CHANGELIST}?status__exact=pending&p=3"
    last = autorin_client.get(back).context["cl"].result_list[0]
    autorin_client.post(moderate_url(last), {"moderation": "approve", "next": back})

    response = autorin_client.get(back)

    assert response.status_code == 200  # not a redirect to ?e=1, which drops the filters
    assert response.context["cl"].page_num == 2
    assert response.context["cl"].result_count == 100
    assert "status__exact=pending" in response.context["cl"].get_query_string()
    assert len(comments) == 101


def test_the_comment_list_needs_the_same_queries_for_few_and_many_comments(
    autorin_client, article, django_assert_num_queries
):
    # Guards the list (article titles, buttons, reply links) against a query per row (N+1).
    CommentFactory.create_batch(3, article=article, status="pending")
    autorin_client.get(CHANGELIST)  # warm up: session, permissions, content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        autorin_client.get(CHANGELIST)
    CommentFactory.create_batch(30, status="pending")
    CommentFactory.create_batch(10)
    with django_assert_num_queries(len(few)):
        autorin_client.get(CHANGELIST)


# -- the change page ----------------------------------------------------------------------------


def test_the_change_page_has_the_same_buttons_outside_its_form(autorin_client, pending):
    url = f"{CHANGELIST}{pending.pk}/change/"
    html = autorin_client.get(url).content.decode()

    buttons = html[: html.index('id="comment_form"')]  # before the change form, not inside it
    assert f'action="{moderate_url(pending)}"' in buttons
    for action in ("approve", "mark_spam", "move_to_trash"):
        assert f'value="{action}"' in buttons
    assert 'value="hold"' not in buttons  # it is pending already

    response = autorin_client.post(moderate_url(pending), {"moderation": "mark_spam", "next": url})

    assert response["Location"] == url
    pending.refresh_from_db()
    assert pending.status == "spam"
    html = autorin_client.get(url).content.decode()
    buttons = html[: html.index('id="comment_form"')]
    assert 'value="mark_spam"' not in buttons and 'value="approve"' in buttons


# -- the reply page -----------------------------------------------------------------------------


def test_the_reply_page_shows_the_comment_and_a_box_for_the_answer(autorin_client, pending):
    html = autorin_client.get(reply_url(pending), {"next": "/admin/"}).content.decode()

    assert "Eine Frage?" in html and "Faszien einfach erklärt" in html
    assert 'name="body"' in html and "autofocus" in html
    assert 'name="next" value="/admin/"' in html
    assert "Mit deiner Antwort wird dieser Kommentar auch freigegeben." in html


def test_replying_publishes_the_answer_approves_the_comment_and_goes_back(
    autorin_client, autorin, pending
):
    response = autorin_client.post(
        reply_url(pending), {"body": "Gute Frage: so geht es.", "next": "/admin/"}
    )

    assert response.status_code == 302 and response["Location"] == "/admin/"
    pending.refresh_from_db()
    reply = Comment.objects.get(parent=pending)
    assert pending.status == "approved"
    assert reply.is_author_reply and reply.status == "approved" and reply.user == autorin
    assert reply.body == "Gute Frage: so geht es."
    assert messages_of(response) == ["Deine Antwort an Maria ist veröffentlicht."]


def test_an_empty_reply_is_refused_on_the_same_page(autorin_client, pending):
    response = autorin_client.post(reply_url(pending), {"body": "   ", "next": "/admin/"})

    assert response.status_code == 200
    assert "Bitte schreib deine Antwort." in response.content.decode()
    assert not Comment.objects.filter(parent=pending).exists()


def test_a_too_long_reply_keeps_what_was_typed(autorin_client, pending):
    text = "Lang. " * 1000
    response = autorin_client.post(reply_url(pending), {"body": text})

    html = response.content.decode()
    assert response.status_code == 200
    assert "höchstens 5000 Zeichen" in html and "Lang. Lang." in html
    assert not Comment.objects.filter(parent=pending).exists()


def test_a_comment_in_the_spam_gets_no_reply_box_and_a_posted_reply_is_refused(
    autorin_client, article
):
    spam = CommentFactory(article=article, status="spam")

    page = autorin_client.get(reply_url(spam)).content.decode()
    response = autorin_client.post(reply_url(spam), {"body": "Antwort"})

    assert 'name="body"' not in page and "Gib ihn zuerst frei." in page
    assert response.status_code == 200
    assert "kann keine Antwort bekommen" in response.content.decode()
    assert not Comment.objects.filter(parent=spam).exists()
