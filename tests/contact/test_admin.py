"""The author's side: the requests with status and note, topics, the page texts, the start page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contact.models import ContactPage, Topic
from tests.contact.factories import ConsultationRequestFactory, TopicFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/contact/consultationrequest/"


def change_url(consultation) -> str:
    return f"{CHANGELIST}{consultation.pk}/change/"


def test_the_list_shows_name_topic_status_and_date_and_filters_by_status_and_topic(
    autorin_client,
):
    back = TopicFactory(name="Rückenschmerzen")
    courses = TopicFactory(name="Kurse")
    ConsultationRequestFactory(name="Neue Anfrage", topic=back)
    ConsultationRequestFactory(name="Kursfrage", topic=courses, status="answered")
    ConsultationRequestFactory(name="Erledigt", topic=back, status="closed")

    html = autorin_client.get(CHANGELIST).content.decode()
    assert all(name in html for name in ("Neue Anfrage", "Kursfrage", "Erledigt"))
    assert "Neu" in html and "Beantwortet" in html and "Abgeschlossen" in html
    assert "<time datetime=" in html

    new = autorin_client.get(CHANGELIST, {"status__exact": "new"}).content.decode()
    assert "Neue Anfrage" in new and "Kursfrage" not in new and "Erledigt" not in new
    on_courses = autorin_client.get(CHANGELIST, {"topic__id__exact": courses.pk})
    html = on_courses.content.decode()
    assert "Kursfrage" in html and "Neue Anfrage" not in html
    assert "Nach Status" in html or "Status" in html  # the filter sidebar


@pytest.mark.parametrize("term", ["Petra", "petra@example.org", "Ischias", "0301234"])
def test_the_list_searches_name_address_phone_and_message(autorin_client, term):
    ConsultationRequestFactory(
        name="Petra", email="petra@example.org", phone="0301234", message="Mein Ischias"
    )
    ConsultationRequestFactory(name="Tom", email="tom@example.org", message="Etwas anderes")

    html = autorin_client.get(CHANGELIST, {"q": term}).content.decode()

    assert "Petra" in html and "Tom" not in html


def test_she_sets_status_and_note_and_the_visitors_data_stays_as_sent(autorin_client):
    consultation = ConsultationRequestFactory(name="Petra", message="Bitte um Rückruf")
    page = autorin_client.get(change_url(consultation))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bitte um Rückruf" in html
    assert 'name="message"' not in html and 'name="name"' not in html  # read-only
    assert 'name="status"' in html and 'name="note"' in html

    response = autorin_client.post(
        change_url(consultation),
        {"status": "closed", "note": "Termin am Dienstag", "name": "Geändert", "message": "x"},
    )

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "closed" and consultation.note == "Termin am Dienstag"
    assert consultation.closed_at is not None and consultation.answered_at is not None
    assert consultation.name == "Petra" and consultation.message == "Bitte um Rückruf"


def test_reopening_a_closed_request_stops_its_deletion_clock(autorin_client):
    consultation = ConsultationRequestFactory(status="closed", closed_at=timezone.now())

    autorin_client.post(change_url(consultation), {"status": "answered", "note": ""})

    consultation.refresh_from_db()
    assert consultation.status == "answered" and consultation.closed_at is None


def test_the_bulk_actions_answer_and_close(autorin_client):
    first, second = ConsultationRequestFactory.create_batch(2)

    autorin_client.post(
        CHANGELIST,
        {"action": "mark_answered", "_selected_action": [first.pk, second.pk]},
    )
    response = autorin_client.post(
        CHANGELIST, {"action": "mark_closed", "_selected_action": [first.pk]}, follow=True
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "closed" and first.closed_at and first.answered_at
    assert second.status == "answered" and second.closed_at is None
    assert "1 Anfrage als „Abgeschlossen“ markiert." in response.content.decode()


def test_requests_cannot_be_added_in_the_admin(autorin_client):
    assert autorin_client.get(f"{CHANGELIST}add/").status_code == 403


def test_topics_are_edited_in_the_admin_and_the_form_follows(autorin_client, client):
    response = autorin_client.post(
        "/admin/contact/topic/add/", {"name": "Rückbildung", "position": "5", "active": "on"}
    )
    assert response.status_code == 302
    kurse = Topic.objects.get(name="Kurse")
    autorin_client.post(
        f"/admin/contact/topic/{kurse.pk}/change/", {"name": "Kurse", "position": "30"}
    )

    html = client.get("/kontakt/").content.decode()
    assert ">Rückbildung</option>" in html
    assert ">Kurse</option>" not in html  # switched off


def test_the_contact_page_texts_are_one_row_edited_in_the_admin(autorin_client, client):
    page = ContactPage.objects.get()
    listed = autorin_client.get("/admin/contact/contactpage/")
    assert listed.status_code == 302
    assert listed["Location"] == f"/admin/contact/contactpage/{page.pk}/change/"
    assert autorin_client.get("/admin/contact/contactpage/add/").status_code == 403

    client.get("/")  # the home page goes into the page cache with the old box
    response = autorin_client.post(
        f"/admin/contact/contactpage/{page.pk}/change/",
        {
            "intro": "Neue Einleitung für die Kontaktseite.",
            "sidebar_enabled": "on",
            "sidebar_title": "Lass uns reden",
            "sidebar_text": "Ein Gespräch hilft oft mehr als zehn Artikel.",
            "sidebar_link_text": "Jetzt anfragen",
        },
    )

    assert response.status_code == 302
    assert "Neue Einleitung für die Kontaktseite." in client.get("/kontakt/").content.decode()
    html = client.get("/").content.decode()  # no stale page from the cache
    assert "Lass uns reden" in html and "Jetzt anfragen" in html


def test_the_start_page_shows_the_new_requests_with_a_link_to_the_filtered_list(autorin_client):
    topic = TopicFactory(name="Faszientraining")
    now = timezone.now()
    for n in range(7):
        ConsultationRequestFactory(
            name=f"Besucherin {n}", topic=topic, created_at=now - timedelta(hours=n)
        )
    ConsultationRequestFactory(name="Schon beantwortet", status="answered")

    html = autorin_client.get("/admin/").content.decode()

    panel = html[html.index('id="dashboard-consultation-requests"') :]
    panel = panel[: panel.index("</section>")]
    assert "7</strong> neue Anfragen warten auf deine Antwort" in panel
    assert "Besucherin 0" in panel and "Besucherin 4" in panel and "Besucherin 5" not in panel
    assert "Faszientraining" in panel and "Schon beantwortet" not in panel
    assert "und 2 weitere" in panel
    assert f"{CHANGELIST}?status__exact=new" in panel


def test_the_start_page_says_when_no_request_waits(autorin_client):
    html = autorin_client.get("/admin/").content.decode()
    assert "Keine neue Beratungsanfrage." in html


def test_her_sections_list_the_requests_after_the_comments(autorin_client):
    response = autorin_client.get("/admin/")
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels.index("contact") == labels.index("comments") + 1
    assert "Beratungsanfragen" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"topic__id__exact": "9" * 30},
        {"topic__id__exact": "²"},
        {"topic__id__exact": "abc"},
        {"status__exact": "\x00"},
        {"created_at__year": "9" * 30},
        {"created_at__year": "2025", "created_at__month": "13"},
        {"q": "\x00" + "ü" * 3000},
        {"p": "²"},
        {"o": "9" * 5000},
    ],
)
def test_odd_values_in_the_list_filters_never_cause_a_server_error(autorin_client, query):
    ConsultationRequestFactory(topic=TopicFactory())
    assert autorin_client.get(CHANGELIST, query).status_code in {200, 302}


@pytest.mark.parametrize("pk", ["9" * 30, "abc", "²"])
def test_an_odd_id_in_the_change_url_is_not_a_server_error(autorin_client, pk):
    assert autorin_client.get(f"{CHANGELIST}{pk}/change/").status_code in {302, 404}
