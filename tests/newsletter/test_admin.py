"""The author's admin: subscribers, proof of consent, CSV export, the guide, sending issues."""

import csv
import io
import json
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsletter.models import Delivery, Guide, Issue, Subscriber
from tests.newsletter.factories import (
    PDF_BYTES,
    GuideFactory,
    IssueFactory,
    SubscriberFactory,
)

pytestmark = pytest.mark.django_db

SUBSCRIBERS = "/admin/newsletter/subscriber/"
ISSUES = "/admin/newsletter/issue/"


def action(admin_client, url, name, objects, **extra):
    data = {"action": name, "_selected_action": [o.pk for o in objects], **extra}
    return admin_client.post(url, data)


def test_subscriber_list_shows_status_source_and_dates_with_filters_and_search(admin_client):
    SubscriberFactory(email="anna@example.de", confirmed=True, source="guide")
    SubscriberFactory(email="ben@example.de")
    response = admin_client.get(SUBSCRIBERS, {"status__exact": "confirmed", "q": "anna"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "anna@example.de" in html and "ben@example.de" not in html
    assert "Bestätigt" in html and "Gratis-Guide" in html
    assert "source__exact=guide" in admin_client.get(SUBSCRIBERS).content.decode()


def test_subscribers_cannot_be_added_by_hand(admin_client):
    assert admin_client.get(SUBSCRIBERS + "add/").status_code == 403


def test_csv_export_opens_in_german_excel_with_umlauts_intact(admin_client):
    selected = [
        SubscriberFactory(email="joerg@example.de", first_name="Jörg", confirmed=True),
        SubscriberFactory(email="=cmd@example.de", first_name="=HYPERLINK(1)"),
    ]
    SubscriberFactory(email="not-selected@example.de")
    response = action(admin_client, SUBSCRIBERS, "export_csv", selected)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="abonnenten-')
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["E-Mail-Adresse", "Vorname", "Status", "Quelle"]
    assert len(rows) == 3
    by_email = {row[0]: row for row in rows[1:]}
    assert by_email["joerg@example.de"][1] == "Jörg"
    assert by_email["joerg@example.de"][2] == "Bestätigt"
    assert by_email["'=cmd@example.de"][1] == "'=HYPERLINK(1)"  # no formula in Excel
    assert "not-selected@example.de" not in raw.decode("utf-8-sig")


def test_the_printable_proof_of_consent_shows_everything_the_law_asks_for(admin_client):
    subscriber = SubscriberFactory(
        confirmed=True,
        consent_text="Ja, schick mir den Newsletter. Abmelden mit einem Klick.",
        signup_ip="198.51.100.7",
        signup_user_agent="Mozilla/5.0 (Proof)",
        confirmation_ip="203.0.113.9",
    )
    change = admin_client.get(f"{SUBSCRIBERS}{subscriber.pk}/change/").content.decode()
    proof_url = reverse("admin:newsletter_subscriber_proof", args=[subscriber.pk])
    assert proof_url in change
    html = admin_client.get(proof_url).content.decode()
    for expected in [
        subscriber.email,
        "Ja, schick mir den Newsletter. Abmelden mit einem Klick.",
        subscriber.consent_version,
        "198.51.100.7",
        "Mozilla/5.0 (Proof)",
        "203.0.113.9",
        "Drucken",
    ]:
        assert expected in html


def test_guide_admin_refuses_a_file_that_is_not_a_pdf(admin_client):
    response = admin_client.post(
        "/admin/newsletter/guide/add/",
        {
            "title": "Neuer Guide",
            "description": "Text",
            "pdf": SimpleUploadedFile("guide.pdf", b"<html>nope</html>", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "kein gültiges PDF" in response.content.decode()
    assert not Guide.objects.exists()


def test_activating_a_guide_in_the_admin_deactivates_the_old_one(admin_client, media_storage):
    old = GuideFactory(title="Alt")
    response = admin_client.post(
        "/admin/newsletter/guide/add/",
        {
            "title": "Neu",
            "description": "Text",
            "is_active": "on",
            "pdf": SimpleUploadedFile("neu.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    old.refresh_from_db()
    assert not old.is_active
    assert Guide.objects.get(title="Neu").is_active


def test_the_author_can_check_the_stored_pdf(admin_client, media_storage, guide):
    response = admin_client.get(reverse("admin:newsletter_guide_pdf", args=[guide.pk]))
    assert b"".join(response.streaming_content) == PDF_BYTES
    change = admin_client.get(f"/admin/newsletter/guide/{guide.pk}/change/")
    assert change.status_code == 200


def test_an_issue_subject_pasted_with_line_breaks_is_saved_as_one_line(admin_client):
    response = admin_client.post(
        "/admin/newsletter/issue/add/",
        {"subject": "Neu im Blog:\r\nDein Rücken\n", "body": "<p>Hallo</p>"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Issue.objects.get().subject == "Neu im Blog: Dein Rücken"


def test_send_test_goes_to_the_logged_in_author_only(admin_client, admin_user):
    SubscriberFactory(confirmed=True)
    issue = IssueFactory(subject="Frühlingsgrüße")
    response = action(admin_client, ISSUES, "send_test", [issue])
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [admin_user.email]
    assert mail.outbox[0].subject == "[Test] Frühlingsgrüße"
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert not Delivery.objects.exists()


def test_send_test_without_an_address_on_the_account_explains(admin_client, admin_user):
    admin_user.email = ""
    admin_user.save()
    response = action(admin_client, ISSUES, "send_test", [IssueFactory()])
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("keine E-Mail-Adresse" in m for m in messages)
    assert mail.outbox == []


def test_the_change_page_has_a_send_test_button(admin_client, admin_user):
    issue = IssueFactory()
    page = admin_client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    assert 'name="_send_test"' in page
    admin_client.post(
        f"{ISSUES}{issue.pk}/change/",
        {"subject": issue.subject, "body": issue.body, "_send_test": "1"},
    )
    assert [m.to for m in mail.outbox] == [[admin_user.email]]


def test_the_send_action_opens_the_confirmation_page_and_sends_nothing(admin_client):
    SubscriberFactory.create_batch(3, confirmed=True)
    issue = IssueFactory()

    response = action(admin_client, ISSUES, "send", [issue])

    assert response.status_code == 302
    assert response["Location"] == f"{ISSUES}{issue.pk}/senden/"
    assert mail.outbox == [] and not Delivery.objects.exists()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_the_send_action_wants_exactly_one_issue(admin_client):
    response = action(admin_client, ISSUES, "send", IssueFactory.create_batch(2))

    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("genau eine Ausgabe" in m for m in messages)
    assert not Delivery.objects.exists()


def test_the_confirmation_page_shows_the_issue_its_recipients_and_one_button(admin_client):
    SubscriberFactory.create_batch(3, confirmed=True)
    SubscriberFactory()  # not confirmed: not counted
    issue = IssueFactory(subject="Faszienrolle: weniger Druck")

    response = admin_client.get(f"{ISSUES}{issue.pk}/senden/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Faszienrolle: weniger Druck" in html
    assert "3 bestätigte Abonnent:innen" in html
    assert html.count('name="_send"') == 1 and "Jetzt an 3 Abonnent:innen senden" in html
    assert f'src="{ISSUES}{issue.pk}/vorschau/"' in html and "„Lena“" in html
    assert "frame-src 'self'" in response["Content-Security-Policy"]
    assert mail.outbox == [] and not Delivery.objects.exists()


def test_the_preview_is_the_e_mail_a_subscriber_gets_with_a_sample_first_name(admin_client):
    issue = IssueFactory(subject="Faszienrolle", body="<p>Rolle langsam.</p>")

    response = admin_client.get(f"{ISSUES}{issue.pk}/vorschau/")

    html = response.content.decode()
    assert "Hallo Lena," in html and "<p>Rolle langsam.</p>" in html
    assert "Vom Newsletter abmelden" in html
    assert "Test-E-Mail" not in html  # what subscribers get, not the test e-mail
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "script-src 'none'" in policy
    assert "style-src 'unsafe-inline'" in policy  # the e-mail's own styles, as mail programs do


def test_the_button_on_the_confirmation_page_sends_to_every_confirmed_subscriber(admin_client):
    SubscriberFactory.create_batch(3, confirmed=True)
    SubscriberFactory()
    issue = IssueFactory()

    response = admin_client.post(f"{ISSUES}{issue.pk}/senden/", {"_send": ""})

    assert response.status_code == 302
    assert response["Location"] == f"{ISSUES}{issue.pk}/change/"
    assert len(mail.outbox) == 3
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("an 3 Abonnent:innen gesendet" in m for m in messages)
    assert "3 / 3" in admin_client.get(ISSUES).content.decode()


def test_the_confirmation_page_can_send_a_test_first(admin_client, admin_user):
    SubscriberFactory(confirmed=True)
    issue = IssueFactory()

    response = admin_client.post(f"{ISSUES}{issue.pk}/senden/", {"_send_test": ""})

    assert response["Location"] == f"{ISSUES}{issue.pk}/senden/"
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    assert not Delivery.objects.exists()


def test_without_confirmed_subscribers_there_is_no_button_and_a_post_sends_nothing(admin_client):
    SubscriberFactory()  # pending only
    issue = IssueFactory()

    page = admin_client.get(f"{ISSUES}{issue.pk}/senden/").content.decode()
    response = admin_client.post(f"{ISSUES}{issue.pk}/senden/", {"_send": ""})

    assert 'name="_send"' not in page and "niemanden, an den die Ausgabe gehen" in page
    assert response["Location"] == f"{ISSUES}{issue.pk}/senden/"
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and not Delivery.objects.exists()


def test_a_sent_issue_offers_no_send_button_any_more(admin_client):
    SubscriberFactory(confirmed=True)
    issue = IssueFactory()
    admin_client.post(f"{ISSUES}{issue.pk}/senden/", {"_send": ""})

    html = admin_client.get(f"{ISSUES}{issue.pk}/senden/").content.decode()

    assert 'name="_send"' not in html and "niemand bekommt sie doppelt" in html


@pytest.mark.parametrize("page", ["add/", "{pk}/change/"])
def test_save_and_send_to_everybody_leads_to_the_confirmation_page(admin_client, page):
    SubscriberFactory(confirmed=True)
    issue = IssueFactory()
    url = f"{ISSUES}{page.format(pk=issue.pk)}"

    response = admin_client.post(
        url, {"subject": "Neue Ausgabe", "body": "<p>Text</p>", "_send_confirm": "1"}
    )

    saved = Issue.objects.get(subject="Neue Ausgabe")
    assert response["Location"] == f"{ISSUES}{saved.pk}/senden/"
    assert mail.outbox == [] and saved.status == Issue.Status.DRAFT


def test_the_issue_form_says_the_greeting_is_added_automatically(admin_client):
    html = admin_client.get(f"{ISSUES}add/").content.decode()

    assert "Die Anrede „Hallo &lt;Vorname&gt;,“" in html
    assert 'name="_send_confirm"' in html and 'name="_send_test"' in html


def test_a_sending_issue_shows_its_progress_and_failed_deliveries(admin_client):
    issue = IssueFactory(status=Issue.Status.SENDING)
    ok, bad, waiting = SubscriberFactory.create_batch(3, confirmed=True)
    Delivery.objects.create(issue=issue, subscriber=ok, status=Delivery.Status.SENT)
    Delivery.objects.create(
        issue=issue,
        subscriber=bad,
        status=Delivery.Status.FAILED,
        attempts=3,
        last_error="SMTPRecipientsRefused: 550 no such user",
    )
    Delivery.objects.create(issue=issue, subscriber=waiting)

    html = admin_client.get(f"{ISSUES}{issue.pk}/change/").content.decode()

    assert re.search(r'data-count="sent">1</a> / <span data-count="total">3<', html)
    assert 'data-count="open">1<' in html and 'data-count="failed">1<' in html
    assert bad.email in html and "550 no such user" in html
    # The numbers update themselves (a small script polls the admin), without a script too.
    assert f'data-url="{ISSUES}{issue.pk}/fortschritt/"' in html
    assert "newsletter/admin/issue-progress.js" in html
    assert '<noscript><meta http-equiv="refresh"' in html
    # What went out can no longer be edited: no field, nothing to save.
    assert 'name="subject"' not in html and 'name="_send_confirm"' not in html
    assert 'name="_save"' not in html and 'name="_continue"' not in html


def test_the_progress_of_an_issue_as_json(admin_client):
    issue = IssueFactory(status=Issue.Status.SENDING)
    for status in ("sent", "sent", "failed", "queued", "sending", "skipped"):
        Delivery.objects.create(
            issue=issue, subscriber=SubscriberFactory(confirmed=True), status=status
        )

    response = admin_client.get(f"{ISSUES}{issue.pk}/fortschritt/")

    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "sending",
        "status_label": "Wird gesendet",
        "finished": False,
        "total": 6,
        "sent": 2,
        "open": 2,
        "failed": 1,
        "skipped": 1,
        "unclear": 0,
        "sent_at": "",
    }


def test_sending_needs_the_right_to_change_issues(client):
    from django.contrib.auth.models import Permission

    from tests.comments.factories import UserFactory

    viewer = UserFactory(username="nur-lesen", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_issue"))
    client.force_login(viewer)
    SubscriberFactory(confirmed=True)
    issue = IssueFactory()

    assert client.get(f"{ISSUES}{issue.pk}/senden/").status_code == 403
    assert client.post(f"{ISSUES}{issue.pk}/senden/", {"_send": ""}).status_code == 403
    assert client.get(f"{ISSUES}{issue.pk}/fortschritt/").status_code == 200
    assert mail.outbox == []


def test_the_issue_list_needs_the_same_queries_for_few_and_many_issues(
    admin_client, django_assert_num_queries
):
    # Guards against counting each issue's deliveries in a query of its own (N+1).
    subscriber = SubscriberFactory(confirmed=True)
    for issue in IssueFactory.create_batch(2, status=Issue.Status.SENT):
        Delivery.objects.create(issue=issue, subscriber=subscriber, status=Delivery.Status.SENT)
    admin_client.get(ISSUES)  # warm up: session, permissions
    with CaptureQueriesContext(connection) as few:
        admin_client.get(ISSUES)
    for issue in IssueFactory.create_batch(6, status=Issue.Status.SENT):
        Delivery.objects.create(issue=issue, subscriber=subscriber, status=Delivery.Status.SENT)
    with django_assert_num_queries(len(few)):
        admin_client.get(ISSUES)


def test_sending_an_issue_twice_from_the_admin_warns_and_sends_nothing(admin_client):
    SubscriberFactory(confirmed=True)
    issue = IssueFactory()
    admin_client.post(f"{ISSUES}{issue.pk}/senden/", {"_send": ""})
    mail.outbox.clear()
    response = admin_client.post(f"{ISSUES}{issue.pk}/senden/", {"_send": ""})
    assert response.status_code == 302
    assert mail.outbox == [] and Delivery.objects.count() == 1


def test_retry_failed_action_sends_the_failed_deliveries_again(admin_client):
    issue = IssueFactory(status=Issue.Status.SENT)
    subscriber = SubscriberFactory(confirmed=True)
    Delivery.objects.create(
        issue=issue, subscriber=subscriber, status=Delivery.Status.FAILED, attempts=3
    )
    action(admin_client, ISSUES, "retry_failed", [issue])
    assert [m.to for m in mail.outbox] == [[subscriber.email]]


def test_uncertain_deliveries_are_shown_and_sent_again_only_when_the_author_asks(admin_client):
    issue = IssueFactory(status=Issue.Status.SENT)
    got_it, unsure = SubscriberFactory.create_batch(2, confirmed=True)
    Delivery.objects.create(issue=issue, subscriber=got_it, status=Delivery.Status.SENT)
    Delivery.objects.create(issue=issue, subscriber=unsure, status=Delivery.Status.UNCLEAR)

    listing = admin_client.get(ISSUES).content.decode()
    assert '<td class="field-unclear">1</td>' in listing
    page = admin_client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    assert unsure.email in page and got_it.email not in page
    assert 'name="_resend_unclear"' in page
    assert mail.outbox == []

    response = admin_client.post(f"{ISSUES}{issue.pk}/change/", {"_resend_unclear": "1"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[unsure.email]]
    assert Delivery.objects.get(subscriber=unsure).status == Delivery.Status.SENT
    page = admin_client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    assert 'name="_resend_unclear"' not in page


def test_the_resend_uncertain_action_sends_them_again(admin_client):
    issue = IssueFactory(status=Issue.Status.SENT)
    subscriber = SubscriberFactory(confirmed=True)
    Delivery.objects.create(issue=issue, subscriber=subscriber, status=Delivery.Status.UNCLEAR)
    action(admin_client, ISSUES, "resend_unclear", [issue])
    assert [m.to for m in mail.outbox] == [[subscriber.email]]


def test_personal_data_export_action_downloads_json(admin_client):
    subscriber = SubscriberFactory(email="anna@example.de", confirmed=True)
    response = action(admin_client, SUBSCRIBERS, "export_personal_data", [subscriber])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["email"] == "anna@example.de"
    assert data["newsletter_subscriptions"][0]["signup_ip"] == "192.0.2.10"


def test_personal_data_erase_action_asks_first_then_erases(admin_client):
    subscriber = SubscriberFactory(email="anna@example.de", confirmed=True)
    page = action(admin_client, SUBSCRIBERS, "erase_personal_data", [subscriber])
    assert page.status_code == 200
    assert "anna@example.de" in page.content.decode()
    assert Subscriber.objects.exists()
    response = action(admin_client, SUBSCRIBERS, "erase_personal_data", [subscriber], confirm="yes")
    assert response.status_code == 302
    assert not Subscriber.objects.exists()


def test_unsubscribe_action(admin_client):
    subscriber = SubscriberFactory(confirmed=True)
    action(admin_client, SUBSCRIBERS, "unsubscribe", [subscriber])
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_delivery_admin_is_read_only(admin_client):
    delivery = Delivery.objects.create(
        issue=IssueFactory(), subscriber=SubscriberFactory(confirmed=True)
    )
    assert admin_client.get("/admin/newsletter/delivery/").status_code == 200
    assert admin_client.get("/admin/newsletter/delivery/add/").status_code == 403
    change = admin_client.get(f"/admin/newsletter/delivery/{delivery.pk}/change/")
    assert 'name="status"' not in change.content.decode()


def test_the_deliveries_of_an_issue_lead_back_to_it(admin_client):
    issue = IssueFactory(subject="Drei Minuten", status=Issue.Status.SENT)
    Delivery.objects.create(
        issue=issue,
        subscriber=SubscriberFactory(confirmed=True),
        status=Delivery.Status.FAILED,
        last_error="SMTPRecipientsRefused: " + "550 mailbox unavailable " * 5,
    )

    response = admin_client.get("/admin/newsletter/delivery/", {"issue__id__exact": issue.pk})

    html = response.content.decode()
    assert "Zustellungen von „Drei Minuten“" in html
    assert f'<a href="{ISSUES}{issue.pk}/change/">Drei Minuten</a>' in html
    assert "column-issue" not in html  # the issue is named once, in the title
    assert 'title="SMTPRecipientsRefused: 550 mailbox' in html
    assert (
        "Deliveries" not in html
        and "Zustellungen" not in admin_client.get("/admin/").content.decode()
    )
