"""DSGVO: everything about one address exported as JSON, and erased (comments anonymised)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core import privacy
from newsletter.models import Delivery, Subscriber
from tests.newsletter.factories import IssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment_factory():
    factories = pytest.importorskip("tests.comments.factories")
    return factories.CommentFactory


def test_export_has_the_subscription_its_proof_and_the_issues_received(comment_factory):
    subscriber = SubscriberFactory(email="Anna@example.de", confirmed=True, first_name="Anna")
    issue = IssueFactory(subject="Frühling")
    Delivery.objects.create(issue=issue, subscriber=subscriber, status=Delivery.Status.SENT)
    SubscriberFactory(email="other@example.de")
    comment_factory(email="anna@example.de", name="Anna B.", body="Danke!")
    comment_factory(email="someone@example.org")

    data = privacy.personal_data_export("ANNA@example.de")
    json.dumps(data)  # JSON-ready as it is
    [subscription] = data["newsletter_subscriptions"]
    assert subscription["email"] == "Anna@example.de"
    assert subscription["status"] == "confirmed"
    assert subscription["consent_text"] and subscription["signup_ip"] == "192.0.2.10"
    assert subscription["newsletters_received"] == [
        {"subject": "Frühling", "status": "sent", "sent_at": None}
    ]
    assert [c["body"] for c in data["comments"]] == ["Danke!"]


def test_erasure_removes_subscriptions_and_anonymises_comments(comment_factory):
    subscriber = SubscriberFactory(email="anna@example.de", confirmed=True)
    Delivery.objects.create(issue=IssueFactory(), subscriber=subscriber)
    comment = comment_factory(email="Anna@Example.de", name="Anna B.", body="Danke!")
    kept = SubscriberFactory(email="other@example.de")

    result = privacy.personal_data_erase("anna@example.de")
    assert result == {
        "background_tasks_deleted": 0,
        "subscriptions_removed": 1,
        "comments_erased": 1,
        "data_requests_deleted": 0,
        "consultation_requests_deleted": 0,
    }
    assert list(Subscriber.objects.all()) == [kept]
    assert not Delivery.objects.exists()
    comment.refresh_from_db()
    assert comment.email == "" and comment.name != "Anna B." and comment.body == "Danke!"
    assert privacy.personal_data_export("anna@example.de")["newsletter_subscriptions"] == []


def test_a_part_registered_by_another_app_is_exported_and_erased_with_the_others(monkeypatch):
    kept = {"anna@example.de": ["Anfrage vom Mai"]}
    monkeypatch.setitem(
        privacy._parts,
        "requests",
        privacy.PersonalData(
            export_key="requests",
            export=lambda email: kept.get(email, []),
            erase_key="requests_deleted",
            erase=lambda email: len(kept.pop(email, [])),
        ),
    )
    SubscriberFactory(email="anna@example.de")
    assert privacy.personal_data_export("anna@example.de")["requests"] == ["Anfrage vom Mai"]
    assert privacy.personal_data_erase("anna@example.de") == {
        "background_tasks_deleted": 0,
        "subscriptions_removed": 1,
        "comments_erased": 0,
        "data_requests_deleted": 0,
        "consultation_requests_deleted": 0,
        "requests_deleted": 1,
    }
    assert kept == {}


def test_export_command_prints_json_or_writes_a_file(tmp_path):
    SubscriberFactory(email="anna@example.de", first_name="Jörg")
    out = StringIO()
    call_command("export_personal_data", "anna@example.de", stdout=out)
    assert json.loads(out.getvalue())["newsletter_subscriptions"][0]["first_name"] == "Jörg"
    target = tmp_path / "anna.json"
    call_command("export_personal_data", "anna@example.de", output=str(target), stderr=StringIO())
    assert "Jörg" in target.read_text(encoding="utf-8")


def test_erase_command_asks_unless_told_not_to(monkeypatch):
    SubscriberFactory(email="anna@example.de")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError):
        call_command("erase_personal_data", "anna@example.de", stdout=StringIO())
    assert Subscriber.objects.exists()
    out = StringIO()
    call_command("erase_personal_data", "anna@example.de", "--noinput", stdout=out)
    assert not Subscriber.objects.exists()
    assert "subscriptions removed: 1" in out.getvalue()


def test_erase_command_for_an_unknown_address_changes_nothing():
    SubscriberFactory(email="anna@example.de")
    out = StringIO()
    call_command("erase_personal_data", "nobody@example.de", "--noinput", stdout=out)
    assert "Nothing is stored" in out.getvalue()
    assert Subscriber.objects.count() == 1
