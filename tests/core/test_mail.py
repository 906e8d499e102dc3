"""E-mail goes through the tasks framework, is built when sent, and never breaks the request."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from core.mail import build_email, email_builder, send_email_later, send_email_task
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db(transaction=True)

SENT_TO = "leserin@example.org"


@email_builder
def greeting(*, name: str, subject: str = "Hallo"):
    if not name:
        return None  # what a builder says when its row is gone
    return build_email(subject=subject, body=f"Hallo {name}", to=[SENT_TO])


def test_an_email_is_sent_only_once_the_transaction_commits():
    with transaction.atomic():
        send_email_later(greeting, name="Eva")
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Hallo"]


def test_nothing_is_sent_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email_later(greeting, name="Eva")
        raise RuntimeError
    assert mail.outbox == []


def test_a_builder_that_finds_nothing_to_send_sends_nothing():
    send_email_later(greeting, name="")
    assert mail.outbox == []


def test_only_functions_marked_as_builders_can_be_queued():
    def not_a_builder():
        return None

    with pytest.raises(TypeError):
        send_email_later(not_a_builder)


def test_a_queued_task_holds_the_row_id_and_the_row_the_builder_and_its_ids(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email_later(greeting, name="Eva")
    (row,) = DBTaskResult.objects.all()
    (email,) = OutgoingEmail.objects.all()
    assert row.args_kwargs == {"args": [], "kwargs": {"email_id": email.pk}}
    assert email.builder == "tests.core.test_mail.greeting"
    assert email.arguments == {"name": "Eva"}
    assert email.status == OutgoingEmail.Status.QUEUED


def test_a_task_queued_before_emails_had_rows_is_still_sent():
    send_email_task.enqueue(builder="tests.core.test_mail.greeting", arguments={"name": "Eva"})
    assert [m.body for m in mail.outbox] == ["Hallo Eva"]
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_a_line_break_typed_by_a_visitor_never_becomes_a_mail_header():
    subject = "Neuer Kommentar von Eva\nBcc: opfer@example.org"
    send_email_later(greeting, name="Eva", subject=subject)
    (message,) = mail.outbox
    assert message.subject == "Neuer Kommentar von Eva Bcc: opfer@example.org"
    assert message.bcc == []
    message = build_email(
        subject="x", body="y", to=[SENT_TO], headers={"X-Name": "Eva\r\nBcc: opfer@example.org"}
    )
    assert "\n" not in message.extra_headers["X-Name"]


def test_a_failing_mail_server_does_not_break_the_caller(settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.BrokenBackend"
    send_email_later(greeting, name="Eva")  # no exception


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@email_builder
def broken_builder(*, name: str):
    raise RuntimeError(f"template bug for {name}")


def test_a_builder_that_fails_is_tried_again_later_and_logged_with_its_traceback(caplog):
    email = send_email_later(broken_builder, name="Eva")
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED and email.attempts == 1
    assert "RuntimeError: template bug for Eva" in email.last_error
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)
    assert mail.outbox == []
