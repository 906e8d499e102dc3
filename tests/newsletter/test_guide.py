"""The free guide: a signed download link serves the PDF; anything else gets a friendly page."""

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from newsletter import tokens
from newsletter.models import Guide, Subscriber
from tests.newsletter.factories import PDF_BYTES, GuideFactory, SubscriberFactory
from tests.newsletter.helpers import days_ago, link_to

pytestmark = pytest.mark.django_db


def download_url(subscriber) -> str:
    return reverse("newsletter:guide_download", args=[tokens.download_token(subscriber)])


def test_a_good_link_serves_the_pdf_with_a_good_file_name(client, media_storage, guide):
    subscriber = SubscriberFactory(confirmed=True, source="guide")
    response = client.post(download_url(subscriber))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="feelmove-faszien-dehnen-dein-start.pdf"'
    )
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "no-cache" in response["Cache-Control"]


def test_opening_the_link_shows_the_download_button_and_counts_nothing(client, guide):
    subscriber = SubscriberFactory(confirmed=True)
    for response in (client.get(download_url(subscriber)), client.head(download_url(subscriber))):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "no-cache" in response["Cache-Control"]
    html = client.get(download_url(subscriber)).content.decode()
    assert escape(guide.title) in html
    button = re.search(r'<form method="post"[^>]*class="guide-download-form', html)
    assert button, html
    guide.refresh_from_db()
    subscriber.refresh_from_db()
    assert guide.download_count == 0
    assert subscriber.guide_downloads == 0


def test_downloads_by_the_button_are_counted_for_the_guide_and_the_subscriber(client, guide):
    subscriber = SubscriberFactory(confirmed=True)
    client.get(download_url(subscriber))  # a mail scanner
    client.head(download_url(subscriber))  # a link checker
    client.post(download_url(subscriber))
    client.post(download_url(subscriber))
    guide.refresh_from_db()
    subscriber.refresh_from_db()
    assert guide.download_count == 2
    assert subscriber.guide_downloads == 2
    assert subscriber.last_guide_download_at is not None


def _assert_refused(response, status: int, text: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert text in html
    assert 'action="/gratis-guide/neuer-link/#neuer-link"' in html  # a way to get a fresh link
    assert PDF_BYTES.decode() not in html


def test_a_forged_link_is_refused_with_a_way_to_get_a_fresh_one(client, guide):
    SubscriberFactory(confirmed=True)
    response = client.get(reverse("newsletter:guide_download", args=["WzFd:1abc:forged"]))
    _assert_refused(response, 404, "nicht gültig")


def test_a_link_for_another_subscriber_key_is_refused(client, guide):
    subscriber = SubscriberFactory(confirmed=True)
    url = download_url(subscriber)
    Subscriber.objects.filter(pk=subscriber.pk).update(key="a-new-key")
    _assert_refused(client.get(url), 404, "nicht gültig")


def test_an_expired_link_is_refused_with_a_way_to_get_a_fresh_one(client, guide):
    subscriber = SubscriberFactory(confirmed=True)
    with days_ago(15):
        url = download_url(subscriber)
    _assert_refused(client.get(url), 410, "abgelaufen")
    guide.refresh_from_db()
    assert guide.download_count == 0


def test_a_link_of_an_unconfirmed_address_is_refused(client, guide):
    subscriber = SubscriberFactory()
    _assert_refused(client.get(download_url(subscriber)), 403, "zuerst deine Adresse")


def test_a_link_of_an_unsubscribed_address_is_refused(client, guide):
    subscriber = SubscriberFactory(unsubscribed=True)
    _assert_refused(client.get(download_url(subscriber)), 403, "zuerst deine Adresse")


def test_without_an_active_guide_the_link_explains_instead_of_failing(client):
    subscriber = SubscriberFactory(confirmed=True)
    GuideFactory(is_active=False)
    response = client.get(download_url(subscriber))
    assert response.status_code == 404
    assert "überarbeitet" in response.content.decode()


def test_a_missing_file_explains_instead_of_failing(client, media_storage, guide):
    guide.pdf.storage.delete(guide.pdf.name)
    response = client.post(download_url(SubscriberFactory(confirmed=True)))
    assert response.status_code == 404


def test_the_pdf_is_stored_outside_the_public_media_folder(guide):
    assert not Path(guide.pdf.path).is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        guide.pdf.url  # noqa: B018


def test_in_s3_the_pdf_lies_in_the_private_bucket_only_and_is_not_public(s3_storage, s3_server):
    guide = GuideFactory()
    assert s3_server.keys(s3_storage.private) == [guide.pdf.name]
    assert s3_server.keys(s3_storage.public) == []
    with pytest.raises(ValueError):
        guide.pdf.url  # noqa: B018
    # Nobody gets it from the bucket without credentials: no public-read ACL on the object.
    acl = s3_server.client().get_object_acl(Bucket=s3_storage.private, Key=guide.pdf.name)
    assert all(
        grant["Grantee"].get("URI", "").rsplit("/", 1)[-1] not in {"AllUsers", "AuthenticatedUsers"}
        for grant in acl["Grants"]
    )
    anonymous = urllib.request.Request(
        f"{s3_server.endpoint_url}/{s3_storage.private}/{guide.pdf.name}"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(anonymous, timeout=5)
    assert refused.value.code == 403


def test_a_fresh_link_goes_to_a_confirmed_address_only(client, guide, mailoutbox):
    SubscriberFactory(email="anna@example.de", confirmed=True)
    SubscriberFactory(email="gone@example.de", unsubscribed=True)
    for email in ["anna@example.de", "gone@example.de", "nobody@example.de"]:
        response = client.post(reverse("newsletter:guide_link_request"), {"email": email})
        assert response["Location"] == reverse("newsletter:guide_link_sent")
    assert [m.to for m in mailoutbox] == [["anna@example.de"]]
    fresh = link_to(mailoutbox[0], "download")
    assert client.get(fresh).status_code == 200


def test_a_fresh_link_request_for_a_pending_address_sends_the_confirmation_again(
    client, guide, mailoutbox
):
    SubscriberFactory(email="anna@example.de")
    client.post(reverse("newsletter:guide_link_request"), {"email": "ANNA@example.de"})
    assert "bestaetigen" in mailoutbox[0].body
    assert Subscriber.objects.get().source == Subscriber.Source.GUIDE


def test_the_fresh_link_form_shows_errors_with_what_was_typed(client, guide):
    response = client.post(reverse("newsletter:guide_link_request"), {"email": "anna(at)x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in html
    assert 'value="anna(at)x"' in html


def test_only_one_guide_is_active_and_the_landing_page_shows_it(client):
    old = GuideFactory(title="Alter Guide")
    from newsletter.services import guide_activate

    new = GuideFactory(title="Neuer Guide", is_active=False)
    guide_activate(guide=new)
    old.refresh_from_db()
    assert not old.is_active
    assert list(Guide.objects.active()) == [new]
    assert "Neuer Guide" in client.get("/gratis-guide/").content.decode()
