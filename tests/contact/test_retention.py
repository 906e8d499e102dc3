"""The daily job deletes requests closed longer ago than CONTACT_RETENTION_DAYS, and only those."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from contact.models import ConsultationRequest
from tests.contact.factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db


def test_the_job_deletes_requests_closed_over_183_days_ago_and_keeps_the_rest():
    now = timezone.now()
    long_closed = ConsultationRequestFactory(
        status="closed", closed_at=now - timedelta(days=184), created_at=now - timedelta(days=400)
    )
    recently_closed = ConsultationRequestFactory(
        status="closed", closed_at=now - timedelta(days=100)
    )
    old_but_open = ConsultationRequestFactory(created_at=now - timedelta(days=500))
    old_but_answered = ConsultationRequestFactory(
        status="answered", answered_at=now - timedelta(days=300)
    )

    out = StringIO()
    call_command("purge_contact_requests", stdout=out)

    assert "1 consultation request(s) deleted" in out.getvalue()
    kept = set(ConsultationRequest.objects.values_list("pk", flat=True))
    assert kept == {recently_closed.pk, old_but_open.pk, old_but_answered.pk}
    assert long_closed.pk not in kept


def test_the_retention_comes_from_the_setting(settings):
    settings.CONTACT_RETENTION_DAYS = 30
    closed = ConsultationRequestFactory(
        status="closed", closed_at=timezone.now() - timedelta(days=31)
    )

    call_command("purge_contact_requests", stdout=StringIO())

    assert not ConsultationRequest.objects.filter(pk=closed.pk).exists()


def test_the_daily_jobs_run_the_purge():
    ConsultationRequestFactory(status="closed", closed_at=timezone.now() - timedelta(days=200))
    out = StringIO()

    call_command("run_daily_jobs", stdout=out, stderr=StringIO())

    assert "purge_contact_requests (consultation requests closed over 6 months ago)" in (
        out.getvalue()
    )
    assert not ConsultationRequest.objects.exists()


def test_the_setting_is_read_from_the_environment():
    from tests.feelmove.test_settings import run_python

    code = "from django.conf import settings; print(settings.CONTACT_RETENTION_DAYS)"
    assert run_python(code, {"DEBUG": "1"}).stdout.strip() == "183"
    assert run_python(code, {"DEBUG": "1", "CONTACT_RETENTION_DAYS": "90"}).stdout.strip() == "90"
