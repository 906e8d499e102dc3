"""Rotating SECRET_KEY: links in e-mails sent under the old key keep working."""

import pytest

from newsletter.models import Subscriber
from tests.newsletter.helpers import link_to, signup_data

pytestmark = pytest.mark.django_db

OLD_KEY = "old-key-3f9a1c7e5b2d8f4a6c0e9b1d7f3a5c8e2b4d6f0a1c3e5b7d9f2a4c6e8b0d"
NEW_KEY = "new-key-8e2c4a6f0b1d3e5a7c9f2b4d6e8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d"


@pytest.fixture
def old_key(settings):
    settings.SECRET_KEY = OLD_KEY
    settings.SECRET_KEY_FALLBACKS = []
    return settings


def rotate(settings, *, keep_old: bool) -> None:
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY] if keep_old else []


def guide_mails_under_the_old_key(client, mailoutbox):
    """A guide signup, confirmed: the confirmation mail, then the mail with the download link."""
    client.post("/gratis-guide/", signup_data())
    client.post(link_to(mailoutbox[0], "bestaetigen"))
    return mailoutbox[0], mailoutbox[-1]


def test_a_confirmation_link_sent_under_the_old_key_confirms_after_the_rotation(
    client, mailoutbox, old_key
):
    client.post("/newsletter/", signup_data())
    link = link_to(mailoutbox[0], "bestaetigen")

    rotate(old_key, keep_old=True)

    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_download_and_unsubscribe_links_sent_under_the_old_key_work_after_the_rotation(
    client, mailoutbox, old_key, guide
):
    _confirmation, download_mail = guide_mails_under_the_old_key(client, mailoutbox)
    download = link_to(download_mail, "gratis-guide/download")
    unsubscribe = link_to(download_mail, "abmelden")

    rotate(old_key, keep_old=True)

    response = client.post(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client.post(unsubscribe).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_without_the_old_key_among_the_fallbacks_its_links_are_refused(
    client, mailoutbox, old_key, guide
):
    _confirmation, download_mail = guide_mails_under_the_old_key(client, mailoutbox)

    rotate(old_key, keep_old=False)

    response = client.post(link_to(download_mail, "gratis-guide/download"))
    assert response["Content-Type"] != "application/pdf"
    client.post(link_to(download_mail, "abmelden"))
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_links_sent_after_the_rotation_use_the_new_key(client, mailoutbox, old_key, guide):
    rotate(old_key, keep_old=True)
    _confirmation, download_mail = guide_mails_under_the_old_key(client, mailoutbox)

    old_key.SECRET_KEY_FALLBACKS = []  # the old key dropped later on: new links still work

    assert client.get(link_to(download_mail, "gratis-guide/download")).status_code == 200
