"""The same spam defences as comments (core/antispam.py): honeypot, signed render-time token,
rate limit per IP and the duplicate check."""

import pytest
from django.core import mail

from contact import services
from contact.models import ConsultationRequest, ConsultationRequestQuerySet
from core.antispam import new_form_token
from tests.contact.factories import old_token, request_post_data

pytestmark = pytest.mark.django_db


def refused_with(response, message: str) -> str:
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert not ConsultationRequest.objects.exists()
    return html


def test_a_filled_honeypot_is_refused_and_sends_nothing(send):
    response = send(leer_lassen="http://bot.example")

    refused_with(response, "Ein verstecktes Feld, das leer bleiben muss, wurde ausgefüllt.")
    assert mail.outbox == []


@pytest.mark.parametrize("token", [None, "", "1700000000.000:gefälscht", "kaputt"])
def test_a_missing_or_forged_token_is_refused(send, token):
    refused_with(send(ts=token), "Das Formular konnte nicht geprüft werden.")


def test_a_form_sent_within_three_seconds_is_refused_keeps_the_text_and_can_be_sent_again(
    client, send
):
    token = new_form_token(scope="/kontakt/")
    html = refused_with(send(ts=token), "Das ging sehr schnell. Bitte prüf deine Anfrage")
    assert "Seit Wochen zieht es im unteren Rücken." in html
    # The page keeps the token she got: sent again a little later, it passes.
    assert f'name="ts" value="{token}"' in html


def test_a_form_open_for_more_than_two_hours_is_refused(send):
    refused_with(send(ts=old_token(seconds=2 * 3600 + 5)), "länger als zwei Stunden geöffnet")


def test_a_form_sent_after_three_seconds_passes(send):
    assert send(ts=old_token(seconds=3.2)).status_code == 302


def test_the_same_request_twice_is_stored_once(send):
    assert send().status_code == 302

    again = send(message="  seit wochen zieht es im unteren Rücken.   Können wir über einen Kurs "
                         "sprechen?")  # fmt: skip

    refused_with_one = again.content.decode()
    assert again.status_code == 400
    assert "Diese Anfrage hast du schon geschickt." in refused_with_one
    assert ConsultationRequest.objects.count() == 1


def test_the_same_text_from_another_address_is_a_new_request(send):
    send()
    assert send(email="andere@example.org").status_code == 302
    assert ConsultationRequest.objects.count() == 2


def test_more_than_five_requests_an_hour_from_one_address_are_refused(send, settings):
    settings.RATE_LIMITS = True
    for n in range(5):
        assert send(message=f"Anfrage Nummer {n}").status_code == 302

    response = send(message="Anfrage Nummer 6")

    assert response.status_code == 400
    assert "Du hast in kurzer Zeit mehrere Anfragen geschickt." in response.content.decode()
    assert "Anfrage Nummer 6" in response.content.decode()  # kept for her
    assert ConsultationRequest.objects.count() == 5


def test_comments_and_requests_count_against_separate_limits(send, settings):
    from core.antispam import submission_rate_limited

    settings.RATE_LIMITS = True
    settings.CONTACT_RATE_LIMIT = 1
    for _ in range(5):
        submission_rate_limited(scope="comments", ip="127.0.0.1", limit=5, period=60)

    assert send().status_code == 302


def test_a_race_of_two_identical_requests_stores_one(monkeypatch):
    # The second request passed the exists() check before the first was stored: the unique
    # fingerprint refuses it all the same.
    monkeypatch.setattr(ConsultationRequestQuerySet, "exists", lambda self: False)
    data = request_post_data()
    arguments = {
        "name": data["name"],
        "email": data["email"],
        "phone": "",
        "topic": None,
        "message": data["message"],
        "consent_text": "Einverstanden.",
        "ip": "192.0.2.1",
    }
    services.consultation_request_submit(**arguments)
    with pytest.raises(services.RequestRejected) as rejected:
        services.consultation_request_submit(**arguments)
    assert rejected.value.code == "duplicate"
    assert ConsultationRequest.objects.count() == 1
