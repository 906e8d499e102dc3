"""Server errors reach Sentry and the ADMINS' mailbox without the visitors' personal data."""

import io
import json
from urllib.parse import urlencode

import pytest
import sentry_sdk
from django.core import signing
from django.test import Client
from sentry_sdk.transport import Transport

from feelmove.errors import (
    PrivateExceptionReporterFilter,
    ThrottledAdminEmailHandler,
    mask_personal_data,
    scrub_url,
    sentry_init,
)

pytestmark = [pytest.mark.urls("tests.feelmove.error_urls"), pytest.mark.django_db]

VISITOR = {
    "email": "anna.schmidt@example.de",
    "body": "Mein Rücken tut seit der OP weh, meine Nummer ist 0170 1234567.",
}


@pytest.fixture(autouse=True)
def fresh_error_mails():
    import logging

    for handler in logging.getLogger("django.request").handlers:
        if isinstance(handler, ThrottledAdminEmailHandler):
            handler.forget()


class KeepEvents(Transport):
    """A Sentry transport that keeps what would be sent."""

    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.events.append(item.payload.json)


@pytest.fixture
def sentry():
    transport = KeepEvents()
    sentry_init(dsn="https://public@sentry.invalid/1", environment="test", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: reporting off again for the other tests


def failing_post(path="/kaputt/?q=Rückenschmerzen"):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "geheime-sitzung"
    return client.post(
        path,
        VISITOR,
        HTTP_X_FORWARDED_FOR="198.51.100.23",
        HTTP_REFERER="https://feelmove.de/blog/mein-artikel/",
        REMOTE_ADDR="198.51.100.23",
    )


def failing_wsgi_post(path="/kaputt/", query="q=R%C3%BCckenschmerzen") -> str:
    """The same POST through Django's WSGI handler, as gunicorn hands it over; the status."""
    from django.core.wsgi import get_wsgi_application

    body = urlencode(VISITOR).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "198.51.100.23",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": "sessionid=geheime-sitzung",
        "HTTP_X_FORWARDED_FOR": "198.51.100.23",
        "HTTP_REFERER": "https://feelmove.de/blog/mein-artikel/",
        "HTTP_USER_AGENT": "Mozilla/5.0 (Test)",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses = []
    chunks = get_wsgi_application()(environ, lambda status, headers: statuses.append(status))
    b"".join(chunks)
    return statuses[0]


def test_a_server_error_reaches_sentry_without_personal_data(sentry, settings):
    settings.DEBUG = False
    status = failing_wsgi_post()
    sentry_sdk.flush()

    assert status.startswith("500")
    assert len(sentry.events) == 1
    event = sentry.events[0]
    sent = json.dumps(event, ensure_ascii=False)
    assert event["exception"]["values"][0]["type"] == "RuntimeError"
    assert "Kaputt beim Speichern" in sent
    for personal in (
        "anna.schmidt@example.de",
        "Mein Rücken",
        "0170",
        "geheime-sitzung",
        "198.51.100.23",
        "203.0.113.9",
        "Rückenschmerzen",
        "mein-artikel",
    ):
        assert personal not in sent, personal
    assert "user" not in event
    assert event["request"]["url"] == "http://testserver/kaputt/"


def test_a_signed_token_in_the_path_does_not_reach_sentry(sentry, settings):
    settings.DEBUG = False
    token = signing.dumps(42, salt="newsletter.unsubscribe")
    failing_wsgi_post(f"/newsletter/abmelden/{token}/")
    sentry_sdk.flush()

    sent = json.dumps(sentry.events[0], ensure_ascii=False)
    assert token not in sent
    assert token.split(":")[-1] not in sent


def test_urls_lose_their_query_and_signed_segments():
    assert scrub_url("https://feelmove.de/suche/?q=Anna") == "https://feelmove.de/suche/"
    assert (
        scrub_url("https://feelmove.de/newsletter/abmelden/MQ:1tY:abc/")
        == "https://feelmove.de/newsletter/abmelden/[entfernt]/"
    )
    assert scrub_url("/blog/faszien/") == "/blog/faszien/"


def test_addresses_in_a_text_are_masked():
    text = "Mail an anna@example.de von 198.51.100.7 und 2001:db8::1:7 fehlgeschlagen"
    masked = mask_personal_data(text)
    assert "anna@example.de" not in masked
    assert "198.51.100.7" not in masked
    assert "2001:db8::1:7" not in masked
    assert masked.startswith("Mail an [entfernt] von [entfernt]")


def test_admins_get_a_mail_on_a_server_error_without_what_the_visitor_sent(settings, mailoutbox):
    settings.DEBUG = False
    settings.ADMINS = [("Technik", "technik@example.de")]
    failing_post()

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["technik@example.de"]
    assert "RuntimeError" in mail.body
    assert "Kaputt beim Speichern" in mail.body
    for personal in (
        "anna.schmidt@example.de",
        "Mein Rücken",
        "geheime-sitzung",
        "198.51.100.23",
        "203.0.113.9",
        "mein-artikel",
    ):
        assert personal not in mail.body, personal
    assert "email = '********************'" in mail.body


def test_the_same_error_is_mailed_once_in_ten_minutes(settings, mailoutbox):
    settings.DEBUG = False
    settings.ADMINS = [("Technik", "technik@example.de")]
    for _ in range(3):
        failing_post()
    assert len(mailoutbox) == 1


def test_without_admins_no_mail_is_sent(settings, mailoutbox):
    settings.DEBUG = False
    settings.ADMINS = []
    failing_post()
    assert mailoutbox == []


def test_the_report_filter_is_the_projects(settings):
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER.endswith("PrivateExceptionReporterFilter")
    assert PrivateExceptionReporterFilter.cleansed_substitute
    assert ThrottledAdminEmailHandler.THROTTLE_SECONDS == 600
