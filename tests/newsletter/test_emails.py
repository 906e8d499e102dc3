"""Every e-mail to a subscriber: one-click unsubscribe (link and RFC 8058 headers), Impressum,
no tracking; issues as plain text and HTML."""

import re

import pytest
from django.conf import settings
from django.test import TestCase

from newsletter import emails, sending
from newsletter.models import Subscriber
from tests.newsletter.factories import IssueFactory, SubscriberFactory
from tests.newsletter.helpers import path_of, signup_data

pytestmark = pytest.mark.django_db


def _all_kinds_of_subscriber_email(client, guide, mailoutbox, admin_user):
    """Confirmation, guide link, issue and test issue, sent the way the site sends them."""
    client.post("/gratis-guide/", signup_data(email="anna@example.de"))  # confirmation
    subscriber = Subscriber.objects.get(email="anna@example.de")
    client.post(path_of(re.search(r"https?://\S+bestaetigen\S+", mailoutbox[0].body).group(0)))
    SubscriberFactory(email="ben@example.de", first_name="", confirmed=True)
    issue = IssueFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        sending.issue_send(issue=issue)
    sending.issue_send_test(issue=issue, to="anna@example.de")
    return subscriber


def test_every_subscriber_email_has_the_one_click_unsubscribe_headers_and_link(
    client, guide, mailoutbox, admin_user
):
    _all_kinds_of_subscriber_email(client, guide, mailoutbox, admin_user)
    kinds = [m.subject for m in mailoutbox]
    assert len(mailoutbox) == 5, kinds  # confirm, guide link, 2 × issue, test issue
    # The confirmation of a signup not yet confirmed has none: there is nothing to leave yet.
    for message in mailoutbox[1:]:
        header = message.extra_headers["List-Unsubscribe"]
        assert re.fullmatch(r"<https?://\S+/newsletter/abmelden/\S+/>", header), header
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert header[1:-1] in message.body  # the same link in the text


def test_the_unsubscribe_header_of_an_issue_works_by_rfc_8058_post(client, mailoutbox):
    subscriber = SubscriberFactory(confirmed=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        sending.issue_send(issue=IssueFactory())
    url = mailoutbox[0].extra_headers["List-Unsubscribe"][1:-1]
    client.post(path_of(url), {"List-Unsubscribe": "One-Click"})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_every_email_ends_with_the_impressum(client, guide, mailoutbox, admin_user):
    _all_kinds_of_subscriber_email(client, guide, mailoutbox, admin_user)
    for message in mailoutbox:
        assert message.body.rstrip().endswith(settings.IMPRESSUM_TEXT)
        for html, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert settings.IMPRESSUM_TEXT.replace("&", "&amp;") in html


def test_no_email_contains_tracking_pixels_or_foreign_links(client, guide, mailoutbox, admin_user):
    _all_kinds_of_subscriber_email(client, guide, mailoutbox, admin_user)
    site = settings.SITE_URL
    for message in mailoutbox:
        texts = [message.body] + [c for c, _m in getattr(message, "alternatives", [])]
        for text in texts:
            for url in re.findall(r"https?://[^\s\"'<>)]+", text):
                assert url.startswith(site), url
            assert "<img" not in text


def test_an_issue_has_a_plain_text_and_an_html_part_with_the_first_name(mailoutbox):
    SubscriberFactory(email="anna@example.de", first_name="Anna", confirmed=True)
    SubscriberFactory(email="ben@example.de", first_name="", confirmed=True)
    issue = IssueFactory(
        subject="Drei Übungen",
        body="<h2>Los geht’s</h2>"
        '<p>Eine <a href="/blog/rueckenschmerzen/">Übung</a> &amp; mehr.</p>'
        "<ul><li>eins</li><li>zwei</li></ul>",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        sending.issue_send(issue=issue)
    by_address = {m.to[0]: m for m in mailoutbox}
    anna = by_address["anna@example.de"]
    assert anna.subject == "Drei Übungen"
    assert anna.body.startswith("Hallo Anna,")
    assert "LOS GEHT’S" in anna.body
    assert f"Übung ({settings.SITE_URL}/blog/rueckenschmerzen/) & mehr." in anna.body
    assert "- eins\n- zwei" in anna.body
    html, mimetype = anna.alternatives[0]
    assert mimetype == "text/html"
    assert "Hallo Anna," in html
    assert f'href="{settings.SITE_URL}/blog/rueckenschmerzen/"' in html
    assert by_address["ben@example.de"].body.startswith("Hallo,")


def test_an_issue_carries_a_stable_message_id_per_delivery(mailoutbox):
    SubscriberFactory(confirmed=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        sending.issue_send(issue=IssueFactory())
    message_id = mailoutbox[0].extra_headers["Message-ID"]
    assert re.fullmatch(r"<issue-\d+\.delivery-\d+@feelmove\.de>", message_id)


def test_html_to_text_keeps_structure_and_links():
    text = emails.html_to_text(
        "<p>Erster Absatz mit <strong>fett</strong>.</p><ol><li>eins</li><li>zwei</li></ol>"
        '<blockquote><p>Zitat</p></blockquote><p><a href="https://example.org/x">Quelle</a></p>'
    )
    assert text == (
        "Erster Absatz mit fett.\n\n1. eins\n2. zwei\n\nZitat\n\nQuelle (https://example.org/x)"
    )


def test_a_subject_with_a_line_break_cannot_add_headers(mailoutbox):
    SubscriberFactory(confirmed=True)
    issue = IssueFactory(subject="Hallo\r\nBcc: evil@example.org")
    with TestCase.captureOnCommitCallbacks(execute=True):
        sending.issue_send(issue=issue)
    message = mailoutbox[0].message()
    assert message["Bcc"] is None
    assert message["Subject"] == "Hallo Bcc: evil@example.org"
