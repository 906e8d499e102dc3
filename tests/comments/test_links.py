"""Links in e-mails: moderation (login, confirm on GET, act on POST) and reply-notice opt-in/out."""

import re

import pytest
from django.core import mail
from django.test import Client

from comments import emails, tokens
from comments.models import NotificationAddress
from tests.comments.factories import CommentFactory, NotificationAddressFactory, UserFactory

pytestmark = pytest.mark.django_db


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def pending(article):
    return CommentFactory(article=article, status="pending", body="Bitte freigeben")


def test_a_moderation_link_asks_for_login_first(client, pending):
    url = path_of(emails.moderation_url(pending.pk, "approve"))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_moderation_link_shows_a_confirmation_page_on_get_and_changes_nothing(
    client, author, pending
):
    client.force_login(author)

    response = client.get(path_of(emails.moderation_url(pending.pk, "approve")))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte freigeben" in html and "Kommentar freigeben" in html
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.mark.parametrize(
    "action,status,message",
    [
        ("approve", "approved", "freigegeben und jetzt öffentlich"),
        ("mark_spam", "spam", "als Spam markiert"),
        ("move_to_trash", "trash", "liegt im Papierkorb"),
    ],
)
def test_a_moderation_link_acts_on_post(client, author, pending, action, status, message):
    client.force_login(author)

    response = client.post(path_of(emails.moderation_url(pending.pk, action)))

    assert message in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == status and pending.moderated_by == author


@pytest.mark.parametrize("action", ["approve", "mark_spam", "move_to_trash"])
def test_a_used_moderation_link_shows_the_state_and_no_button_that_would_do_nothing(
    client, author, pending, action
):
    client.force_login(author)
    url = path_of(emails.moderation_url(pending.pk, action))
    client.post(url)

    html = client.get(url).content.decode()

    status = {"approve": "Freigegeben", "mark_spam": "Spam", "move_to_trash": "Papierkorb"}[action]
    assert f"Dieser Link wurde schon verwendet: Der Kommentar ist „{status}“." in html
    assert '<form method="post"' not in html.split('class="page comment-moderation"')[1]
    assert f"/admin/comments/comment/{pending.pk}/change/" in html


def test_a_moderation_link_still_acts_when_the_comment_changed_since(client, author, pending):
    # Approved in the admin meanwhile, the "spam" link from the mail still offers its button.
    client.force_login(author)
    client.post(path_of(emails.moderation_url(pending.pk, "approve")))

    html = client.get(path_of(emails.moderation_url(pending.pk, "mark_spam"))).content.decode()

    assert "schon verwendet" not in html and "Als Spam markieren" in html


def test_a_moderation_link_needs_a_staff_member_with_the_right(client, pending):
    client.force_login(UserFactory())
    url = path_of(emails.moderation_url(pending.pk, "approve"))

    assert client.post(url).status_code == 302
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_forged_moderation_link_is_refused(client, author, pending):
    client.force_login(author)
    token = tokens.moderation_token(pending.pk, "approve")

    response = client.post(f"/kommentare/moderieren/{token[:-2]}xx/")

    assert response.status_code == 400
    assert "Dieser Link ist ungültig" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_the_links_in_the_author_mail_work(client, author, article, on_commit):
    from tests.comments.test_services import submit

    with on_commit():
        comment = submit(article)
    approve_url = re.search(r"Freigeben: (\S+)", mail.outbox[0].body).group(1)
    client.force_login(author)

    client.post(path_of(approve_url))

    comment.refresh_from_db()
    assert comment.status == "approved"


def test_the_confirmation_link_confirms_only_on_post(client):
    NotificationAddressFactory(email="maria@example.org", confirmed_at=None)
    url = path_of(emails.notice_confirm_url("maria@example.org"))

    page = client.get(url)
    assert page.status_code == 200
    assert "Ja, benachrichtige mich über Antworten" in page.content.decode()
    assert not NotificationAddress.objects.get().is_confirmed

    done = client.post(url)
    assert "deine Adresse ist bestätigt" in done.content.decode()
    assert NotificationAddress.objects.get().is_confirmed


def test_the_confirmation_link_from_the_mail_enables_reply_notices(
    client, article, author, on_commit
):
    from comments import services
    from tests.comments.test_services import submit

    with on_commit():
        parent = submit(article, notify_replies=True)
    confirm = [m for m in mail.outbox if m.to == ["maria@example.org"]][0]
    client.post(path_of(re.search(r"(http\S+/bestaetigen/\S+)", confirm.body).group(1)))
    mail.outbox.clear()

    with on_commit():
        services.comment_reply(parent=parent, author=author, body="Hier meine Antwort.")

    assert [m.to for m in mail.outbox] == [["maria@example.org"]]


def test_the_unsubscribe_link_stops_notices_on_post_and_works_as_one_click(client):
    NotificationAddressFactory(email="maria@example.org")
    url = path_of(emails.notice_unsubscribe_url("maria@example.org"))

    assert "E-Mails abbestellen" in client.get(url).content.decode()
    assert NotificationAddress.objects.get().is_confirmed

    one_click = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    assert not NotificationAddress.objects.get().is_confirmed


@pytest.mark.parametrize("kind", ["bestaetigen", "abbestellen"])
def test_a_broken_notice_link_gets_a_clear_page(client, kind):
    response = client.get(f"/kommentare/benachrichtigung/{kind}/kaputt/")

    assert response.status_code == 400
    assert "Dieser Link ist ungültig" in response.content.decode()
