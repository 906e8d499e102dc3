"""The pages behind the link: what they show, what their buttons do; GET changes nothing."""

import json
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from comments.models import Comment, CommentSettings, NotificationAddress
from core import privacy
from core.signing import sign_link
from mydata.models import DataRequest
from mydata.tokens import data_link_token
from newsletter.models import Delivery, Subscriber
from tests.comments.factories import CommentFactory
from tests.mydata.helpers import link_for, snapshot
from tests.newsletter.factories import IssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

ANNA = "anna@example.de"


@pytest.fixture
def anna():
    """Anna: a confirmed guide signup with one newsletter, two comments, reply notices on."""
    subscriber = SubscriberFactory(
        email=ANNA,
        confirmed=True,
        source=Subscriber.Source.GUIDE,
        consent_text="Ja, schick mir den Gratis-Guide und den Newsletter.",
        signed_up_at=timezone.make_aware(timezone.datetime(2018, 1, 29, 10, 15)),
    )
    Delivery.objects.create(
        issue=IssueFactory(subject="Frühlingsgrüße"),
        subscriber=subscriber,
        status=Delivery.Status.SENT,
    )
    first = CommentFactory(email="Anna@Example.de", name="Anna B.", body="Danke für die Übung!")
    CommentFactory(
        email=ANNA, name="Anna B.", body="Noch eine Frage", status="pending", notify_replies=True
    )
    NotificationAddress.objects.create(email=ANNA, confirmed_at=timezone.now())
    CommentFactory(email="other@example.de", body="Nicht von Anna")
    return {"subscriber": subscriber, "comment": first}


@pytest.fixture
def link(client, anna):
    return link_for(client, ANNA)


def test_the_page_lists_subscription_consent_proof_comments_and_notices(client, link, anna):
    response = client.get(link)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Newsletter und Gratis-Guide" in page
    assert "Ja, schick mir den Gratis-Guide und den Newsletter." in page
    assert "29. Januar 2018" in page
    assert "192.0.2.10" in page
    assert "Frühlingsgrüße" in page
    assert "Danke für die Übung!" in page and "Noch eine Frage" in page
    assert "Nicht von Anna" not in page
    assert anna["comment"].article.title in page
    assert anna["comment"].get_absolute_url() in page
    assert "Benachrichtigungen über Antworten auf deine Kommentare: eingeschaltet" in page
    assert 'name="robots" content="noindex' in page
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_part_registered_by_another_app_is_shown_even_without_a_template(
    client, link, monkeypatch
):
    monkeypatch.setitem(
        privacy._parts,
        "consultation_requests",
        privacy.PersonalData(
            export_key="consultation_requests",
            export=lambda email: (
                [{"topic": "Rückenschmerzen", "created_at": "2026-05-04T09:30:00+00:00"}]
                if email == ANNA
                else []
            ),
            erase_key="consultation_requests_deleted",
            erase=lambda email: 0,
        ),
    )
    page = client.get(link).content.decode()
    assert "Gesprächsanfragen" in page
    assert "Rückenschmerzen" in page
    assert "4. Mai 2026" in page


def test_the_download_is_the_same_json_as_the_admins_export(client, link):
    confirm = client.get(link + "herunterladen/")
    assert confirm.status_code == 200 and "<form" in confirm.content.decode()
    response = client.post(link + "herunterladen/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    downloaded = json.loads(response.content)
    expected = json.loads(privacy.personal_data_json(privacy.personal_data_export(ANNA)))
    downloaded.pop("exported_at")
    expected.pop("exported_at")
    assert downloaded == expected
    assert [c["body"] for c in downloaded["comments"]] == [
        "Danke für die Übung!",
        "Noch eine Frage",
    ]


def test_unsubscribe_asks_first_then_stops_newsletter_and_reply_notices(client, link, anna):
    page = client.get(link + "abmelden/")
    assert page.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    response = client.post(link + "abmelden/")
    assert response.status_code == 302
    assert response["Location"].endswith("/abgemeldet/")
    assert (
        "keine Newsletter und keine Benachrichtigungen"
        in client.get(response["Location"]).content.decode()
    )
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert not NotificationAddress.objects.get().is_confirmed
    assert not Comment.objects.filter(notify_replies=True).exists()
    # Nothing else is gone: the data page still shows it.
    assert "Danke für die Übung!" in client.get(link).content.decode()


def test_delete_needs_the_ticked_box_then_erases_everything_of_the_address(client, link, anna):
    assert client.get(link + "loeschen/").status_code == 200
    refused = client.post(link + "loeschen/")
    assert refused.status_code == 200
    assert "Bitte setz das Häkchen" in refused.content.decode()
    assert Subscriber.objects.exists()

    response = client.post(link + "loeschen/", {"confirm": "yes"})
    assert response.status_code == 302
    done = client.get(response["Location"])
    text = done.content.decode()
    assert "Deine Daten sind gelöscht" in text
    assert "1 Abonnement entfernt" in text and "2 Kommentare anonymisiert" in text

    assert not Subscriber.objects.exists() and not Delivery.objects.exists()
    assert not NotificationAddress.objects.exists()
    assert not Comment.objects.filter(email__iexact=ANNA).exists()
    assert Comment.objects.filter(name="Anonym", body="Danke für die Übung!").exists()
    assert not DataRequest.objects.exists()
    assert Comment.objects.filter(email="other@example.de").exists()
    # The link is dead now: the data it showed is gone.
    assert client.get(link).status_code == 404


def test_delete_removes_the_comments_when_the_author_chose_so(client, link, anna):
    CommentSettings.objects.create(pk=CommentSettings.ROW, on_erase="delete")
    assert "Kommentare selbst" not in client.get(link + "loeschen/").content.decode()
    response = client.post(link + "loeschen/", {"confirm": "yes"})
    assert "2 Kommentare gelöscht" in client.get(response["Location"]).content.decode()
    assert list(Comment.objects.values_list("body", flat=True)) == ["Nicht von Anna"]


def test_a_deleted_comment_that_others_answered_stays_as_an_empty_note(settings):
    settings.COMMENTS_ON_ERASE = "delete"
    mine = CommentFactory(email=ANNA, name="Anna B.", body="Meine Frage")
    answer = CommentFactory(parent=mine, article=mine.article, email="jana@example.de")
    assert privacy.personal_data_erase(ANNA)["comments_erased"] == 1
    mine.refresh_from_db()
    assert mine.email == "" and mine.name == "Anonym" and "gelöscht" in mine.body
    assert Comment.objects.filter(pk=answer.pk).exists()


def test_the_admins_erase_follows_the_same_rule(admin_client, anna):
    CommentSettings.objects.create(pk=CommentSettings.ROW, on_erase="delete")
    admin_client.post(
        "/admin/newsletter/subscriber/",
        {"action": "erase_personal_data", "_selected_action": [anna["subscriber"].pk],
         "confirm": "yes"},
    )  # fmt: skip
    assert not Subscriber.objects.exists()
    assert list(Comment.objects.values_list("body", flat=True)) == ["Nicht von Anna"]


def test_get_and_head_on_every_link_change_no_row(client, link):
    before = snapshot()
    for suffix in ("", "herunterladen/", "abmelden/", "abgemeldet/", "loeschen/"):
        for method in (client.get, client.head):
            assert method(link + suffix).status_code == 200, suffix
    assert snapshot() == before


def test_an_expired_link_gets_a_german_page_with_the_form_for_a_new_one(client, anna):
    data_request = DataRequest.objects.create(email=ANNA)
    yesterday = timezone.now() - timedelta(hours=24, minutes=1)
    with mock.patch("time.time", return_value=yesterday.timestamp()):
        token = data_link_token(data_request)
    response = client.get(f"/meine-daten/{token}/")
    post = client.post(f"/meine-daten/{token}/loeschen/", {"confirm": "yes"})
    page = response.content.decode()
    assert response.status_code == 410
    assert "Dieser Link ist abgelaufen" in page
    assert 'name="email"' in page
    assert post.status_code == 410
    assert Subscriber.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "erfunden",
        "a" * 3000,
        "eyJ4IjoxfQ:1abc:xyz",
        sign_link([1, "x"], salt="newsletter.confirm"),
        sign_link("kein-paar", salt="mydata.link"),
        sign_link([99999, "falsch"], salt="mydata.link"),
    ],
)
def test_a_forged_link_gets_a_clear_4xx_page_and_changes_nothing(client, anna, token):
    before = snapshot()
    for suffix in ("", "loeschen/", "abmelden/", "herunterladen/"):
        response = client.get(f"/meine-daten/{token}/{suffix}")
        assert response.status_code == 404
        assert "Dieser Link ist ungültig" in response.content.decode()
        response = client.post(f"/meine-daten/{token}/{suffix}", {"confirm": "yes"})
        assert response.status_code == 404
    assert snapshot() == before


def test_a_link_for_one_request_does_not_open_with_another_requests_key(client, anna):
    data_request = DataRequest.objects.create(email=ANNA)
    forged = sign_link([data_request.pk, "anderer-schluessel"], salt="mydata.link")
    assert client.get(f"/meine-daten/{forged}/").status_code == 404


def test_posts_need_the_csrf_token(link, anna):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(link + "loeschen/", {"confirm": "yes"}).status_code == 403
    assert strict.post("/meine-daten/", {"email": ANNA}).status_code == 403
    assert Subscriber.objects.exists()


def test_the_result_page_without_a_valid_summary_still_answers(client):
    assert client.get("/meine-daten/geloescht/?ergebnis=unsinn").status_code == 200


def test_old_requests_are_purged_by_the_daily_job():
    from django.core.management import call_command

    old = DataRequest.objects.create(email=ANNA, created_at=timezone.now() - timedelta(days=3))
    fresh = DataRequest.objects.create(email=ANNA)
    call_command("purge_data_requests", stdout=StringIO())
    assert list(DataRequest.objects.all()) == [fresh]
    assert not DataRequest.objects.filter(pk=old.pk).exists()


def test_every_newsletter_links_to_my_data(anna):
    from newsletter.emails import issue_email

    message = issue_email(IssueFactory(), subscriber=anna["subscriber"], to=ANNA)
    assert "/meine-daten/" in message.body
    assert "/meine-daten/" in message.alternatives[0][0]
    mail.outbox.clear()


def test_without_a_choice_of_the_author_the_setting_decides(settings):
    settings.COMMENTS_ON_ERASE = "delete"
    CommentFactory(email=ANNA)
    privacy.personal_data_erase(ANNA)
    assert not Comment.objects.exists()


def test_the_author_chooses_in_the_admin_what_erasing_does_to_comments(autorin_client):
    assert autorin_client.get("/admin/comments/commentsettings/").status_code == 200
    response = autorin_client.post("/admin/comments/commentsettings/add/", {"on_erase": "delete"})
    assert response.status_code == 302
    assert CommentSettings.deletes_on_erase()
    # One row only: adding again sets the same row, and it cannot be deleted.
    autorin_client.post("/admin/comments/commentsettings/add/", {"on_erase": "anonymise"})
    row = CommentSettings.objects.get()
    assert not CommentSettings.deletes_on_erase()
    assert (
        autorin_client.post(
            f"/admin/comments/commentsettings/{row.pk}/change/", {"on_erase": "delete"}
        ).status_code
        == 302
    )
    assert CommentSettings.deletes_on_erase()
    assert (
        autorin_client.get(f"/admin/comments/commentsettings/{row.pk}/delete/").status_code == 403
    )


def test_the_erase_command_follows_the_authors_choice():
    from django.core.management import call_command

    CommentSettings.objects.create(pk=CommentSettings.ROW, on_erase="delete")
    CommentFactory(email=ANNA)
    out = StringIO()
    call_command("erase_personal_data", ANNA, "--noinput", stdout=out)
    assert "comments erased: 1" in out.getvalue()
    assert not Comment.objects.exists()
