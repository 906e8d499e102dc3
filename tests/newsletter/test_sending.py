"""Sending an issue: each confirmed subscriber gets it exactly once, whatever happens."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from core import worker
from core.models import WorkerHeartbeat
from newsletter import sending, services
from newsletter.models import Delivery, Issue, Subscriber
from tests.newsletter.factories import IssueFactory, SubscriberFactory
from tests.newsletter.mailbackends import FlakyBackend, WorkerKilled

pytestmark = pytest.mark.django_db

FLAKY = "tests.newsletter.mailbackends.FlakyBackend"


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = FLAKY
    FlakyBackend.reset()
    return FlakyBackend


@pytest.fixture
def audience():
    """3 confirmed, 1 pending and 1 unsubscribed subscriber."""
    confirmed = [
        SubscriberFactory(email=f"reader{n}@example.de", confirmed=True) for n in range(1, 4)
    ]
    SubscriberFactory(email="pending@example.de")
    SubscriberFactory(email="gone@example.de", unsubscribed=True)
    return confirmed


def dead_worker() -> str:
    """A worker on another machine whose heartbeat stopped two minutes ago."""
    WorkerHeartbeat.objects.create(
        worker_id="host-b:77:dead",
        host="host-b",
        pid=77,
        started_at=timezone.now() - timedelta(hours=1),
        seen_at=timezone.now() - timedelta(minutes=2),
    )
    return "host-b:77:dead"


def send(issue):
    """issue_send as the admin action runs it: the worker starts when the transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return sending.issue_send(issue=issue)


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def test_three_confirmed_one_pending_one_unsubscribed_give_exactly_three_emails(
    audience, mailoutbox
):
    issue = IssueFactory()
    assert send(issue) is sending.SendResult.STARTED
    assert recipients(mailoutbox) == [s.email for s in audience]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.sent_at is not None
    assert Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count() == 3


def test_sending_again_gives_nobody_a_second_email(audience, mailoutbox):
    issue = IssueFactory()
    send(issue)
    mailoutbox.clear()
    assert send(issue) is sending.SendResult.ALREADY_SENT
    sending.issue_deliver(issue_id=issue.pk)
    sending.issues_resume_sending()
    call_command("send_queued_issues")
    assert mailoutbox == []
    assert Delivery.objects.filter(issue=issue).count() == 3


def test_a_run_killed_while_sending_leaves_that_delivery_uncertain_and_the_rest_goes_out(
    audience, flaky
):
    issue = IssueFactory()
    sending.issue_send(issue=issue)  # queued; the worker has not run yet
    flaky.reset(fail_on={2: WorkerKilled()})
    with pytest.raises(WorkerKilled):
        sending.issue_deliver(issue_id=issue.pk)
    assert len(mail.outbox) == 1
    in_flight = Delivery.objects.get(status=Delivery.Status.SENDING)

    # Another run while the claim's worker may still be alive sends the rest, not that one.
    sending.issue_deliver(issue_id=issue.pk)
    assert len(mail.outbox) == 2
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING

    # The worker that claimed it is found dead: the delivery becomes uncertain, never re-sent.
    Delivery.objects.filter(pk=in_flight.pk).update(claimed_by=dead_worker())
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert worker.recover()["newsletter_deliveries"] == 1
        worker.resume()
    assert len(mail.outbox) == 2
    in_flight.refresh_from_db()
    assert in_flight.status == Delivery.Status.UNCLEAR
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    call_command("send_queued_issues")
    assert len(mail.outbox) == 2

    # The author chooses to send it again.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert sending.issue_resend_unclear(issue=issue) == 1
    assert recipients(mail.outbox) == [s.email for s in audience]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_failed_delivery_is_retried_and_the_subscriber_still_gets_one_email(
    audience, flaky, settings
):
    settings.NEWSLETTER_RETRY_DELAYS = [0, 0]
    flaky.reset(fail_on={1: smtplib.SMTPServerDisconnected("connection lost")})
    issue = IssueFactory()
    send(issue)
    assert recipients(mail.outbox) == [s.email for s in audience]
    retried = Delivery.objects.get(attempts=2)
    assert retried.status == Delivery.Status.SENT
    assert retried.attempts == 2


def test_retries_are_bounded_and_then_the_delivery_shows_as_failed(audience, flaky, settings):
    settings.NEWSLETTER_RETRY_DELAYS = [0, 0]
    issue = IssueFactory()
    flaky.reset(always=smtplib.SMTPRecipientsRefused({"x": (550, b"no such user")}))
    send(issue)
    assert mail.outbox == []
    deliveries = Delivery.objects.filter(issue=issue)
    assert {d.status for d in deliveries} == {Delivery.Status.FAILED}
    assert {d.attempts for d in deliveries} == {sending.MAX_DELIVERY_ATTEMPTS}
    assert "SMTPRecipientsRefused" in deliveries[0].last_error
    assert flaky.calls == 3 * sending.MAX_DELIVERY_ATTEMPTS
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT  # finished; the admin shows the failures

    # The author can try the failed ones again once the problem is fixed.
    flaky.reset()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert sending.issue_retry_failed(issue=issue) == 3
    assert recipients(mail.outbox) == [s.email for s in audience]


def test_a_retry_that_is_not_due_yet_waits_for_a_later_run(audience, flaky):
    issue = IssueFactory()
    flaky.reset(fail_on={1: smtplib.SMTPServerDisconnected("connection lost")})
    send(issue)
    assert len(mail.outbox) == 2
    waiting = Delivery.objects.get(status=Delivery.Status.QUEUED)
    assert waiting.retry_at > timezone.now()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING

    call_command("send_queued_issues")  # too early: nothing happens
    assert len(mail.outbox) == 2
    Delivery.objects.filter(pk=waiting.pk).update(retry_at=timezone.now())
    call_command("send_queued_issues")
    assert recipients(mail.outbox) == [s.email for s in audience]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_claim_of_a_process_without_heartbeat_is_uncertain_only_after_the_claim_timeout(
    audience,
):
    issue = IssueFactory()
    sending.issue_send(issue=issue)
    claimed = timezone.now() - worker.CLAIM_TIMEOUT + timedelta(minutes=1)
    Delivery.objects.filter(subscriber=audience[0]).update(
        status=Delivery.Status.SENDING, claimed_at=claimed, claimed_by="web-1:4242:abcd"
    )
    assert worker.recover()["newsletter_deliveries"] == 0
    Delivery.objects.filter(subscriber=audience[0]).update(
        claimed_at=claimed - timedelta(minutes=2)
    )
    assert worker.recover()["newsletter_deliveries"] == 1
    sending.issue_deliver(issue_id=issue.pk)
    assert len(mail.outbox) == 2
    assert Delivery.objects.get(subscriber=audience[0]).status == Delivery.Status.UNCLEAR


def test_someone_who_unsubscribes_while_the_issue_is_queued_is_skipped(audience, mailoutbox):
    issue = IssueFactory()
    sending.issue_send(issue=issue)
    services.subscriber_unsubscribe(subscriber=audience[1])
    sending.issue_deliver(issue_id=issue.pk)
    assert recipients(mailoutbox) == [audience[0].email, audience[2].email]
    assert Delivery.objects.get(subscriber=audience[1]).status == Delivery.Status.SKIPPED


def test_the_recipients_are_fixed_when_the_issue_is_sent(audience, mailoutbox):
    issue = IssueFactory()
    send(issue)
    late = SubscriberFactory(email="late@example.de", confirmed=True)
    send(issue)
    assert late.email not in recipients(mailoutbox)


def test_a_draft_is_never_delivered_by_a_stray_worker_run(audience, mailoutbox):
    issue = IssueFactory()
    sending.issue_deliver(issue_id=issue.pk)
    call_command("send_queued_issues")
    assert mailoutbox == []
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_a_delivery_row_exists_at_most_once_per_issue_and_subscriber(audience):
    from django.db import IntegrityError, transaction

    issue = IssueFactory()
    sending.issue_send(issue=issue)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(issue=issue, subscriber=audience[0])


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_the_production_worker_sends_the_queued_issue(audience, mailoutbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    issue = IssueFactory()
    send(issue)
    assert mailoutbox == []  # queued for the worker, not sent in the request
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert recipients(mailoutbox) == [s.email for s in audience]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_workers_running_at_the_same_time_never_send_an_issue_twice(flaky):
    subscribers = [SubscriberFactory(confirmed=True) for _ in range(12)]
    issue = IssueFactory()
    sending.issue_send(issue=issue)
    flaky.reset(pause=0.02)
    errors = []

    def worker():
        try:
            sending.issue_deliver(issue_id=issue.pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert recipients(mail.outbox) == sorted(s.email for s in subscribers)
    assert Subscriber.objects.count() == 12
