"""The workflows in comments/services.py: submit, reply, moderate, reply notices, privacy."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from comments import services
from comments.models import Comment, NotificationAddress
from comments.services import CommentRejected
from tests.comments.factories import (
    ArticleFactory,
    CommentFactory,
    NotificationAddressFactory,
    SpamWordFactory,
)

pytestmark = pytest.mark.django_db


def submit(article, **overrides):
    values = {
        "article": article,
        "name": "Maria Schulz",
        "email": "maria@example.org",
        "url": "",
        "body": "Wie oft am Tag soll ich die Übung machen?",
        "parent": None,
        "ip": "192.0.2.7",
        "user_agent": "Mozilla/5.0",
        "notify_replies": False,
    }
    values.update(overrides)
    return services.comment_submit(**values)


def test_a_submitted_comment_is_stored_pending_with_ip_and_browser(article):
    comment = submit(article)

    assert comment.status == "pending"
    assert comment.ip_address == "192.0.2.7"
    assert comment.user_agent == "Mozilla/5.0"
    assert comment.fingerprint


def test_a_new_comment_notifies_the_author_with_signed_moderation_links(
    article, on_commit, settings
):
    settings.AUTHOR_EMAIL = "jana@feelmove.example"
    with on_commit():
        comment = submit(article, body="Meine Frage zur Rolle.\nZweite Zeile.")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jana@feelmove.example"]
    assert message.reply_to == ["maria@example.org"]
    assert "Faszien einfach erklärt" in message.subject
    assert "Wartet auf Freigabe" in message.subject
    assert "Meine Frage zur Rolle.\nZweite Zeile." in message.body
    assert message.body.count("/kommentare/moderieren/") == 3
    assert f"/admin/comments/comment/{comment.pk}/change/" in message.body


def test_spam_is_stored_but_never_notifies_anyone(article, on_commit):
    SpamWordFactory(word="casino")
    with on_commit():
        comment = submit(article, body="Online casino", notify_replies=True)

    assert comment.status == "spam"
    assert mail.outbox == []
    assert not NotificationAddress.objects.exists()


def test_a_newline_in_the_name_never_reaches_a_mail_header(article, on_commit):
    with on_commit():
        submit(article, name="Eve\r\nBcc: victim@example.org")

    headers = mail.outbox[0].message().as_string().split("\n\n", 1)[0]
    assert "Bcc:" not in headers
    assert "\n" not in mail.outbox[0].subject
    assert Comment.objects.get().name == "Eve Bcc: victim@example.org"


def test_closed_comments_are_refused(article):
    article.comments_open = False
    article.save()

    with pytest.raises(CommentRejected) as rejected:
        submit(article)
    assert rejected.value.code == "comments_closed"


def test_an_unpublished_article_takes_no_comments():
    with pytest.raises(CommentRejected):
        submit(ArticleFactory(draft=True))


@pytest.mark.parametrize(
    "make_parent,code",
    [
        (lambda article: CommentFactory(), "parent_other_article"),
        (lambda article: CommentFactory(article=article, status="pending"), "parent_not_approved"),
        (lambda article: CommentFactory(article=article, status="spam"), "parent_not_approved"),
    ],
)
def test_a_reply_needs_an_approved_parent_on_the_same_article(article, make_parent, code):
    with pytest.raises(CommentRejected) as rejected:
        submit(article, parent=make_parent(article))
    assert rejected.value.code == code


def test_the_same_comment_twice_is_refused_as_a_duplicate(article):
    submit(article, body="Danke!  Hat geholfen.")

    with pytest.raises(CommentRejected) as rejected:
        submit(article, email="MARIA@example.org", body="danke! hat geholfen.")
    assert rejected.value.code == "duplicate"
    assert Comment.objects.count() == 1


def test_the_same_words_on_another_article_are_no_duplicate(article):
    submit(article, body="Danke!")
    submit(ArticleFactory(), body="Danke!")

    assert Comment.objects.count() == 2


def test_more_than_five_comments_a_minute_from_one_address_are_refused(article, settings):
    settings.RATE_LIMITS = True
    for number in range(5):
        submit(article, body=f"Kommentar {number}")

    with pytest.raises(CommentRejected) as rejected:
        submit(article, body="Kommentar 6")
    assert rejected.value.code == "rate_limited"
    submit(article, body="Von woanders", ip="192.0.2.99")


def test_the_author_reply_is_approved_marked_and_approves_a_pending_parent(article, author):
    parent = CommentFactory(article=article, status="pending")

    reply = services.comment_reply(parent=parent, author=author, body="Danke für die Frage!")

    parent.refresh_from_db()
    assert parent.status == "approved" and parent.moderated_by == author
    assert reply.status == "approved"
    assert reply.is_author_reply and reply.user == author
    assert reply.name == "Jana Berger"
    assert reply.parent == parent and reply.article == article


def test_the_author_cannot_reply_to_spam(article, author):
    with pytest.raises(CommentRejected):
        services.comment_reply(
            parent=CommentFactory(article=article, status="spam"), author=author, body="Hm"
        )


def test_asking_for_reply_notices_sends_one_confirmation_a_day(article, on_commit):
    with on_commit():
        submit(article, notify_replies=True, body="Erste Frage")
        submit(article, notify_replies=True, body="Zweite Frage")

    confirmations = [m for m in mail.outbox if m.to == ["maria@example.org"]]
    assert len(confirmations) == 1
    assert "/kommentare/benachrichtigung/bestaetigen/" in confirmations[0].body
    address = NotificationAddress.objects.get()
    assert address.confirmation_sent_at is not None and address.confirmed_at is None


def test_a_confirmation_can_be_sent_again_after_a_day(article, on_commit):
    NotificationAddressFactory(
        email="maria@example.org",
        confirmed_at=None,
        confirmation_sent_at=timezone.now() - timedelta(days=2),
    )
    with on_commit():
        submit(article, notify_replies=True)

    assert any(m.to == ["maria@example.org"] for m in mail.outbox)


def test_no_reply_notice_goes_to_an_unconfirmed_address(article, author, on_commit):
    parent = CommentFactory(article=article, email="maria@example.org", notify_replies=True)
    NotificationAddressFactory(email="maria@example.org", confirmed_at=None)

    with on_commit():
        services.comment_reply(parent=parent, author=author, body="Gute Frage!")

    assert [m for m in mail.outbox if m.to == ["maria@example.org"]] == []


def test_a_confirmed_address_gets_a_reply_notice_with_a_stop_link(article, author, on_commit):
    parent = CommentFactory(article=article, email="maria@example.org", notify_replies=True)
    NotificationAddressFactory(email="Maria@Example.org")

    with on_commit():
        services.comment_reply(parent=parent, author=author, body="Gute Frage!")

    (notice,) = [m for m in mail.outbox if m.to == ["maria@example.org"]]
    assert "Jana Berger" in notice.subject
    assert "Gute Frage!" in notice.body
    assert "/kommentare/benachrichtigung/abbestellen/" in notice.body
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_reader_reply_notifies_only_once_it_is_approved(article, author, on_commit):
    parent = CommentFactory(article=article, email="maria@example.org", notify_replies=True)
    NotificationAddressFactory(email="maria@example.org")

    with on_commit():
        reply = submit(
            article, parent=parent, name="Tom", email="tom@example.org", body="Ich auch!"
        )
    assert [m for m in mail.outbox if m.to == ["maria@example.org"]] == []

    with on_commit():
        services.comment_approve(comment=reply, by=author)
    assert len([m for m in mail.outbox if m.to == ["maria@example.org"]]) == 1


def test_no_notice_for_a_comment_that_did_not_ask_for_one(article, author, on_commit):
    parent = CommentFactory(article=article, email="maria@example.org", notify_replies=False)
    NotificationAddressFactory(email="maria@example.org")

    with on_commit():
        services.comment_reply(parent=parent, author=author, body="Danke!")

    assert [m for m in mail.outbox if m.to == ["maria@example.org"]] == []


def test_unsubscribing_stops_all_reply_notices_for_the_address(article, author, on_commit):
    parent = CommentFactory(article=article, email="maria@example.org", notify_replies=True)
    NotificationAddressFactory(email="maria@example.org")

    services.notice_address_unsubscribe(email="MARIA@example.org")
    with on_commit():
        services.comment_reply(parent=parent, author=author, body="Danke!")

    assert [m for m in mail.outbox if m.to == ["maria@example.org"]] == []
    parent.refresh_from_db()
    assert parent.notify_replies is False
    assert NotificationAddress.objects.get().unsubscribed_at is not None


def test_confirming_an_address_enables_notices():
    NotificationAddressFactory(email="maria@example.org", confirmed_at=None)

    address = services.notice_address_confirm(email="maria@example.org")

    assert address.is_confirmed
    assert services.notice_address_confirm(email="nobody@example.org") is None


def test_moderation_services_run_by_name(article, author):
    comment = CommentFactory(article=article, status="pending")

    assert services.comment_moderate(comment=comment, action="mark_spam", by=author)
    assert comment.status == "spam"
    assert services.comment_moderate(comment=comment, action="move_to_trash", by=author)
    assert comment.status == "trash"


def test_ips_older_than_thirty_days_are_anonymised(article):
    old = CommentFactory(article=article, created_at=timezone.now() - timedelta(days=31))
    recent = CommentFactory(article=article, created_at=timezone.now() - timedelta(days=29))

    assert services.comment_ips_anonymise() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None and old.user_agent == ""
    assert recent.ip_address == "192.0.2.10"


def test_comments_for_email_exports_everything_about_that_address_as_json(article):
    import json

    CommentFactory(article=article, email="maria@example.org", body="Meine Frage")
    CommentFactory(article=article, email="tom@example.org")

    exported = services.comments_for_email("MARIA@example.org")

    assert len(exported) == 1
    assert exported[0]["body"] == "Meine Frage"
    assert exported[0]["article"] == "Faszien einfach erklärt"
    assert exported[0]["ip_address"] == "192.0.2.10"
    json.dumps(exported)
    assert services.comments_for_email("") == []


def test_anonymising_for_an_email_keeps_the_text_and_forgets_the_person(article):
    comment = CommentFactory(
        article=article,
        email="maria@example.org",
        name="Maria",
        url="https://maria.example",
        notify_replies=True,
        body="Meine Frage",
    )
    NotificationAddressFactory(email="maria@example.org")
    other = CommentFactory(article=article, email="tom@example.org")

    assert services.comments_anonymise_for_email("Maria@Example.org") == 1

    comment.refresh_from_db()
    other.refresh_from_db()
    assert (comment.name, comment.email, comment.url) == ("Anonym", "", "")
    assert comment.ip_address is None and comment.user_agent == ""
    assert comment.body == "Meine Frage"
    assert not comment.notify_replies
    assert not NotificationAddress.objects.exists()
    assert other.name != "Anonym"


@pytest.mark.parametrize("ip", ["", "unknown", "1.2.3.4.5", None])
def test_an_address_that_is_not_an_ip_is_not_stored(article, ip):
    assert submit(article, ip=ip).ip_address is None


def test_a_nul_character_in_the_browser_name_is_dropped(article):
    assert submit(article, user_agent="Bot\x00/1.0").user_agent == "Bot/1.0"
