"""Unsubscribing: the link opens a page with one button (a mail scanner that opens it changes
nothing); the button's POST or a mail program's RFC 8058 one-click POST unsubscribes."""

import re

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


def test_opening_the_link_shows_one_button_and_unsubscribes_nobody(client):
    subscriber = SubscriberFactory(email="anna@example.de", confirmed=True)
    response = client.get(unsubscribe_url(subscriber))
    assert response.status_code == 200
    html = response.content.decode()
    assert "anna@example.de" in html
    assert re.search(r'<form method="post"[^>]*>', html)
    assert "Ja, melde mich ab" in html
    assert "no-cache" in response["Cache-Control"]
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_the_button_on_the_page_unsubscribes_with_the_csrf_token_of_the_page(db):
    subscriber = SubscriberFactory(confirmed=True)
    client = Client(enforce_csrf_checks=True)
    page = client.get(unsubscribe_url(subscriber)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(unsubscribe_url(subscriber), {"csrfmiddlewaretoken": token})
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
    assert "Du bist abgemeldet" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribing_twice_is_harmless_and_keeps_the_first_time(client):
    subscriber = SubscriberFactory(confirmed=True)
    client.post(unsubscribe_url(subscriber))
    first = Subscriber.objects.get().unsubscribed_at
    assert client.post(unsubscribe_url(subscriber)).status_code == 200
    assert Subscriber.objects.get().unsubscribed_at == first


def test_a_head_request_of_a_link_checker_does_not_unsubscribe(client):
    subscriber = SubscriberFactory(confirmed=True)
    assert client.head(unsubscribe_url(subscriber)).status_code == 200
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
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 200
        assert "Du bist abgemeldet" in response.content.decode()


def test_the_link_of_an_address_already_unsubscribed_offers_no_button(client):
    subscriber = SubscriberFactory(unsubscribed=True)
    html = client.get(unsubscribe_url(subscriber)).content.decode()
    assert "Du bist abgemeldet" in html
    assert 'method="post"' not in html.split('class="page')[1]


def test_unsubscribe_links_never_expire(client):
    from tests.newsletter.helpers import days_ago

    subscriber = SubscriberFactory(confirmed=True)
    with days_ago(400):
        url = unsubscribe_url(subscriber)
    client.post(url)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_re_subscribing_after_unsubscribing_works_with_a_new_double_opt_in(client, mailoutbox):
    subscriber = SubscriberFactory(email="anna@example.de", confirmed=True)
    client.post(unsubscribe_url(subscriber))
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
