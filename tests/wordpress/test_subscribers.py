"""import_subscribers through the real command: proof of consent, no mail, re-runs, bad files."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from newsletter.models import Subscriber
from newsletter.services import subscriber_signup, subscribers_purge_unconfirmed
from tests.wordpress.support import FIXTURES

pytestmark = pytest.mark.django_db

SUBSCRIBED = FIXTURES / "subscribed_members_export_4f1b2c.csv"
UNSUBSCRIBED = FIXTURES / "unsubscribed_members_export_4f1b2c.csv"
CLEANED = FIXTURES / "cleaned_members_export_4f1b2c.csv"
GENERIC = FIXTURES / "generic-list.csv"


def run(path, *args, file_format="mailchimp") -> str:
    out = io.StringIO()
    call_command("import_subscribers", str(path), "--format", file_format, *args, stdout=out)
    return out.getvalue()


def states() -> dict:
    return dict(Subscriber.objects.values_list("email", "status"))


def test_a_row_with_complete_double_opt_in_proof_becomes_a_confirmed_subscriber(settings):
    run(SUBSCRIBED)
    anna = Subscriber.objects.get(email="anna@example.org")
    assert anna.status == "confirmed" and anna.first_name == "Anna"
    assert anna.signed_up_at == datetime(2019, 3, 4, 10, 22, 31, tzinfo=UTC)
    assert anna.signup_ip == "203.0.113.5"
    assert anna.confirmed_at == datetime(2019, 3, 4, 10, 25, 2, tzinfo=UTC)
    assert anna.confirmation_ip == "203.0.113.5"
    assert (anna.import_source, anna.import_file) == ("mailchimp", SUBSCRIBED.name)
    assert anna.imported_at is not None
    # The domain is stored in lower case, as a signup here would store it.
    assert Subscriber.objects.get(email="Bernd@example.org").status == "confirmed"


def test_rows_without_proof_are_skipped_and_counted_and_nobody_gets_mail(mailoutbox):
    report = run(SUBSCRIBED)
    assert set(states()) == {"anna@example.org", "Bernd@example.org"}
    assert "kein vollständiger Double-Opt-in-Nachweis (bekommt nie Post): 3" in report
    assert "keine gültige E-Mail-Adresse: 1" in report
    assert "doppelt in der Datei: 1 (anna@example.org)" in report
    assert mailoutbox == []


def test_rows_without_proof_can_be_kept_as_pending_without_any_email(mailoutbox):
    run(SUBSCRIBED, "--without-proof", "pending")
    carla = Subscriber.objects.get(email="carla@example.org")
    assert carla.status == "pending" and carla.confirmed_at is None
    assert states()["dora@example.org"] == "pending"  # confirmed without an IP address
    assert states()["emil@example.org"] == "pending"  # "confirmed" before signing up
    assert not Subscriber.objects.confirmed().filter(email__in=["carla@example.org"]).exists()
    assert mailoutbox == []


def test_pending_rows_are_purged_thirty_days_after_the_import_unless_confirmed():
    run(SUBSCRIBED, "--without-proof", "pending")
    assert subscribers_purge_unconfirmed(now=timezone.now() + timedelta(days=29)) == 0
    assert subscribers_purge_unconfirmed(now=timezone.now() + timedelta(days=31)) == 3
    assert set(states()) == {"anna@example.org", "Bernd@example.org"}


def test_unsubscribed_and_cleaned_rows_are_stored_as_unsubscribed():
    run(UNSUBSCRIBED)
    run(CLEANED)
    gisela = Subscriber.objects.get(email="gisela@example.org")
    assert gisela.status == "unsubscribed"
    assert gisela.unsubscribed_at == datetime(2022, 2, 2, 20, 0, tzinfo=UTC)
    assert gisela.confirmed_at is not None  # her proof stays on record
    assert states()["hans@nicht-mehr.example"] == "unsubscribed"


def test_an_imported_unsubscribe_is_never_mailed_again_even_after_the_subscribed_file():
    run(UNSUBSCRIBED)
    run(SUBSCRIBED)
    assert not Subscriber.objects.confirmed().filter(email="gisela@example.org").exists()


def test_a_second_run_changes_nothing():
    run(SUBSCRIBED)
    before = list(Subscriber.objects.values().order_by("pk"))
    report = run(SUBSCRIBED)
    assert list(Subscriber.objects.values().order_by("pk")) == before
    assert "2 unverändert" in report


def test_a_later_export_with_an_unsubscribe_updates_the_imported_row():
    run(SUBSCRIBED)
    run(UNSUBSCRIBED)
    report = run(UNSUBSCRIBED.parent / UNSUBSCRIBED.name)
    assert "1 unverändert" in report


def test_an_address_that_signed_up_on_this_site_keeps_its_own_proof(mailoutbox):
    subscriber_signup(email="anna@example.org", source="newsletter", ip="192.0.2.1")
    mailoutbox.clear()
    report = run(SUBSCRIBED)
    anna = Subscriber.objects.get(email="anna@example.org")
    assert anna.import_source == "" and anna.signup_ip == "192.0.2.1"
    assert "schon auf dieser Website angemeldet (bleibt): 1" in report
    assert mailoutbox == []


def test_a_dry_run_saves_nothing_and_reports_the_same():
    dry = run(SUBSCRIBED, "--dry-run")
    assert not Subscriber.objects.exists()
    real = run(SUBSCRIBED)
    assert dry.split("\n", 2)[2] == real


def test_a_generic_excel_csv_with_semicolons_and_german_dates_is_read():
    run(GENERIC, file_format="generic")
    jurgen = Subscriber.objects.get(email="juergen@example.org")
    assert jurgen.first_name == "Jürgen" and jurgen.status == "confirmed"
    assert jurgen.confirmed_at.isoformat() == "2019-03-04T09:25:00+00:00"  # Berlin time
    assert states()["mia@example.org"] == "unsubscribed"
    assert "lena@example.org" not in states()  # pending without proof: skipped


def test_an_imported_row_shows_where_its_proof_comes_from_in_the_admin(admin_client):
    run(SUBSCRIBED)
    anna = Subscriber.objects.get(email="anna@example.org")
    html = admin_client.get(f"/admin/newsletter/subscriber/{anna.pk}/nachweis/").content.decode()
    assert SUBSCRIBED.name in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Die Datei ist leer."),
        (b"name,address\nAnna,Berlin\n", "Die Datei hat keine Spalte Email Address"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "keine CSV-Textdatei"),
    ],
)
def test_a_file_that_is_no_list_stops_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "liste.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path)
    assert not Subscriber.objects.exists()
