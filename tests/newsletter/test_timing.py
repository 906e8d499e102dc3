"""Forms that take an address do the same work whether it is on the list or not.

Response time is the last thing that could tell: so the work of the request (its queries and the
one e-mail task it queues) is the same for every address; the e-mail's builder decides later
what to send. bench/timing.py measures the times themselves.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletter import emails, services
from newsletter.models import Subscriber
from tests.newsletter.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=3)


def statement(sql: str) -> str:
    """What a statement does to which table; writing a subscriber row is writing, new or not."""
    verb = sql.split()[0]
    table = re.search(r'(?:FROM|INTO|UPDATE) "?(\w+)"?', sql)
    name = table.group(1) if table else ""
    if name == "newsletter_subscriber" and verb in ("INSERT", "UPDATE"):
        verb = "WRITE"
    return f"{verb} {name}".strip()


def work(call) -> tuple[list[str], int]:
    """The statements a service call runs and the e-mail tasks it queues."""
    with CaptureQueriesContext(connection) as queries:
        with TestCase.captureOnCommitCallbacks() as queued:
            call()
    return [statement(q["sql"]) for q in queries.captured_queries], len(queued)


@pytest.mark.parametrize("state", ["confirmed", "pending", "unsubscribed", "just_mailed"])
def test_a_fresh_link_request_does_the_same_work_for_known_and_unknown_addresses(guide, state):
    SubscriberFactory(
        email="anna@example.de",
        confirmed=state in ("confirmed", "just_mailed"),
        unsubscribed=state == "unsubscribed",
        confirmation_sent_at=timezone.now() if state == "just_mailed" else LONG_AGO,
    )

    known = work(lambda: services.guide_link_request(email="anna@example.de", ip="192.0.2.1"))
    unknown = work(lambda: services.guide_link_request(email="nobody@example.de", ip="192.0.2.2"))

    assert known == unknown
    assert known[1] == 1  # one e-mail task, also for the unknown address


@pytest.mark.parametrize("source", ["newsletter", "guide"])
@pytest.mark.parametrize("state", ["confirmed", "pending", "just_mailed"])
def test_a_signup_does_the_same_work_for_known_and_unknown_addresses(guide, source, state):
    SubscriberFactory(
        email="anna@example.de",
        confirmed=state in ("confirmed", "just_mailed"),
        confirmation_sent_at=timezone.now() if state == "just_mailed" else LONG_AGO,
    )

    def signup(email, ip):
        return lambda: services.subscriber_signup(email=email, source=source, ip=ip)

    known = work(signup("anna@example.de", "192.0.2.1"))
    unknown = work(signup("nobody@example.de", "192.0.2.2"))

    # The same statements (a new address is inserted where a known one is updated).
    assert known == unknown
    assert known[1] == 1


def test_the_e_mail_queued_for_an_unknown_address_sends_nothing(mailoutbox):
    assert emails.fresh_link_email(subscriber_id=None, requested_at=LONG_AGO.isoformat()) is None
    assert emails.confirmation_email(subscriber_id=None) is None
    assert emails.guide_link_email(subscriber_id=None) is None


def asked(subscriber, when):
    return emails.fresh_link_email(subscriber_id=subscriber.pk, requested_at=when.isoformat())


def test_a_fresh_link_goes_out_once_per_resend_interval(guide):
    subscriber = SubscriberFactory(confirmed=True, confirmation_sent_at=LONG_AGO)
    now = timezone.now()

    assert asked(subscriber, now) is not None
    assert asked(subscriber, now + timedelta(minutes=3)) is None
    assert asked(subscriber, now + services.NOTICE_INTERVAL) is not None


def test_requests_queued_while_the_worker_was_away_send_one_e_mail(guide):
    subscriber = SubscriberFactory(confirmed=True, confirmation_sent_at=LONG_AGO)
    now = timezone.now()
    # Five requests within a minute, built later in the order they were made.
    requests = [now + timedelta(seconds=10 * n) for n in range(5)]

    assert [asked(subscriber, when) is not None for when in requests] == [
        True,
        False,
        False,
        False,
        False,
    ]


def test_a_second_attempt_at_the_same_e_mail_is_built_again(guide):
    # The mail server refused the first attempt; the retry must not be taken for a repeat.
    subscriber = SubscriberFactory(confirmed=True, confirmation_sent_at=LONG_AGO)
    now = timezone.now()

    first, retry = asked(subscriber, now), asked(subscriber, now)

    assert first is not None and retry is not None
    assert first.to == retry.to == [subscriber.email]


def test_a_request_made_before_a_later_notice_is_not_answered_again(guide):
    subscriber = SubscriberFactory(confirmed=True, confirmation_sent_at=LONG_AGO)
    now = timezone.now()
    asked(subscriber, now)

    assert asked(subscriber, now - timedelta(minutes=1)) is None


def test_a_pending_address_gets_its_confirmation_again_now_for_the_guide(guide):
    subscriber = SubscriberFactory(confirmation_sent_at=LONG_AGO)

    message = asked(subscriber, timezone.now())

    assert "bestaetigen" in message.body
    subscriber.refresh_from_db()
    assert subscriber.source == Subscriber.Source.GUIDE


def test_an_unsubscribed_address_gets_no_fresh_link(guide):
    subscriber = SubscriberFactory(unsubscribed=True, confirmation_sent_at=LONG_AGO)

    assert asked(subscriber, timezone.now()) is None
