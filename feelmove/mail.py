"""E-mail through the background tasks framework.

Views and services never talk to the mail server themselves: they queue a task once the database
transaction has committed, so a failing mail server never loses data or breaks a visitor's request.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


def header_safe(value: str) -> str:
    """Collapse line breaks so a visitor's text can never add a mail header."""
    return " ".join(str(value).split())


def build_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
    reply_to: list[str] | None = None,
) -> EmailMultiAlternatives:
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


@task()
def send_email_task(**message) -> int:
    """Send one e-mail built from build_email() keyword arguments (runs in the worker)."""
    return build_email(**message).send()


def send_email_later(**kwargs) -> None:
    """Queue `send_email_task` after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_email_task.enqueue(**kwargs))
