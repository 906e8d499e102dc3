"""E-mail goes through the tasks framework, after commit, and never breaks the request."""

import pytest
from django.core import mail
from django.db import transaction

from feelmove.mail import send_email_later

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_email_is_sent_only_once_the_transaction_commits():
    with transaction.atomic():
        send_email_later(subject="Hallo", body="Text", to=["leserin@example.org"])
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Hallo"]


def test_nothing_is_sent_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email_later(subject="Hallo", body="Text", to=["leserin@example.org"])
        raise RuntimeError
    assert mail.outbox == []


def test_a_line_break_typed_by_a_visitor_never_becomes_a_mail_header():
    send_email_later(
        subject="Neuer Kommentar von Eva\nBcc: opfer@example.org",
        body="Text",
        to=["autorin@example.org"],
        headers={"X-Name": "Eva\r\nBcc: opfer@example.org"},
    )
    (message,) = mail.outbox
    assert message.subject == "Neuer Kommentar von Eva Bcc: opfer@example.org"
    assert message.bcc == []
    assert "\n" not in message.extra_headers["X-Name"]


def test_a_failing_mail_server_does_not_break_the_caller(settings):
    settings.EMAIL_BACKEND = "tests.feelmove.test_mail.BrokenBackend"
    send_email_later(subject="Hallo", body="Text", to=["leserin@example.org"])  # no exception


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
