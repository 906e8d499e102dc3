"""E-mail: built from the database when it is sent, queued through the tasks framework.

Each app keeps its e-mails in `<app>/emails.py` as builder functions marked with
`@email_builder`. A builder takes row ids (JSON-safe keyword arguments) and returns the message,
or None when there is nothing to send any more (the row was deleted, the address erased).
Services queue an e-mail with `send_email_later(builder, **ids)`; once the transaction has
committed, the worker builds and sends it. So a task row holds ids, never an address, a text or
a working link, and a failing mail server never breaks a visitor's request.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)


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


def email_builder(function):
    """Mark `function` as an e-mail builder that the mail task may call by its name."""
    function.is_email_builder = True
    return function


def _builder_path(builder) -> str:
    if not getattr(builder, "is_email_builder", False):
        raise TypeError(f"{builder!r} is not marked with @email_builder.")
    return f"{builder.__module__}.{builder.__qualname__}"


@task()
def send_email_task(*, builder: str, arguments: dict) -> int:
    """Build one e-mail from the database and send it (runs in the worker)."""
    function = import_string(builder)
    if not getattr(function, "is_email_builder", False):
        raise ValueError(f"{builder} is not an e-mail builder.")
    message = function(**arguments)
    if message is None:
        logger.info("E-mail %s(%s): nothing to send any more.", builder, arguments)
        return 0
    return message.send()


def send_email_later(builder, **arguments) -> None:
    """Queue `builder(**arguments)` for the worker once the current transaction commits."""
    path = _builder_path(builder)
    transaction.on_commit(lambda: send_email_task.enqueue(builder=path, arguments=arguments))
