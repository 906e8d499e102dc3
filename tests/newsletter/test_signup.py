"""Signing up: the forms, the double opt-in e-mail, bad input, and answers that reveal nothing."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletter.consent import CONSENT_VERSION
from newsletter.models import Subscriber
from tests.newsletter.factories import SubscriberFactory
from tests.newsletter.helpers import link_to, signup_data

pytestmark = pytest.mark.django_db

SIGNUP = "/newsletter/"
GUIDE = "/gratis-guide/"


def _page_without_tokens(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def test_newsletter_page_shows_the_form_with_an_unticked_consent_box(client):
    response = client.get(SIGNUP)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="email"' in html and 'name="first_name"' in html and 'name="consent"' in html
    consent = re.search(r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert "checked" not in consent
    assert "required" in consent
    assert "jederzeit abmelden" in html
    assert 'href="/datenschutz/"' in html


def test_guide_landing_page_shows_the_active_guide_with_its_contents_and_form(client, guide):
    response = client.get(GUIDE)
    html = response.content.decode()
    assert response.status_code == 200
    assert guide.title.replace("&", "&amp;") in html
    assert "Ein 14-Tage-Plan" in html  # one line of "what it contains"
    assert 'action="/gratis-guide/#anmelden"' in html
    # The consent text says that the guide comes with the newsletter.
    assert "den kostenlosen Guide als PDF" in html and "Newsletter" in html


def test_guide_landing_page_without_an_active_guide_points_to_the_newsletter(client, db):
    response = client.get(GUIDE)
    assert response.status_code == 200
    assert "überarbeite" in response.content.decode() or "überarbeitet" in response.content.decode()


def test_signup_boxes_on_other_pages_post_to_the_two_signup_pages(client):
    html = client.get(reverse("newsletter:signup_done")).content.decode()
    # Their actions end in the anchor of the form on that page: a rejected signup lands there.
    assert 'action="/gratis-guide/#anmelden"' in html
    assert 'action="/newsletter/#anmelden"' in html
    assert "Gratis-Guide" in html


def test_signup_boxes_render_without_a_database_query(rf, django_assert_num_queries):
    # Guards the sidebar on every page: it must not add queries to list and article pages.
    from django.template.loader import render_to_string

    request = rf.get("/")
    with django_assert_num_queries(0):
        html = render_to_string("newsletter/includes/signup_boxes.html", request=request)
    assert html.count('name="consent"') == 2


def test_valid_signup_stores_a_pending_subscriber_with_proof_of_consent(client, mailoutbox):
    response = client.post(
        SIGNUP,
        signup_data(),
        HTTP_USER_AGENT="Mozilla/5.0 (Testbrowser)",
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:signup_done") + "#inhalt"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "anna@example.de"
    assert subscriber.first_name == "Anna"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.source == Subscriber.Source.NEWSLETTER
    assert "Newsletter" in subscriber.consent_text
    assert "jederzeit abmelden" in subscriber.consent_text
    assert subscriber.consent_version == CONSENT_VERSION
    assert subscriber.signup_ip == "198.51.100.7"
    assert subscriber.signup_user_agent == "Mozilla/5.0 (Testbrowser)"
    assert timezone.now() - subscriber.signed_up_at < timedelta(minutes=1)
    assert subscriber.confirmed_at is None
    assert len(mailoutbox) == 1


def test_confirmation_email_has_only_the_link_and_the_first_name_of_what_was_typed(
    client, mailoutbox
):
    client.post(SIGNUP, signup_data(first_name="Anna-Lena"))
    message = mailoutbox[0]
    assert message.to == ["anna@example.de"]
    assert message.subject == "Bitte bestätige deine E-Mail-Adresse"
    assert message.body.startswith("Hallo Anna-Lena,")
    assert "/newsletter/bestaetigen/" in link_to(message, "bestaetigen")
    assert "7 Tage" in message.body
    # No advertising: no links to articles, courses or the shop, just the one to confirm; and
    # no unsubscribe link or header before she is on the list (a scanner would follow it).
    paths = {p.split("/")[2] for p in re.findall(r"https?://[^/\s]+(/\S+)", message.body)}
    assert paths == {"bestaetigen"}
    assert "List-Unsubscribe" not in message.extra_headers
    assert "ignoriere diese E-Mail" in message.body


def test_first_name_is_optional(client, mailoutbox):
    client.post(SIGNUP, signup_data(first_name=""))
    assert Subscriber.objects.get().first_name == ""
    assert mailoutbox[0].body.startswith("Hallo,")


def test_the_answer_is_the_same_for_new_pending_confirmed_and_unsubscribed_addresses(client):
    SubscriberFactory(email="pending@example.de")
    SubscriberFactory(email="confirmed@example.de", confirmed=True)
    SubscriberFactory(email="gone@example.de", unsubscribed=True)
    pages = set()
    for email in [
        "new@example.de",
        "pending@example.de",
        "confirmed@example.de",
        "gone@example.de",
    ]:
        for url in (SIGNUP, GUIDE):
            response = client.post(url, signup_data(email=email), follow=True)
            done = reverse("newsletter:signup_done") + "#inhalt"
            assert response.redirect_chain == [(done, 302)]
            pages.add(_page_without_tokens(response))
    assert len(pages) == 1


def test_an_already_confirmed_address_gets_no_second_confirmation_email(client, mailoutbox):
    SubscriberFactory(email="anna@example.de", confirmed=True)
    client.post(SIGNUP, signup_data())
    assert mailoutbox == []
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_a_confirmed_newsletter_reader_who_asks_for_the_guide_gets_the_download_link(
    client, mailoutbox, guide
):
    SubscriberFactory(email="anna@example.de", confirmed=True)
    client.post(GUIDE, signup_data())
    assert len(mailoutbox) == 1
    assert "gratis-guide/download/" in mailoutbox[0].body
    assert "bestaetigen" not in mailoutbox[0].body


def test_a_pending_address_gets_the_confirmation_again_but_not_more_than_every_ten_minutes(
    client, mailoutbox
):
    client.post(SIGNUP, signup_data())
    client.post(SIGNUP, signup_data())
    assert len(mailoutbox) == 1
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=11))
    client.post(SIGNUP, signup_data())
    assert len(mailoutbox) == 2
    assert Subscriber.objects.count() == 1


def test_the_same_address_in_other_letter_case_is_the_same_subscriber(client, mailoutbox):
    client.post(SIGNUP, signup_data(email="anna@example.de"))
    response = client.post(SIGNUP, signup_data(email="ANNA@Example.DE"))
    assert response.status_code == 302
    assert Subscriber.objects.count() == 1
    assert Subscriber.objects.get().email == "anna@example.de"


def test_the_domain_is_stored_in_lower_case_and_the_local_part_as_typed(client):
    client.post(SIGNUP, signup_data(email="  Anna.Berg@Example.DE "))
    assert Subscriber.objects.get().email == "Anna.Berg@example.de"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (signup_data(email="anna(at)example.de"), "email", "gültige E-Mail-Adresse"),
        (signup_data(email=""), "email", "Bitte gib deine E-Mail-Adresse an"),
        (signup_data(email="a" * 288 + "@example.de"), "email", "zu lang"),
        ({"email": "anna@example.de", "first_name": "Anna"}, "consent", "Häkchen"),
        (signup_data(first_name="Anna http://spam.example"), "first_name", "Vornamen"),
        (signup_data(first_name="x" * 51), "first_name", "Vornamen"),
    ],
    ids=["invalid address", "empty", "300 characters", "no consent", "link as name", "long name"],
)
def test_bad_input_gets_a_clear_german_message_with_what_was_typed_kept(
    client, mailoutbox, data, field, message
):
    response = client.post(SIGNUP, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'id="signup-{field}_error"' in html
    if data.get("email"):
        assert f'value="{data["email"]}"' in html
    if data.get("first_name"):
        assert data["first_name"] in html
    assert Subscriber.objects.count() == 0
    assert mailoutbox == []


def test_a_300_character_address_gets_one_message_not_several(client):
    response = client.post(SIGNUP, signup_data(email="a" * 288 + "@example.de"))
    errors = response.context["form"].errors["email"]
    assert len(errors) == 1
    assert "höchstens 254 Zeichen" in errors[0] and "299" in errors[0]


def test_missing_consent_on_the_guide_page_keeps_the_address(client, guide):
    response = client.post(GUIDE, {"email": "anna@example.de", "first_name": "Anna"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="anna@example.de"' in html
    assert "Einwilligung" in html
    assert Subscriber.objects.count() == 0


def test_many_signups_from_one_address_are_rate_limited(client, settings, mailoutbox):
    settings.RATE_LIMITS = True
    for n in range(10):
        assert client.post(SIGNUP, signup_data(email=f"p{n}@example.de")).status_code == 302
    response = client.post(SIGNUP, signup_data(email="eleven@example.de"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zu viele Anmeldungen" in html
    assert 'value="eleven@example.de"' in html
    assert not Subscriber.objects.filter(email="eleven@example.de").exists()


def test_a_rate_limited_signup_comes_back_in_its_form_with_the_message_and_the_focus(
    client, settings
):
    settings.RATE_LIMITS = True
    for n in range(10):
        client.post(SIGNUP, signup_data(email=f"p{n}@example.de"))
    html = client.post(SIGNUP, signup_data(email="eleven@example.de")).content.decode()
    panel = html[html.index('id="anmelden"') :]
    form = panel[panel.index("<form") : panel.index("</form>")]
    # The message stands in the form, announced; the address field has the focus (the form's
    # own error names no field); the script that moves the focus there is on the page.
    assert 'role="alert"' in form and "Zu viele Anmeldungen" in form
    email = re.search(r'<input[^>]*name="email"[^>]*>', form).group(0)
    assert "autofocus" in email and 'value="eleven@example.de"' in email
    assert "newsletter/js/form_focus" in html


def test_a_rejected_signup_marks_only_its_first_wrong_field_for_the_focus(client):
    html = client.post(SIGNUP, {"email": "anna@example.de", "first_name": "1"}).content.decode()
    focused = re.findall(r"<input[^>]*autofocus[^>]*>", html)
    assert len(focused) == 1 and 'name="first_name"' in focused[0]
    # Every message is tied to its field.
    for field in ("first_name", "consent"):
        tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', html).group(0)
        assert f'aria-describedby="signup-{field}_error"' in tag
        assert f'id="signup-{field}_error"' in html


def test_a_page_without_errors_loads_no_focus_script(client):
    assert "form_focus" not in client.get(SIGNUP).content.decode()


def test_rate_limits_can_be_switched_off(client, settings):
    settings.RATE_LIMITS = False
    for n in range(12):
        assert client.post(SIGNUP, signup_data(email=f"p{n}@example.de")).status_code == 302
    assert Subscriber.objects.count() == 12


def test_a_guide_signup_is_recorded_with_source_guide_and_the_guide_consent_text(client, guide):
    client.post(GUIDE, signup_data())
    subscriber = Subscriber.objects.get()
    assert subscriber.source == Subscriber.Source.GUIDE
    assert "Guide" in subscriber.consent_text and "Newsletter" in subscriber.consent_text


def test_a_guide_box_error_is_shown_even_while_no_guide_is_offered(client):
    response = client.post(GUIDE, signup_data(email="anna(at)example.de"))
    html = response.content.decode()
    assert "gültige E-Mail-Adresse" in html
    assert 'value="anna(at)example.de"' in html
