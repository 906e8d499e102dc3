"""Model rules that the database enforces."""

import pytest
from django.db import IntegrityError, transaction

from newsletter.models import Issue, Subscriber, normalise_email
from tests.newsletter.factories import GuideFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def test_an_address_is_unique_whatever_its_letter_case():
    SubscriberFactory(email="anna@example.de")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="ANNA@example.de")


def test_looking_up_an_address_ignores_letter_case():
    subscriber = SubscriberFactory(email="Anna.Berg@example.de")
    assert Subscriber.objects.with_email("anna.berg@EXAMPLE.de").get() == subscriber


def test_a_row_created_with_only_email_and_status_works():
    subscriber = Subscriber.objects.create(email="script@example.de", status="confirmed")
    assert subscriber.source == "newsletter" and subscriber.key


def test_normalise_email_trims_and_lowercases_only_the_domain():
    assert normalise_email("  Anna.Berg@Example.DE ") == "Anna.Berg@example.de"


def test_only_one_guide_can_be_active():
    GuideFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        GuideFactory()


def test_the_download_file_name_is_made_from_the_title():
    guide = GuideFactory.build(title="Faszien & Dehnen: Übungen für Rücken")
    assert guide.download_filename == "feelmove-faszien-dehnen-ubungen-fur-rucken.pdf"


def test_issue_html_is_sanitised_on_save():
    issue = Issue.objects.create(
        subject="Test",
        body='<p onclick="x()">Hallo<script>alert(1)</script></p><img src="https://tracker.example/p.gif">',
    )
    assert "script" not in issue.body and "onclick" not in issue.body
    assert "tracker.example" not in issue.body


@pytest.mark.parametrize(
    "subject", ["Neu:\nDein Rücken", "Neu:\r\nDein Rücken", " Neu: \n\n Dein  Rücken "]
)
def test_an_issue_subject_with_line_breaks_is_stored_as_one_line(subject):
    issue = Issue.objects.create(subject=subject, body="<p>Hallo</p>")

    issue.refresh_from_db()
    assert issue.subject == "Neu: Dein Rücken"


def test_the_database_refuses_an_issue_subject_with_a_line_break():
    issue = Issue.objects.create(subject="Eins", body="<p>Hallo</p>")

    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(subject="Eins\nBcc: alle@example.org")
