"""Asking for the link: the same answer for every address, a mail only when data is stored."""

import re

import pytest
from django.core import mail

from core.models import OutgoingEmail
from mydata.models import DataRequest
from tests.comments.factories import CommentFactory
from tests.mydata.helpers import ask_for_link, link_path
from tests.newsletter.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    """The page without what differs on every request (CSP nonce, CSRF and form tokens)."""
    return re.sub(r'(nonce|value)="[^"]*"', "", response.content.decode())


def test_the_form_page_has_one_email_field_rendered_by_crispy_forms(client):
    page = client.get("/meine-daten/").content.decode()
    assert 'name="email"' in page
    assert 'id="id_email"' in page and 'for="id_email"' in page
    assert "csrfmiddlewaretoken" in page


def test_a_known_and_an_unknown_address_get_the_same_answer_but_only_the_known_a_mail(client):
    SubscriberFactory(email="anna@example.de", confirmed=True)

    known = ask_for_link(client, "anna@example.de")
    unknown = ask_for_link(client, "nobody@example.de")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/meine-daten/gesendet/"
    assert page_text(client.get(known["Location"])) == page_text(client.get(unknown["Location"]))
    assert [m.to for m in mail.outbox] == [["anna@example.de"]]
    assert "/meine-daten/" in mail.outbox[0].body
    # Both did the same work: a request row and a queued e-mail each; the worker then found
    # nothing to send for the unknown address and dropped its row.
    assert OutgoingEmail.objects.count() == 2
    assert list(DataRequest.objects.values_list("email", flat=True)) == ["anna@example.de"]


def test_the_answer_page_says_that_a_mail_comes_only_if_data_is_stored(client):
    page = client.get("/meine-daten/gesendet/").content.decode()
    assert "Wenn wir Daten zu dieser Adresse haben" in page


def test_a_commenter_without_subscription_gets_the_link_too(client):
    CommentFactory(email="Maria@Example.org")
    ask_for_link(client, "maria@example.org")
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]


def test_no_address_is_kept_in_the_queue_of_emails_or_tasks(client):
    SubscriberFactory(email="anna@example.de", confirmed=True)
    ask_for_link(client, "anna@example.de")
    [email] = OutgoingEmail.objects.all()
    assert "anna" not in str(email.arguments)
    assert set(email.arguments) == {"request_id"}


def test_earlier_requests_alone_do_not_count_as_stored_data(client):
    DataRequest.objects.create(email="nobody@example.de")
    ask_for_link(client, "nobody@example.de")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Bitte gib deine E-Mail-Adresse an."),
        ("keine-adresse", "Bitte gib eine gültige E-Mail-Adresse ein"),
        ("anna@", "Bitte gib eine gültige E-Mail-Adresse ein"),
        ("a" * 5000 + "@example.de", "Diese E-Mail-Adresse ist zu lang"),
    ],
)
def test_bad_input_gets_a_german_message_on_the_same_page_with_the_text_kept(
    client, typed, message
):
    response = ask_for_link(client, typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'aria-invalid="true"' in page or not typed
    if typed:
        assert f'value="{typed}"' in page
    assert not DataRequest.objects.exists() and mail.outbox == []


def test_too_many_requests_for_one_address_get_a_german_message_and_keep_the_address(client):
    SubscriberFactory(email="anna@example.de", confirmed=True)
    for _ in range(3):
        ask_for_link(client, "anna@example.de")
    response = ask_for_link(client, "anna@example.de")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Zu viele Anfragen" in page
    assert 'value="anna@example.de"' in page
    assert len(mail.outbox) == 3


def test_too_many_requests_from_one_connection_are_refused_whatever_the_address(client):
    for number in range(10):
        ask_for_link(client, f"person{number}@example.de")
    response = ask_for_link(client, "anna@example.de")
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.content.decode()


def test_the_rate_limit_counter_does_not_name_the_address(client):
    from core.models import RateLimitCounter

    ask_for_link(client, "anna@example.de")
    assert not RateLimitCounter.objects.filter(key__icontains="anna").exists()


def test_the_link_in_the_mail_opens_the_data_page(client):
    SubscriberFactory(email="anna@example.de", confirmed=True)
    ask_for_link(client, "anna@example.de")
    response = client.get(link_path(mail.outbox[0]))
    assert response.status_code == 200
    assert "anna@example.de" in response.content.decode()


def test_the_request_does_the_same_work_for_a_known_and_an_unknown_address():
    """Statements and queued e-mail tasks alike: the time cannot tell the two apart."""
    from mydata import services
    from tests.newsletter.test_timing import work

    SubscriberFactory(email="anna@example.de", confirmed=True)
    known = work(lambda: services.data_request_create(email="anna@example.de", ip="192.0.2.1"))
    unknown = work(lambda: services.data_request_create(email="nobody@example.de", ip="192.0.2.2"))
    assert known == unknown
    assert known[1] == 1
