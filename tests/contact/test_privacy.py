"""Personal data: the requests of an address are in the one export and go with the one erase."""

import json

import pytest

from contact.models import ConsultationRequest
from core import privacy
from tests.contact.factories import ConsultationRequestFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_the_export_holds_every_request_of_the_address_in_any_case():
    ConsultationRequestFactory(
        email="Petra@Example.org",
        name="Petra",
        phone="030 1234",
        topic=TopicFactory(name="Kurse"),
        message="Gibt es einen Abendkurs?",
        note="Rückruf vereinbart",
    )
    ConsultationRequestFactory(email="andere@example.org", message="Nicht ihre")

    data = privacy.personal_data_export("petra@example.org")

    json.dumps(data)  # JSON-ready as it is
    [exported] = data["consultation_requests"]
    assert exported["email"] == "Petra@Example.org"
    assert exported["name"] == "Petra" and exported["phone"] == "030 1234"
    assert exported["topic"] == "Kurse" and exported["message"] == "Gibt es einen Abendkurs?"
    assert exported["note"] == "Rückruf vereinbart" and exported["status"] == "new"
    assert exported["consent_text"] and exported["created_at"]
    assert privacy.personal_data_found(data)["consultation_requests"] == 1


def test_erasing_an_address_deletes_its_requests_and_no_others():
    ConsultationRequestFactory.create_batch(2, email="petra@example.org")
    other = ConsultationRequestFactory(email="andere@example.org")

    result = privacy.personal_data_erase("PETRA@example.org ")

    assert result["consultation_requests_deleted"] == 2
    assert list(ConsultationRequest.objects.all()) == [other]
    assert privacy.personal_data_export("petra@example.org")["consultation_requests"] == []


def test_an_empty_address_exports_and_erases_nothing():
    ConsultationRequestFactory(email="petra@example.org")
    assert privacy.personal_data_export("")["consultation_requests"] == []
    assert privacy.personal_data_erase("  ")["consultation_requests_deleted"] == 0
    assert ConsultationRequest.objects.count() == 1
