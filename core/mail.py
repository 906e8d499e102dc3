"""E-mail: built from the database when it is sent, queued through the tasks framework, retried.

Each app keeps its e-mails in `<app>/emails.py` as builder functions marked with
`@email_builder`. A builder takes row ids (JSON-safe keyword arguments) and returns the message,
or None when there is nothing to send any more (the row was deleted, the address erased).
Services queue an e-mail with `send_email_later(builder, **ids)`: an `OutgoingEmail` row (builder
and ids, in the caller's transaction) and, once that commits, a task with the row's id. The
worker builds and sends it. So neither a task row nor an e-mail row holds an address, a text or
a working link, and a failing mail server never breaks a visitor's request.

When sending fails, the e-mail is tried again after growing waits (EMAIL_RETRY_DELAYS: 1, 5 and
30 minutes, 2 and 6 hours), as a deferred task with the database backend; the immediate backend
cannot wait, so `manage.py send_queued_emails` sends what is due. After the last attempt, or when
the mail server refuses the recipient for good (5xx), the e-mail is failed: `failed_emails()`
lists it for the author with the uncertain ones (a worker died while handing them over), and the
admin's "E-mails" list can send them again. Errors are stored without addresses.
"""

import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from core.models import OutgoingEmail
from core.worker import worker_id

logger = logging.getLogger(__name__)

# Seconds to wait before the 2nd, 3rd, ... attempt; settings.EMAIL_RETRY_DELAYS overrides them.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600)
ADDRESS = re.compile(r"[^\s<>()\[\]'\",;:@]+@[^\s<>()\[\]'\",;:@]+")


def header_safe(value: str) -> str:
    """Collapse line breaks so a visitor's text can never add a mail header."""
    return " ".join(str(value).split())


def absolute_url(path: str) -> str:
    """A site path as the absolute URL that links in e-mails need (settings.SITE_URL)."""
    return f"{settings.SITE_URL}{path}"


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: mail programs show their own one-click "unsubscribe"."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def build_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
    reply_to: list[str] | None = None,
) -> EmailMultiAlternatives:
    """A message from the site's sender, with every header made safe."""
    message = EmailMultiAlternatives(
        subject=header_safe(subject),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[header_safe(address) for address in to],
        reply_to=[header_safe(address) for address in reply_to or []],
        headers={name: header_safe(value) for name, value in (headers or {}).items()},
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message


def email_builder(function=None, *, label=None):
    """Mark `function` as an e-mail builder that the mail task may call by its name.

    `label` names the kind of e-mail for the author (the admin's list of e-mails).
    """

    def mark(builder):
        builder.is_email_builder = True
        builder.email_label = label or builder.__name__.replace("_", " ")
        return builder

    return mark(function) if function is not None else mark


def _builder_path(builder) -> str:
    if not getattr(builder, "is_email_builder", False):
        raise TypeError(f"{builder!r} is not marked with @email_builder.")
    return f"{builder.__module__}.{builder.__qualname__}"


def builder_function(path: str):
    """The builder behind a stored path; ValueError for anything that is not a builder."""
    try:
        function = import_string(path)
    except ImportError as error:
        raise ValueError(f"{path} is not an e-mail builder.") from error
    if not getattr(function, "is_email_builder", False):
        raise ValueError(f"{path} is not an e-mail builder.")
    return function


# -- queueing -----------------------------------------------------------------------------------


def send_email_later(builder, **arguments) -> OutgoingEmail:
    """Queue `builder(**arguments)`: the worker builds and sends it once the transaction commits.

    The e-mail's row is written in the caller's transaction, so a request that commits never
    loses its e-mail, whatever happens to the worker or the mail server afterwards.
    """
    email = OutgoingEmail.objects.create(builder=_builder_path(builder), arguments=arguments)
    # robust: a failing task queue must not fail a request that has committed; the row waits
    # for the worker's next start or `send_queued_emails`.
    transaction.on_commit(lambda: _enqueue(email.pk), robust=True)
    return email


def _enqueue(email_id: int, *, run_after: datetime | None = None) -> None:
    task = send_email_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the immediate backend cannot wait; `send_queued_emails` sends it when due
        task = task.using(run_after=run_after)
    task.enqueue(email_id=email_id)


@task()
def send_email_task(
    *, email_id: int | None = None, builder: str = "", arguments: dict | None = None
) -> str:
    """Build one e-mail from the database and send it (runs in the worker)."""
    if email_id is None:
        # A task queued before e-mails had their own rows (the first start after an upgrade).
        email_id = OutgoingEmail.objects.create(builder=builder, arguments=arguments or {}).pk
    return email_send(email_id=email_id)


# -- sending ------------------------------------------------------------------------------------


def retry_delays() -> list[timedelta]:
    """The waits before the 2nd, 3rd, ... attempt (EMAIL_RETRY_DELAYS, in seconds)."""
    return [timedelta(seconds=s) for s in getattr(settings, "EMAIL_RETRY_DELAYS", RETRY_DELAYS)]


def _claim(email_id: int, now: datetime) -> OutgoingEmail | None:
    # Compare-and-set: of two workers that get the same e-mail, exactly one sends it.
    claimed = (
        OutgoingEmail.objects.due(now)
        .filter(pk=email_id)
        .update(
            status=OutgoingEmail.Status.SENDING,
            claimed_at=now,
            claimed_by=worker_id(),
            attempts=F("attempts") + 1,
        )
    )
    return OutgoingEmail.objects.filter(pk=email_id).first() if claimed else None


def _finish(email: OutgoingEmail, **fields) -> None:
    OutgoingEmail.objects.filter(
        pk=email.pk, status=OutgoingEmail.Status.SENDING, claimed_by=email.claimed_by
    ).update(**fields)


def email_send(*, email_id: int, now: datetime | None = None) -> str:
    """Send one queued e-mail if it is due; a failure is retried later or marked failed.

    Returns what happened: sent, skipped (nothing to send any more), retry, failed, or
    not_due (sent, being sent, waiting, or gone).
    """
    now = now or timezone.now()
    email = _claim(email_id, now)
    if email is None:
        return "not_due"
    try:
        message = builder_function(email.builder)(**email.arguments)
        if message is not None:
            message.send()
    except Exception as error:
        return _failed(email, error)
    status = OutgoingEmail.Status.SENT if message is not None else OutgoingEmail.Status.SKIPPED
    _finish(email, status=status, finished_at=timezone.now(), claimed_by="")
    if message is None:
        logger.info("E-mail %s: nothing to send any more.", email.pk)
    return str(status)


def _permanent(error: Exception) -> bool:
    """Whether trying again cannot help: the mail server refused every recipient for good."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [answer[0] for answer in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return False


def without_addresses(text: str) -> str:
    """`text` with every e-mail address replaced: errors are kept where erasure cannot reach."""
    return ADDRESS.sub("…@…", text)


def _failed(email: OutgoingEmail, error: Exception) -> str:
    if not isinstance(error, smtplib.SMTPException | OSError):
        # Not the mail server's answer but a bug (a builder, a template): the traceback helps.
        logger.error("E-mail %s could not be built or sent", email.pk, exc_info=True)
    delays = retry_delays()
    text = without_addresses(f"{type(error).__name__}: {error}")[:1000]
    now = timezone.now()
    if _permanent(error) or email.attempts > len(delays):
        _finish(
            email,
            status=OutgoingEmail.Status.FAILED,
            last_error=text,
            finished_at=now,
            claimed_by="",
        )
        logger.warning(
            "E-mail %s failed for good after %s attempt(s): %s", email.pk, email.attempts, text
        )
        return "failed"
    retry_at = now + delays[email.attempts - 1]
    _finish(
        email,
        status=OutgoingEmail.Status.QUEUED,
        next_attempt_at=retry_at,
        last_error=text,
        claimed_by="",
    )
    logger.warning(
        "E-mail %s failed (attempt %s), next attempt at %s: %s",
        email.pk,
        email.attempts,
        retry_at.isoformat(timespec="seconds"),
        text,
    )
    _enqueue(email.pk, run_after=retry_at)
    return "retry"


def emails_send_due(*, now: datetime | None = None, grace: timedelta = timedelta(0)) -> int:
    """Queue every waiting e-mail that is due (older than `grace`); returns how many.

    For the immediate task backend, which cannot wait for a retry, and after a crash. An e-mail
    whose task is still queued as well is sent once all the same.
    """
    now = now or timezone.now()
    email_ids = list(OutgoingEmail.objects.due(now - grace).values_list("pk", flat=True))
    for email_id in email_ids:
        _enqueue(email_id)
    return len(email_ids)


# -- what the author and the visitor can do -------------------------------------------------------


def failed_emails():
    """E-mails that did not reach their recipient and wait for the author: failed or uncertain."""
    return OutgoingEmail.objects.needing_attention()


def emails_send_again(*, emails) -> int:
    """Try the given failed or uncertain e-mails again, from the first attempt; how many."""
    ids = list(emails.needing_attention().values_list("pk", flat=True))
    count = (
        OutgoingEmail.objects.needing_attention()
        .filter(pk__in=ids)
        .update(
            status=OutgoingEmail.Status.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_by="",
        )
    )
    for email_id in ids:
        transaction.on_commit(lambda email_id=email_id: _enqueue(email_id), robust=True)
    return count


def email_retry_if_undelivered(builder, **match) -> bool:
    """If the newest e-mail of `builder` whose ids include `match` has not reached its recipient
    because sending failed (waiting for a retry, failed, or uncertain), try it again now.

    For a visitor who asks again for a mail that a resend interval would otherwise hold back:
    she gets the one she asked for, not a second one later. True if it is tried again.
    """
    emails = OutgoingEmail.objects.filter(
        builder=_builder_path(builder),
        **{f"arguments__{key}": value for key, value in match.items()},
    )
    newest = emails.order_by("-created_at", "-pk").first()
    if newest is None or not newest.is_undelivered:
        return False
    again = OutgoingEmail.objects.filter(
        pk=newest.pk, status=newest.status, attempts=newest.attempts
    ).update(
        status=OutgoingEmail.Status.QUEUED,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_by="",
    )
    if again:
        transaction.on_commit(lambda: _enqueue(newest.pk), robust=True)
    return bool(again)


@dataclass(frozen=True)
class EmailPreview:
    """What an e-mail would be if it were built now: for the author's list."""

    recipients: str
    subject: str


def email_preview(email: OutgoingEmail) -> EmailPreview | None:
    """Build `email` now to show its recipients and subject; None if there is nothing to send."""
    try:
        message = builder_function(email.builder)(**email.arguments)
    except Exception:
        logger.warning("E-mail %s cannot be built", email.pk, exc_info=True)
        return None
    if message is None:
        return None
    return EmailPreview(recipients=", ".join(message.to), subject=message.subject)


def email_label(email: OutgoingEmail) -> str:
    """The kind of e-mail, in words (the builder's label)."""
    try:
        return str(builder_function(email.builder).email_label)
    except ValueError:
        return email.builder


# -- after a crash (core/worker.py) and housekeeping -----------------------------------------------


def emails_mark_unclear(is_lost) -> int:
    """Mark e-mails that a lost worker was handing to the mail server as uncertain."""
    sending = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING)
    lost = [
        pk
        for pk, claimed_by, claimed_at in sending.values_list("pk", "claimed_by", "claimed_at")
        if is_lost(claimed_by, claimed_at)
    ]
    return sending.filter(pk__in=lost).update(
        status=OutgoingEmail.Status.UNCLEAR,
        finished_at=timezone.now(),
        last_error="The worker stopped while handing this e-mail to the mail server.",
    )


def emails_purge_finished(
    *, delivered_after: timedelta, failed_after: timedelta, now: datetime | None = None
) -> int:
    """Delete e-mail rows finished long enough ago: sent or skipped ones after
    `delivered_after`, failed and uncertain ones (which the author sees) after `failed_after`."""
    now = now or timezone.now()
    status = OutgoingEmail.Status
    old = OutgoingEmail.objects.filter(
        Q(status__in=[status.SENT, status.SKIPPED], finished_at__lt=now - delivered_after)
        | Q(status__in=[status.FAILED, status.UNCLEAR], finished_at__lt=now - failed_after)
    )
    return old.delete()[0]
