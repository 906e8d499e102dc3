"""A consultation request end to end: the page, the stored request, both e-mails, thank-you."""

import pytest
from django.core import mail

from contact.models import ConsultationRequest, ContactPage, Topic
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

URL = "/kontakt/"


def test_the_contact_page_shows_the_authors_introduction_and_the_form(client):
    page = ContactPage.current()
    page.intro = "Erzähl mir, wo es zwickt.\n\nDas erste Gespräch ist kostenlos."
    page.save()

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<p>Erzähl mir, wo es zwickt.</p>" in html
    assert "<p>Das erste Gespräch ist kostenlos.</p>" in html
    for field in ("name", "email", "phone", "topic", "message", "consent"):
        assert f'name="{field}"' in html, field
    assert 'name="leer_lassen"' in html and 'name="ts" value="' in html
    assert "Beratungsgespräch anfragen" in html


def test_the_form_offers_the_four_topics_in_order_and_not_the_switched_off_ones(client):
    Topic.objects.create(name="Alter Kurs", position=1, active=False)

    html = client.get(URL).content.decode()

    positions = [html.index(f">{name}</option>") for name in
                 ("Rückenschmerzen", "Faszientraining", "Kurse", "Sonstiges")]  # fmt: skip
    assert positions == sorted(positions)
    assert "Alter Kurs" not in html


def test_the_consent_names_the_retention_from_the_setting(client, settings):
    html = client.get(URL).content.decode()
    assert "nur verwendet werden, um diese Anfrage zu beantworten" in html
    assert "6 Monate nach Abschluss der Anfrage gelöscht" in html

    settings.CONTACT_RETENTION_DAYS = 30
    settings.PAGE_CACHE = False  # a changed setting takes effect with the next cached page
    assert "30 Tage nach Abschluss der Anfrage gelöscht" in client.get(URL).content.decode()


def test_a_request_is_stored_mailed_to_the_author_confirmed_to_the_visitor_and_thanked(
    client, send, on_commit
):
    with on_commit():
        response = send()

    assert response.status_code == 302
    assert response["Location"] == "/kontakt/danke/#inhalt"
    consultation = ConsultationRequest.objects.get()
    assert consultation.name == "Petra Lang"
    assert consultation.email == "petra@example.org"
    assert consultation.phone == "+49 30 1234567"
    assert consultation.topic.name == "Rückenschmerzen"
    assert consultation.status == ConsultationRequest.Status.NEW
    assert "6 Monate nach Abschluss" in consultation.consent_text

    notice, confirmation = sorted(mail.outbox, key=lambda m: m.to != ["autorin@feelmove.de"])
    assert notice.to == ["autorin@feelmove.de"]
    assert notice.reply_to == ["petra@example.org"]
    assert notice.subject == "Beratungsanfrage von Petra Lang: Rückenschmerzen"
    assert "Seit Wochen zieht es im unteren Rücken." in notice.body
    assert "+49 30 1234567" in notice.body
    assert f"/admin/contact/consultationrequest/{consultation.pk}/change/" in notice.body

    assert confirmation.to == ["petra@example.org"]
    assert confirmation.subject == "Deine Anfrage bei feelmove ist angekommen"
    assert "„Rückenschmerzen“" in confirmation.body
    assert "6 Monate nach ihrem Abschluss" in confirmation.body
    # Nothing she typed goes back out (the form cannot be used to mail text to strangers), and
    # no advertising.
    assert "Seit Wochen" not in confirmation.body and "Petra" not in confirmation.body
    assert "Newsletter" not in confirmation.body and "Guide" not in confirmation.body
    assert "List-Unsubscribe" not in confirmation.extra_headers

    thanks = client.get(response["Location"])
    assert "Danke, deine Anfrage ist angekommen" in thanks.content.decode()


def test_topic_and_phone_may_stay_empty(send, on_commit):
    with on_commit():
        response = send(topic="", phone="")

    assert response.status_code == 302
    consultation = ConsultationRequest.objects.get()
    assert consultation.topic is None and consultation.phone == ""
    assert [m.subject for m in mail.outbox if m.to == ["autorin@feelmove.de"]] == [
        "Beratungsanfrage von Petra Lang"
    ]


def test_the_emails_are_queued_with_ids_only_and_skip_a_request_deleted_meanwhile(send):
    send()  # without commit: the e-mails wait in their rows

    emails = OutgoingEmail.objects.order_by("pk")
    assert [e.builder for e in emails] == [
        "contact.emails.request_notice",
        "contact.emails.request_confirmation",
    ]
    consultation = ConsultationRequest.objects.get()
    assert all(e.arguments == {"request_id": consultation.pk} for e in emails)

    from contact import emails as builders

    consultation.delete()
    assert builders.request_notice(request_id=consultation.pk) is None
    assert builders.request_confirmation(request_id=consultation.pk) is None


def test_a_name_with_a_line_break_stays_one_line_in_the_subject(send, on_commit):
    with on_commit():
        send(name="Petra\r\nBcc: fremd@example.org")

    notice = next(m for m in mail.outbox if m.to == ["autorin@feelmove.de"])
    assert "\n" not in notice.subject
    assert ConsultationRequest.objects.get().name == "Petra Bcc: fremd@example.org"
    assert all("fremd@example.org" not in m.recipients() for m in mail.outbox)


def test_the_thank_you_page_and_the_contact_page_are_linked_and_listed(client):
    html = client.get("/kontakt/danke/").content.decode()
    assert 'href="/kontakt/"' in html  # the footer link
    assert '<meta name="robots" content="noindex">' in html
    assert "/kontakt/</loc>" in client.get("/sitemap.xml").content.decode()
