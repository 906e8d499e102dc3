"""Confirming a signup: a page with one button, the POST confirms, links expire after 7 days."""

import pytest
from django.urls import reverse

from newsletter import tokens
from newsletter.models import Subscriber
from tests.newsletter.factories import SubscriberFactory
from tests.newsletter.helpers import days_ago, link_to, signup_data

pytestmark = pytest.mark.django_db


def confirm_url(subscriber) -> str:
    return reverse("newsletter:confirm", args=[tokens.confirmation_token(subscriber)])


def test_the_whole_double_opt_in_path_for_the_newsletter(client, mailoutbox):
    client.post("/newsletter/", signup_data(), REMOTE_ADDR="198.51.100.7")
    link = link_to(mailoutbox[0], "bestaetigen")

    page = client.get(link)
    assert page.status_code == 200
    assert "Ja, Anmeldung bestätigen" in page.content.decode()
    # Opening the link (as a mail scanner would) confirms nothing.
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    response = client.post(link, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert subscriber.confirmation_ip == "203.0.113.9"
    assert subscriber.signup_ip == "198.51.100.7"

    welcome = client.get(response["Location"])
    assert welcome.status_code == 200
    assert "Danke, Anna" in welcome.content.decode()
    assert "gratis-guide/download" not in welcome.content.decode()
    assert len(mailoutbox) == 1  # a newsletter signup gets no further e-mail


def test_the_whole_double_opt_in_path_for_the_guide_ends_at_the_download(client, mailoutbox, guide):
    client.post("/gratis-guide/", signup_data())
    link = link_to(mailoutbox[0], "bestaetigen")
    assert "Gratis-Guide herunterladen" in mailoutbox[0].body

    response = client.post(link, follow=True)
    html = response.content.decode()
    assert "Guide herunterladen (PDF)" in html
    download = response.context["download_url"]
    assert download.startswith("/gratis-guide/download/")

    # The download link also comes by e-mail, with the list headers.
    assert len(mailoutbox) == 2
    assert link_to(mailoutbox[1], "download") == download
    assert mailoutbox[1].subject == f"Dein Gratis-Guide: „{guide.title}“"

    assert client.get(download)["Content-Type"].startswith("text/html")  # the button, once more
    pdf = client.post(download)
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == guide.pdf.open("rb").read()


def test_the_confirmation_page_does_not_confirm_on_get_or_head(client):
    subscriber = SubscriberFactory()
    client.get(confirm_url(subscriber))
    client.head(confirm_url(subscriber))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_the_confirmation_pages_are_never_cached(client):
    response = client.get(confirm_url(SubscriberFactory()))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_confirming_twice_is_harmless_and_keeps_the_first_time(client):
    subscriber = SubscriberFactory()
    url = confirm_url(subscriber)
    client.post(url)
    first = Subscriber.objects.get().confirmed_at
    response = client.post(url)
    assert response.status_code == 302
    assert Subscriber.objects.get().confirmed_at == first
    # Opening the link again later shows the welcome page, not the button.
    assert client.get(url)["Location"].startswith("/newsletter/bestaetigt/")


def test_a_link_older_than_seven_days_has_expired_and_confirms_nothing(client):
    subscriber = SubscriberFactory()
    with days_ago(8):
        url = confirm_url(subscriber)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        assert "abgelaufen" in response.content.decode()
        assert 'href="/newsletter/"' in response.content.decode()  # a way to sign up again
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_a_link_six_days_old_still_works(client):
    subscriber = SubscriberFactory()
    with days_ago(6):
        url = confirm_url(subscriber)
    client.post(url)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


@pytest.mark.parametrize(
    "token",
    ["nonsense", "eyJhIjoxfQ:1tXYZ:forgedsignature", "WzEsImFiYyJd:1vabc:xyz"],
)
def test_a_forged_or_mangled_link_gets_a_friendly_page(client, token):
    SubscriberFactory()
    response = client.post(reverse("newsletter:confirm", args=[token]))
    assert response.status_code == 404
    assert "nicht gültig" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_link_signed_for_another_purpose_does_not_confirm(client):
    subscriber = SubscriberFactory()
    wrong = tokens.download_token(subscriber)
    response = client.post(reverse("newsletter:confirm", args=[wrong]))
    assert response.status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_an_old_confirmation_link_does_not_resubscribe_someone_who_left(client):
    subscriber = SubscriberFactory()
    url = confirm_url(subscriber)
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.save()
    response = client.post(url)
    assert response.status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_signing_up_again_after_unsubscribing_voids_the_old_links(client, mailoutbox):
    subscriber = SubscriberFactory(email="anna@example.de", unsubscribed=True)
    old_url = confirm_url(subscriber)
    client.post("/newsletter/", signup_data())
    assert client.post(old_url).status_code == 404
    client.post(link_to(mailoutbox[0], "bestaetigen"))
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_a_confirmation_link_with_a_deleted_subscriber_is_invalid(client):
    subscriber = SubscriberFactory()
    url = confirm_url(subscriber)
    subscriber.delete()
    assert client.post(url).status_code == 404


def test_the_confirmation_page_shows_no_signup_boxes(client):
    html = client.get(confirm_url(SubscriberFactory())).content.decode()
    assert 'name="consent"' not in html
