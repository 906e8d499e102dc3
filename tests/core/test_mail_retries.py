"""A mail server that refuses: e-mails are retried with growing waits, then shown to the author.

Every test talks to a real SMTP server on 127.0.0.1 (tests/servers.py) through Django's SMTP
backend. Time is moved on by moving an e-mail's next attempt into the past.
"""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from core import worker
from core.mail import email_retry_if_undelivered, emails_send_due, failed_emails, send_email_later
from core.models import OutgoingEmail
from newsletter import emails as newsletter_emails
from newsletter.models import Subscriber
from tests.blog.factories import ArticleFactory
from tests.comments.factories import comment_post_data
from tests.core.test_mail import greeting
from tests.newsletter.factories import GuideFactory, SubscriberFactory
from tests.servers import smtp_server

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails are queued when requests commit

MINUTE = 60


@pytest.fixture
def smtp(settings):
    with smtp_server(mode="refuse") as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 5
        settings.RATE_LIMITS = False
        yield server


def time_passes(email=None) -> None:
    """Make the next attempt of every waiting e-mail (or of `email`) due now."""
    waiting = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED)
    if email is not None:
        waiting = waiting.filter(pk=email.pk)
    waiting.update(next_attempt_at=timezone.now() - timedelta(minutes=2))


def wait_of(email: OutgoingEmail) -> float:
    """Seconds from its last attempt to the next one."""
    email.refresh_from_db()
    return (email.next_attempt_at - timezone.now()).total_seconds()


def delivered_to(server) -> list[str]:
    return [address for message in server.messages for address in message["to"]]


def text_of(delivered) -> str:
    return delivered["message"].get_body(("plain",)).get_content()


def signup(client, email="lena@example.de"):
    return client.post("/newsletter/", {"email": email, "first_name": "Lena", "consent": "on"})


def test_a_confirmation_the_mail_server_refuses_goes_out_once_it_accepts_again(client, smtp):
    response = signup(client)
    assert response.status_code == 302  # the visitor's signup is not lost
    assert Subscriber.objects.get().email == "lena@example.de"
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.QUEUED and email.attempts == 1
    assert "421" in email.last_error
    assert 55 <= wait_of(email) <= MINUTE
    assert smtp.messages == []

    smtp.mode = "accept"
    call_command("send_queued_emails")  # not due yet: nothing happens
    assert smtp.messages == []

    time_passes()
    call_command("send_queued_emails")
    assert delivered_to(smtp) == ["lena@example.de"]
    assert "bestätige" in smtp.messages[0]["message"]["Subject"]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 2
    call_command("send_queued_emails")
    assert len(smtp.messages) == 1


def test_the_waits_grow_and_after_the_last_attempt_the_email_is_failed_for_the_author(smtp):
    smtp.mode = "tempfail"
    email = send_email_later(greeting, name="Eva")
    waits = []
    for _attempt in range(5):
        waits.append(round(wait_of(email) / MINUTE))
        time_passes(email)
        emails_send_due()
    assert waits == [1, 5, 30, 120, 360]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 6
    assert "451" in email.last_error
    assert list(failed_emails()) == [email]
    assert smtp.messages == []


def test_a_recipient_refused_for_good_fails_at_once_and_its_error_names_no_address(smtp):
    smtp.mode = "reject"
    email = send_email_later(greeting, name="Eva")
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.attempts == 1
    assert "550" in email.last_error
    assert "@" not in email.last_error.replace("…@…", "")


def test_the_author_sees_failed_emails_with_recipient_and_subject_and_sends_them_again(
    smtp, admin_client
):
    smtp.mode = "reject"
    SubscriberFactory(email="lena@example.de")
    subscriber = Subscriber.objects.get()
    failed = send_email_later(newsletter_emails.confirmation_email, subscriber_id=subscriber.pk)
    sent_fine = send_email_later(greeting, name="")  # nothing to send: not listed

    response = admin_client.get(reverse("admin:core_outgoingemail_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "lena@example.de" in html and "Bitte bestätige deine E-Mail-Adresse" in html
    assert "550" in html
    assert f'value="{sent_fine.pk}"' not in html

    smtp.mode = "accept"
    response = admin_client.post(
        reverse("admin:core_outgoingemail_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    assert delivered_to(smtp) == ["lena@example.de"]
    failed.refresh_from_db()
    assert failed.status == OutgoingEmail.Status.SENT
    assert not failed_emails().exists()


def test_with_the_worker_a_retry_waits_as_a_deferred_task(smtp, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    email = send_email_later(greeting, name="Eva")
    run_worker = ("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    call_command(*run_worker, verbosity=0)
    email.refresh_from_db()
    assert email.attempts == 1 and email.status == OutgoingEmail.Status.QUEUED
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert MINUTE - 5 <= (waiting.run_after - timezone.now()).total_seconds() <= MINUTE

    call_command(*run_worker, verbosity=0)  # too early: the task waits
    assert smtp.messages == [] and email.attempts == 1

    smtp.mode = "accept"
    time_passes(email)
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    call_command(*run_worker, verbosity=0)
    assert len(smtp.messages) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    for row in DBTaskResult.objects.all():
        stored = json.dumps([row.args_kwargs, row.return_value]) + row.traceback
        assert "@" not in stored  # ids only, never an address


def test_a_visitor_who_signs_up_again_while_her_mail_failed_gets_it_at_once(client, smtp):
    signup(client)
    assert smtp.messages == []
    smtp.mode = "accept"
    signup(client)  # within NOTICE_INTERVAL: before, this was swallowed
    assert delivered_to(smtp) == ["lena@example.de"]
    confirmation = OutgoingEmail.objects.get(builder="newsletter.emails.confirmation_email")
    assert confirmation.status == OutgoingEmail.Status.SENT  # one e-mail, tried again
    time_passes()
    emails_send_due()
    signup(client)  # her mail went out: the interval holds as before
    assert len(smtp.messages) == 1


def test_a_fresh_guide_link_that_failed_is_tried_again_when_she_asks_again(client, smtp):
    GuideFactory()
    SubscriberFactory(email="lena@example.de", confirmed=True)
    url = reverse("newsletter:guide_link_request")
    client.post(url, {"email": "lena@example.de"})
    assert OutgoingEmail.objects.get().attempts == 1 and smtp.messages == []
    smtp.mode = "accept"
    response = client.post(url, {"email": "lena@example.de"})
    assert response.status_code == 302
    assert delivered_to(smtp) == ["lena@example.de"]
    assert "/gratis-guide/download/" in text_of(smtp.messages[0])


def test_a_commenter_who_asks_again_for_reply_notices_gets_the_link_that_failed(client, smtp):
    article = ArticleFactory(slug="faszien")
    url = reverse("comments:post", args=[article.slug])
    client.post(url, comment_post_data(article, notify_replies="on"))
    assert Comment.objects.count() == 1
    assert smtp.messages == []  # the author's notice and the commenter's link both wait

    smtp.mode = "accept"
    client.post(
        url, comment_post_data(article, notify_replies="on", body="Noch eine Frage zur Rolle.")
    )
    assert sorted(delivered_to(smtp)) == ["autorin@feelmove.de", "maria@example.org"]
    time_passes()
    emails_send_due()  # the first comment's notice to the author follows; nothing else
    assert sorted(delivered_to(smtp)) == [
        "autorin@feelmove.de",
        "autorin@feelmove.de",
        "maria@example.org",
    ]


def test_an_email_a_dead_worker_was_sending_is_uncertain_and_not_sent_by_itself(smtp):
    smtp.mode = "accept"
    SubscriberFactory(email="lena@example.de")
    subscriber = Subscriber.objects.get()
    email = OutgoingEmail.objects.create(
        builder="newsletter.emails.confirmation_email",
        arguments={"subscriber_id": subscriber.pk},
        status=OutgoingEmail.Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - timedelta(minutes=10),
        claimed_by="host-b:77:dead",
    )
    assert worker.recover()["emails"] == 1
    worker.resume()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.UNCLEAR
    assert list(failed_emails()) == [email]
    assert smtp.messages == []

    # She asks again: the uncertain one is sent (she may have got it, but she says she did not).
    assert email_retry_if_undelivered(
        newsletter_emails.confirmation_email, subscriber_id=subscriber.pk
    )
    assert delivered_to(smtp) == ["lena@example.de"]
