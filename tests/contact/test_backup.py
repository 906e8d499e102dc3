"""A backup restores into a freshly migrated site, whose first topics and texts it replaces."""

import io

import pytest
from django.core.management import call_command

from contact.models import DEFAULT_TOPICS, ConsultationRequest, ContactPage, Topic, default_texts
from tests.contact.factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db


def as_after_migrate():
    """The rows contact's data migration creates, and nothing else of the contact app."""
    ConsultationRequest.objects.all().delete()
    Topic.objects.exclude(name__in=DEFAULT_TOPICS).delete()
    for position, name in enumerate(DEFAULT_TOPICS):
        Topic.objects.get_or_create(name=name, defaults={"position": position})
    ContactPage.objects.all().delete()
    ContactPage.objects.create(**default_texts())


def test_a_backup_restores_into_a_site_that_holds_only_what_migrate_made(tmp_path):
    as_after_migrate()
    page = ContactPage.objects.get()
    page.intro = "Die Einleitung der gesicherten Seite."
    page.save()
    yoga = Topic.objects.create(name="Yoga", position=99)
    ConsultationRequestFactory(name="Petra", topic=yoga)
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", output=str(archive), stdout=io.StringIO())

    as_after_migrate()
    out = io.StringIO()
    call_command("restore_site", str(archive), stdout=out)

    assert "Restored" in out.getvalue()
    assert ContactPage.objects.get().intro == "Die Einleitung der gesicherten Seite."
    assert sorted(Topic.objects.values_list("name", flat=True)) == sorted([*DEFAULT_TOPICS, "Yoga"])
    assert ConsultationRequest.objects.get().topic.name == "Yoga"


def test_a_site_with_topics_of_its_own_is_not_empty(tmp_path):
    as_after_migrate()
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", output=str(archive), stdout=io.StringIO())
    Topic.objects.create(name="Eigenes Thema")

    with pytest.raises(Exception, match="not empty: .*contact.topic"):
        call_command("restore_site", str(archive))
