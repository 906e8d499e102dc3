"""Bad input on the contact page: a German message on the same page, what was typed kept, no 500."""

import pytest
from django.utils.html import escape

from contact.models import ConsultationRequest
from tests.contact.factories import request_post_data

pytestmark = pytest.mark.django_db

URL = "/kontakt/"


def typed_values_are_kept(html: str, data: dict) -> None:
    """Everything she typed is back in the form, including the value that was wrong."""
    for field in ("name", "email", "phone"):
        value = data.get(field, "").replace("\x00", "")
        if value and "\x00" not in data.get(field, ""):
            assert f'name="{field}" value="{escape(value)}"' in html, field
    message = data.get("message", "")
    if message.strip() and "\x00" not in message:
        textarea = html[html.index('name="message"') :]
        kept = escape(message.replace("\r\n", "\n"))
        assert kept in textarea[: textarea.index("</textarea>")]


BAD_INPUTS = [
    ({"name": ""}, "Bitte gib deinen Namen an."),
    ({"name": "   "}, "Bitte gib deinen Namen an."),
    ({"name": "N" * 101}, "Dein Name darf höchstens 100 Zeichen haben (er hat 101)."),
    ({"email": ""}, "Bitte gib deine E-Mail-Adresse an."),
    ({"email": "petra@"}, "Bitte gib eine gültige E-Mail-Adresse an"),
    ({"email": "petra@example.org\nBcc: x@example.org"}, "gültige E-Mail-Adresse"),
    ({"email": "a" * 250 + "@example.org"}, "Eine E-Mail-Adresse hat höchstens 254 Zeichen"),
    ({"phone": "ruf mich an"}, "Bitte gib eine Telefonnummer nur mit Ziffern an"),
    ({"phone": "1" * 41}, "Eine Telefonnummer hat höchstens 40 Zeichen (diese hat 41)."),
    ({"topic": "999999"}, "Bitte wähle eines der Themen aus der Liste."),
    ({"topic": "abc"}, "Bitte wähle eines der Themen aus der Liste."),
    ({"topic": "9" * 40}, "Bitte wähle eines der Themen aus der Liste."),
    ({"topic": "-1"}, "Bitte wähle eines der Themen aus der Liste."),
    ({"topic": "²"}, "Bitte wähle eines der Themen aus der Liste."),
    ({"topic": "１"}, "Bitte wähle eines der Themen aus der Liste."),
    ({"message": ""}, "Bitte schreib ein paar Worte zu deiner Anfrage."),
    ({"message": " \r\n\t "}, "Bitte schreib ein paar Worte zu deiner Anfrage."),
    ({"message": "x" * 5001}, "Deine Nachricht darf höchstens 5000 Zeichen haben (sie hat 5001)."),
    ({"consent": None}, "Bitte stimm zu, dass ich deine Angaben verwenden darf"),
    ({"name": "Petra\x00Lang"}, "Nullzeichen sind nicht erlaubt."),
    ({"message": "Hallo\x00"}, "Nullzeichen sind nicht erlaubt."),
    ({"email": "petra\x00@example.org"}, "Nullzeichen sind nicht erlaubt."),
]


@pytest.mark.parametrize("overrides,message", BAD_INPUTS)
def test_bad_input_shows_its_message_on_the_contact_page_with_everything_typed_kept(
    client, overrides, message
):
    data = request_post_data(**overrides)

    response = client.post(URL, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Beratungsgespräch anfragen" in html  # the same page
    assert "Bitte prüf die markierten Felder." in html
    assert 'aria-invalid="true"' in html
    typed_values_are_kept(html, data)
    assert not ConsultationRequest.objects.exists()


def test_an_error_is_tied_to_its_field(client):
    html = client.post(URL, request_post_data(email="petra@")).content.decode()

    field = html[html.index('name="email"') :]
    field = field[: field.index(">")]
    assert 'aria-describedby="kontakt-email_error"' in field
    assert 'id="kontakt-email_error"' in html


@pytest.mark.parametrize(
    "name,message",
    [
        ("Zoë Ørsted-Ğül 🌿", "Grüße aus Köln 🌱 – ﷽ ‮umgedreht‬ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"),
        ("حسن", "مرحبا، أحتاج إلى موعد"),
        ("李", "我的背很痛。" * 10),
    ],
)
def test_odd_unicode_is_stored_as_typed(client, name, message, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, request_post_data(name=name, message=message))

    assert response.status_code == 302
    consultation = ConsultationRequest.objects.get()
    assert consultation.name == name and consultation.message == message


def test_a_message_of_exactly_5000_characters_with_line_breaks_passes(client):
    message = ("Zeile\r\n" * 833)[: 5000 - 2] + "ok"  # \r\n counts as one character
    assert client.post(URL, request_post_data(message=message)).status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": ["a", "b"], "email": ["x@example.org", "y@example.org"]},
        {"ts": "9" * 5000, "topic": "1" * 5000, "consent": "maybe"},
        {"name": "N" * 200_000, "message": "M" * 200_000},
    ],
)
def test_junk_never_makes_a_server_error(client, data):
    response = client.post(URL, data)

    assert response.status_code == 400
    assert "Beratungsgespräch anfragen" in response.content.decode()
    assert not ConsultationRequest.objects.exists()


def test_a_get_with_junk_in_the_query_string_shows_the_page(client):
    response = client.get(URL, {"topic": "\x00", "name": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_a_typed_script_is_shown_escaped(client):
    html = client.post(URL, request_post_data(name="<script>alert(1)</script>", email="x")).content
    assert b"<script>alert(1)</script>" not in html
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in html
