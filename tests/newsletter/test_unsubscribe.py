"""One-click unsubscribe: by opening the link and by the RFC 8058 POST of a mail program."""

import pytest
from django.test import Client
from django.urls import reverse

from newsletter import tokens
from newsletter.models import Subscriber
from tests.newsletter.factories import SubscriberFactory
from tests.newsletter.helpers import link_to, signup_data

pytestmark = pytest.mark.django_db


def unsubscribe_url(subscriber) -> str:
    return reverse("newsletter:unsubscribe", args=[tokens.unsubscribe_token(subscriber)])


def test_opening_the_link_unsubscribes_with_one_click(client):
    subscriber = SubscriberFactory(confirmed=True)
    response = client.get(unsubscribe_url(subscriber))
    assert response.status_code == 200
    assert "Du bist abgemeldet" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_a_mail_program_unsubscribes_with_the_rfc_8058_post_without_a_csrf_token(db):
    subscriber = SubscriberFactory(confirmed=True)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_url(subscriber),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribing_twice_is_harmless_and_keeps_the_first_time(client):
    subscriber = SubscriberFactory(confirmed=True)
    client.get(unsubscribe_url(subscriber))
    first = Subscriber.objects.get().unsubscribed_at
    assert client.post(unsubscribe_url(subscriber)).status_code == 200
    assert Subscriber.objects.get().unsubscribed_at == first


def test_a_head_request_of_a_link_checker_does_not_unsubscribe(client):
    subscriber = SubscriberFactory(confirmed=True)
    client.head(unsubscribe_url(subscriber))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_a_forged_unsubscribe_link_changes_nothing(client):
    subscriber = SubscriberFactory(confirmed=True)
    response = client.post(reverse("newsletter:unsubscribe", args=[f"{subscriber.pk}:forged"]))
    assert response.status_code == 404
    assert "nicht gültig" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_the_link_of_an_erased_address_answers_unsubscribed(client):
    subscriber = SubscriberFactory(confirmed=True)
    url = unsubscribe_url(subscriber)
    subscriber.delete()
    response = client.get(url)
    assert response.status_code == 200
    assert "Du bist abgemeldet" in response.content.decode()


def test_unsubscribe_links_never_expire(client):
    from tests.newsletter.helpers import days_ago

    subscriber = SubscriberFactory(confirmed=True)
    with days_ago(400):
        url = unsubscribe_url(subscriber)
    client.get(url)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_re_subscribing_after_unsubscribing_works_with_a_new_double_opt_in(client, mailoutbox):
    subscriber = SubscriberFactory(email="anna@example.de", confirmed=True)
    client.get(unsubscribe_url(subscriber))
    client.post("/newsletter/", signup_data(first_name="Anna"))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.unsubscribed_at is None and subscriber.confirmed_at is None
    client.post(link_to(mailoutbox[0], "bestaetigen"))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert Subscriber.objects.count() == 1


def test_other_methods_do_not_unsubscribe(client):
    subscriber = SubscriberFactory(confirmed=True)
    assert client.delete(unsubscribe_url(subscriber)).status_code == 405
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
