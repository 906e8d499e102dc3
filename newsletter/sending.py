"""Sending newsletter issues: one delivery row per confirmed subscriber, worked off by the worker.

`issue_send` (the admin's send button) creates the deliveries and queues `deliver_issue`; the
worker claims one delivery at a time, sends it and marks it, so a second run, a retry or a
restart after a crash sends only what is still open and nobody gets an issue twice.

A worker that is killed leaves at most one delivery claimed: the one it was handing to the mail
server. Whether that e-mail left is unknowable, so when the worker is found dead (core/worker.py:
at the next start, or by another worker) it is marked uncertain, never sent again by itself; the
author sees it on the issue and may send those again. The restarted worker then goes on with the
rest of the issue. Asked to stop (SIGTERM), the worker finishes the e-mail in hand and stops;
the next start goes on from there.
"""

import enum
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from core.worker import stop_requested, worker_id
from newsletter import emails
from newsletter.models import Delivery, Issue, Subscriber

logger = logging.getLogger(__name__)

# Sending issues: how often a delivery is tried before it counts as failed, and how long to wait
# between tries.
MAX_DELIVERY_ATTEMPTS = 3
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10))


def _retry_delay(attempts: int) -> timedelta:
    delays = getattr(settings, "NEWSLETTER_RETRY_DELAYS", None)
    delays = [timedelta(seconds=s) for s in delays] if delays is not None else RETRY_DELAYS
    return delays[min(attempts, len(delays)) - 1] if delays else timedelta(0)


class SendResult(enum.Enum):
    STARTED = "started"
    RESUMED = "resumed"
    ALREADY_SENT = "already_sent"


def issue_send(*, issue: Issue, now=None) -> SendResult:
    """Queue an issue for every confirmed subscriber and start the background sending.

    A draft gets one delivery row per confirmed subscriber (a unique constraint makes a second
    row impossible) and turns `sending`. Called again while sending, it only wakes the worker
    again (after a crash); a sent issue is never sent again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status == Issue.Status.SENT:
            return SendResult.ALREADY_SENT
        result = SendResult.RESUMED
        if locked.status == Issue.Status.DRAFT:
            recipients = Subscriber.objects.confirmed().order_by("pk").values_list("pk", flat=True)
            Delivery.objects.bulk_create(
                [Delivery(issue=locked, subscriber_id=pk) for pk in recipients.iterator()],
                batch_size=500,
                ignore_conflicts=True,
            )
            locked.status = Issue.Status.SENDING
            locked.sending_started_at = now
            locked.save(update_fields=["status", "sending_started_at", "updated_at"])
            result = SendResult.STARTED
        issue_id = locked.pk
        transaction.on_commit(lambda: _enqueue_delivery(issue_id))
    issue.status = locked.status
    issue.sending_started_at = locked.sending_started_at
    return result


def _enqueue_delivery(issue_id: int, *, run_after=None) -> None:
    task = deliver_issue
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the immediate backend cannot wait; `send_queued_issues` picks it up
        task = task.using(run_after=run_after)
    task.enqueue(issue_id=issue_id)


# The first name the confirmation page's preview greets (subscribers see their own).
SAMPLE_FIRST_NAME = "Lena"


def issue_recipient_count() -> int:
    """How many subscribers `issue_send` would queue the issue for right now."""
    return Subscriber.objects.confirmed().count()


def issue_preview_email(*, issue: Issue):
    """The issue exactly as a subscriber named SAMPLE_FIRST_NAME gets it (never sent)."""
    sample = Subscriber(first_name=SAMPLE_FIRST_NAME, email="lena@example.org")
    return emails.issue_email(issue, subscriber=sample, to=sample.email)


def issue_send_test(*, issue: Issue, to: str) -> None:
    """Send the issue once to `to` (the author), marked as a test; no delivery is recorded."""
    subscriber = Subscriber.objects.with_email(to).first()
    emails.issue_email(issue, subscriber=subscriber, to=to, test=True).send()


def _claim_next_delivery(issue_id: int) -> Delivery | None:
    """Take the next delivery that is due, so that no other worker can send it too.

    A compare-and-set UPDATE (on the status as read) claims it: of two workers that read the
    same row, exactly one changes it. A delivery claimed by a worker that died is not taken
    over: core/worker.py marks it uncertain.
    """
    status = Delivery.Status
    while True:
        now = timezone.now()
        due = Q(status=status.QUEUED) & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))
        candidate = (
            Delivery.objects.filter(issue_id=issue_id)
            .filter(due)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if candidate is None:
            return None
        claimed = (
            Delivery.objects.filter(pk=candidate)
            .filter(due)
            .update(
                status=status.SENDING,
                claimed_at=now,
                claimed_by=worker_id(),
                attempts=F("attempts") + 1,
                retry_at=None,
            )
        )
        if claimed:
            delivery = (
                Delivery.objects.select_related("issue", "subscriber").filter(pk=candidate).first()
            )
            if delivery is not None:  # None: the subscriber was erased a moment ago
                return delivery


def _deliver_one(delivery: Delivery, connection) -> str:
    status = Delivery.Status
    subscriber = delivery.subscriber
    if subscriber.status != Subscriber.Status.CONFIRMED:
        Delivery.objects.filter(pk=delivery.pk).update(status=status.SKIPPED)
        return status.SKIPPED
    message = emails.issue_email(delivery.issue, subscriber=subscriber, to=subscriber.email)
    message.extra_headers["Message-ID"] = delivery.message_id
    message.connection = connection
    try:
        message.send()
    except Exception as error:  # the mail server's answer decides whether to try again
        logger.warning("Delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error)
        failed = delivery.attempts >= MAX_DELIVERY_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status.FAILED if failed else status.QUEUED,
            retry_at=None if failed else timezone.now() + _retry_delay(delivery.attempts),
            last_error=f"{type(error).__name__}: {error}"[:1000],
        )
        return status.FAILED if failed else status.QUEUED
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status.SENT, sent_at=timezone.now(), last_error=""
    )
    return status.SENT


def issue_deliver(*, issue_id: int) -> dict[str, int]:
    """Send every due delivery of one issue (runs in the worker); safe to run many times at once.

    Each delivery is claimed before its e-mail goes out and marked sent right after, so a second
    run, a retry or a restart after a crash sends only what is still open. When nothing is open
    any more, the issue is marked sent; retries that are not due yet get a later run.
    """
    counts = {"sent": 0, "failed": 0, "skipped": 0, "retry": 0}
    connection = get_connection()
    try:
        while not stop_requested() and (delivery := _claim_next_delivery(issue_id)) is not None:
            outcome = _deliver_one(delivery, connection)
            key = {"queued": "retry"}.get(outcome, outcome)
            counts[key] += 1
    finally:
        connection.close()
    if stop_requested():
        # The worker is stopping: the rest of the issue waits for its next start.
        logger.info("Issue %s: stopped after %s; the rest follows", issue_id, counts)
        return {**counts, "stopped": 1}
    _finish_or_reschedule(issue_id)
    return counts


def _finish_or_reschedule(issue_id: int) -> None:
    open_deliveries = Delivery.objects.filter(issue_id=issue_id).open()
    if not open_deliveries.exists():
        Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, sent_at=timezone.now()
        )
        return
    next_retry = (
        open_deliveries.filter(status=Delivery.Status.QUEUED, retry_at__isnull=False)
        .order_by("retry_at")
        .values_list("retry_at", flat=True)
        .first()
    )
    if next_retry is not None:
        _enqueue_delivery(issue_id, run_after=next_retry)


def issues_resume_sending() -> list[int]:
    """Wake the worker for every issue still sending (after a crash or a deferred retry)."""
    issue_ids = list(Issue.objects.filter(status=Issue.Status.SENDING).values_list("pk", flat=True))
    for issue_id in issue_ids:
        _enqueue_delivery(issue_id)
    return issue_ids


def deliveries_mark_unclear(is_lost) -> int:
    """Mark deliveries that a lost worker was handing to the mail server as uncertain."""
    sending = Delivery.objects.filter(status=Delivery.Status.SENDING)
    lost = [
        pk
        for pk, claimed_by, claimed_at in sending.values_list("pk", "claimed_by", "claimed_at")
        if is_lost(claimed_by, claimed_at)
    ]
    return sending.filter(pk__in=lost).update(
        status=Delivery.Status.UNCLEAR,
        last_error="The worker stopped while handing this e-mail to the mail server.",
    )


def issue_resend_unclear(*, issue: Issue) -> int:
    """Send the uncertain deliveries of an issue again (the author's choice: some of these
    readers may get it twice); returns how many."""
    with transaction.atomic():
        count = Delivery.objects.filter(issue=issue, status=Delivery.Status.UNCLEAR).update(
            status=Delivery.Status.QUEUED, attempts=0, retry_at=None, claimed_at=None
        )
        if count:
            Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING, sent_at=None)
            transaction.on_commit(lambda: _enqueue_delivery(issue.pk))
    return count


def issue_retry_failed(*, issue: Issue) -> int:
    """Give failed deliveries of an issue a fresh set of attempts; returns how many."""
    with transaction.atomic():
        count = Delivery.objects.filter(issue=issue, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.QUEUED, attempts=0, retry_at=None, claimed_at=None
        )
        if count:
            Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING, sent_at=None)
            transaction.on_commit(lambda: _enqueue_delivery(issue.pk))
    return count


@task()
def deliver_issue(*, issue_id: int) -> dict[str, int]:
    """Send the open deliveries of one issue; safe to run again or in parallel."""
    return issue_deliver(issue_id=issue_id)
