"""The newsletter's workflows: signup, confirmation, guide delivery, unsubscribing, sending issues.

Views and admin actions call these functions and nothing else writes subscribers or deliveries.
"""

import enum
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from feelmove.mail import send_email_later
from newsletter import emails
from newsletter.consent import CONSENT_VERSION, consent_text
from newsletter.models import Delivery, Guide, Issue, Subscriber, normalise_email

logger = logging.getLogger(__name__)

# A form may be sent again and again (by a person or a bot); the inbox gets at most one
# confirmation or guide e-mail per address in this interval.
NOTICE_INTERVAL = timedelta(minutes=10)
UNCONFIRMED_RETENTION = timedelta(days=30)

# Sending issues: how often a delivery is tried before it counts as failed, how long to wait
# between tries, and after how long a claim by a worker that stopped answering is taken over.
MAX_DELIVERY_ATTEMPTS = 3
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10))
CLAIM_TIMEOUT = timedelta(minutes=5)


def _retry_delay(attempts: int) -> timedelta:
    delays = getattr(settings, "NEWSLETTER_RETRY_DELAYS", None)
    delays = [timedelta(seconds=s) for s in delays] if delays is not None else RETRY_DELAYS
    return delays[min(attempts, len(delays)) - 1] if delays else timedelta(0)


# ---------------------------------------------------------------------------------------------
# Visitors


def _recently_notified(subscriber: Subscriber, now) -> bool:
    sent = subscriber.confirmation_sent_at
    return sent is not None and now - sent < NOTICE_INTERVAL


def _queue_confirmation(subscriber: Subscriber, now) -> None:
    subscriber.confirmation_sent_at = now
    send_email_later(**emails.confirmation_email(subscriber))


def _queue_guide_link(subscriber: Subscriber, now) -> bool:
    guide = Guide.objects.active().first()
    if guide is None:
        return False
    subscriber.confirmation_sent_at = now
    send_email_later(**emails.guide_link_email(subscriber, guide))
    return True


def subscriber_signup(
    *,
    email: str,
    first_name: str = "",
    source: str,
    ip: str | None,
    user_agent: str = "",
    now=None,
) -> Subscriber:
    """Sign an address up (double opt-in): record the consent and e-mail a confirmation link.

    Answers the same whatever the address's state, and never creates a second row for one
    address: a new signup races others on the unique index and, if it loses, updates the row
    the winner created. An address already confirmed gets no second confirmation mail (for the
    guide it gets the download link instead); repeated forms get at most one mail per
    NOTICE_INTERVAL.
    """
    now = now or timezone.now()
    email = normalise_email(email)
    proof = {
        "source": source,
        "first_name": first_name,
        "consent_text": consent_text(source),
        "consent_version": CONSENT_VERSION,
        "ip": ip,
        "user_agent": user_agent,
        "now": now,
    }
    for attempt in range(3):
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.select_for_update().with_email(email).first()
                if subscriber is None:
                    subscriber = Subscriber(email=email, confirmation_sent_at=now)
                    subscriber.start_signup(**proof)
                    subscriber.save()  # before the e-mail: its links carry the new id
                    send_email_later(**emails.confirmation_email(subscriber))
                else:
                    _answer_repeated_signup(subscriber, proof)
                return subscriber
        except IntegrityError:
            # Another request created this address between our look-up and our insert.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _answer_repeated_signup(subscriber: Subscriber, proof: dict) -> None:
    now = proof["now"]
    status = Subscriber.Status
    if subscriber.status == status.UNSUBSCRIBED:
        subscriber.start_signup(**proof)
        _queue_confirmation(subscriber, now)
    elif subscriber.status == status.PENDING:
        # The newest signup is the consent that the confirmation will prove; the key stays, so
        # the link from the first e-mail keeps working.
        key = subscriber.key
        if subscriber.wants_guide:
            proof = {**proof, "source": Subscriber.Source.GUIDE}
        subscriber.start_signup(**proof)
        subscriber.key = key
        if not _recently_notified(subscriber, now):
            _queue_confirmation(subscriber, now)
    elif proof["source"] == Subscriber.Source.GUIDE and not _recently_notified(subscriber, now):
        _queue_guide_link(subscriber, now)
    subscriber.save()


def subscriber_confirm(*, subscriber: Subscriber, ip: str | None, now=None) -> Subscriber:
    """Confirm a pending signup (the POST behind the link in the e-mail); idempotent.

    A guide signup also gets its download link by e-mail.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if locked.confirm(ip=ip, now=now):
            if locked.wants_guide:
                _queue_guide_link(locked, now)
            locked.save()
    return locked


def subscriber_unsubscribe(*, subscriber: Subscriber, now=None) -> bool:
    """Take an address off the list (one click); True if it was on it. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        changed = locked.unsubscribe(now=now)
        if changed:
            locked.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    return changed


def guide_link_request(*, email: str, now=None) -> None:
    """Send a fresh download link (or, if still pending, the confirmation link again).

    Says nothing about whether the address is known; unknown addresses get nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().with_email(email).first()
        if subscriber is None or _recently_notified(subscriber, now):
            return
        if subscriber.status == Subscriber.Status.CONFIRMED:
            if not _queue_guide_link(subscriber, now):
                return
        elif subscriber.status == Subscriber.Status.PENDING:
            subscriber.source = Subscriber.Source.GUIDE
            _queue_confirmation(subscriber, now)
        else:
            return
        subscriber.save()


def guide_download_record(*, guide: Guide, subscriber: Subscriber, now=None) -> None:
    """Count one download of the guide (in total and for the subscriber)."""
    now = now or timezone.now()
    Guide.objects.filter(pk=guide.pk).update(download_count=F("download_count") + 1)
    Subscriber.objects.filter(pk=subscriber.pk).update(
        guide_downloads=F("guide_downloads") + 1, last_guide_download_at=now
    )


def guide_activate(*, guide: Guide) -> None:
    """Make `guide` the one the landing page offers (the others become inactive)."""
    with transaction.atomic():
        Guide.objects.active().exclude(pk=guide.pk).update(is_active=False)
        if not guide.is_active:
            guide.is_active = True
            guide.save(update_fields=["is_active", "updated_at"])


def subscribers_purge_unconfirmed(
    *, older_than: timedelta = UNCONFIRMED_RETENTION, now=None
) -> int:
    """Delete signups never confirmed within `older_than` (30 days); returns how many."""
    now = now or timezone.now()
    _total, per_model = Subscriber.objects.unconfirmed_since_before(now - older_than).delete()
    return per_model.get("newsletter.Subscriber", 0)


# ---------------------------------------------------------------------------------------------
# Sending issues


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
    from newsletter.tasks import deliver_issue

    task = deliver_issue
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the immediate backend cannot wait; `send_queued_issues` picks it up
        task = task.using(run_after=run_after)
    task.enqueue(issue_id=issue_id)


def issue_send_test(*, issue: Issue, to: str) -> None:
    """Send the issue once to `to` (the author), marked as a test; no delivery is recorded."""
    subscriber = Subscriber.objects.with_email(to).first()
    emails.issue_email(issue, subscriber=subscriber, to=to, test=True).send()


def _claim_next_delivery(issue_id: int) -> Delivery | None:
    """Take the next delivery that is due, so that no other worker can send it too.

    A compare-and-set UPDATE (on status and claimed_at as read) claims it: of two workers that
    read the same row, exactly one changes it. A claim older than CLAIM_TIMEOUT belongs to a
    worker that died and is taken over.
    """
    status = Delivery.Status
    while True:
        now = timezone.now()
        due = Q(status=status.QUEUED) & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))
        abandoned = Q(status=status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
        candidate = (
            Delivery.objects.filter(issue_id=issue_id)
            .filter(due | abandoned)
            .order_by("pk")
            .values("pk", "status", "claimed_at", "attempts")
            .first()
        )
        if candidate is None:
            return None
        same_as_read = Delivery.objects.filter(
            pk=candidate["pk"], status=candidate["status"], claimed_at=candidate["claimed_at"]
        )
        if candidate["attempts"] >= MAX_DELIVERY_ATTEMPTS:
            # Only an abandoned claim gets here: its worker died while sending, every time.
            same_as_read.update(
                status=status.FAILED, last_error="The worker stopped while sending."
            )
            continue
        if same_as_read.update(
            status=status.SENDING, claimed_at=now, attempts=F("attempts") + 1, retry_at=None
        ):
            claimed = (
                Delivery.objects.select_related("issue", "subscriber")
                .filter(pk=candidate["pk"])
                .first()
            )
            if claimed is not None:  # None: the subscriber was erased a moment ago
                return claimed


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
        while (delivery := _claim_next_delivery(issue_id)) is not None:
            outcome = _deliver_one(delivery, connection)
            key = {"queued": "retry"}.get(outcome, outcome)
            counts[key] += 1
    finally:
        connection.close()
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


# ---------------------------------------------------------------------------------------------
# Personal data (DSGVO Art. 15 and 17); feelmove.privacy combines this with the comments.


def _when(value) -> str | None:
    return value.isoformat() if value else None


def subscriber_personal_data(email: str) -> list[dict]:
    """Everything the newsletter stores about `email`: the subscription, its proof, deliveries."""
    subscribers = Subscriber.objects.with_email(email).prefetch_related("deliveries__issue")
    return [
        {
            "email": s.email,
            "first_name": s.first_name,
            "status": s.status,
            "source": s.source,
            "consent_text": s.consent_text,
            "consent_version": s.consent_version,
            "signed_up_at": _when(s.signed_up_at),
            "signup_ip": s.signup_ip,
            "signup_user_agent": s.signup_user_agent,
            "confirmation_sent_at": _when(s.confirmation_sent_at),
            "confirmed_at": _when(s.confirmed_at),
            "confirmation_ip": s.confirmation_ip,
            "unsubscribed_at": _when(s.unsubscribed_at),
            "guide_downloads": s.guide_downloads,
            "last_guide_download_at": _when(s.last_guide_download_at),
            "newsletters_received": [
                {"subject": d.issue.subject, "status": d.status, "sent_at": _when(d.sent_at)}
                for d in s.deliveries.all()
            ],
        }
        for s in subscribers
    ]


def subscriber_erase(email: str) -> int:
    """Remove every subscription of `email` with its deliveries; returns how many were removed."""
    _total, per_model = Subscriber.objects.with_email(email).delete()
    return per_model.get("newsletter.Subscriber", 0)
