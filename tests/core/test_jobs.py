"""Daily jobs started on every app server: each runs on one of them, a failed one runs again."""

import threading
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from core.jobs import DAILY, job_claim, job_once
from core.models import JobRun
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_the_first_start_claims_the_job_and_a_second_one_the_same_day_does_not():
    now = timezone.now()
    assert job_claim(name="aufraeumen", every=DAILY, now=now) is not None
    assert job_claim(name="aufraeumen", every=DAILY, now=now + timedelta(minutes=20)) is None


def test_the_next_days_start_claims_it_again():
    now = timezone.now()
    job_claim(name="aufraeumen", every=DAILY, now=now)
    assert job_claim(name="aufraeumen", every=DAILY, now=now + timedelta(days=1)) is not None


def test_a_job_that_fails_gives_its_claim_back():
    with pytest.raises(RuntimeError), job_once(name="aufraeumen"):
        raise RuntimeError("Datenbank weg")

    assert not JobRun.objects.filter(name="aufraeumen").exists()
    with job_once(name="aufraeumen") as run:
        assert run is not None


def test_a_job_that_fails_on_a_later_day_gives_back_the_days_claim():
    yesterday = timezone.now() - timedelta(days=1)
    JobRun.objects.create(name="aufraeumen", started_at=yesterday, finished_at=yesterday)

    with pytest.raises(RuntimeError), job_once(name="aufraeumen"):
        raise RuntimeError("Datenbank weg")

    assert JobRun.objects.get(name="aufraeumen").started_at == yesterday


def test_a_finished_job_records_when_and_where_it_ran():
    with job_once(name="aufraeumen") as run:
        assert run.host
    assert JobRun.objects.get(name="aufraeumen").finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_of_six_servers_starting_the_job_at_the_same_moment_exactly_one_runs_it():
    barrier = threading.Barrier(6)
    claims = []

    def server():
        try:
            barrier.wait()
            claims.append(job_claim(name="aufraeumen", every=DAILY) is not None)
        finally:
            connection.close()

    threads = [threading.Thread(target=server) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(claims) == [False] * 5 + [True]


def test_run_daily_jobs_runs_each_job_once_and_the_second_server_skips_them():
    old = CommentFactory(created_at=timezone.now() - timedelta(days=40))
    first, second = StringIO(), StringIO()

    call_command("run_daily_jobs", stdout=first)
    old.refresh_from_db()
    old.ip_address = "203.0.113.9"  # as if it had an address again: the second start skips
    old.save()
    call_command("run_daily_jobs", stdout=second)

    assert "1 comment(s) anonymised" in first.getvalue()
    assert "anonymise_comment_ips: skipped, started" in second.getvalue()
    assert "purge_unconfirmed_subscribers: skipped" in second.getvalue()
    old.refresh_from_db()
    assert old.ip_address == "203.0.113.9"


def test_run_daily_jobs_purges_the_records_of_finished_tasks_and_emails():
    out = StringIO()
    call_command("run_daily_jobs", stdout=out)
    assert "purge_finished_tasks (records of finished background tasks" in out.getvalue()
    assert JobRun.objects.filter(name="purge_finished_tasks").exists()


def test_a_failing_job_does_not_stop_the_others_and_runs_again_next_time():
    failing = mock.patch(
        "comments.management.commands.anonymise_comment_ips.comment_ips_anonymise",
        side_effect=RuntimeError("kaputt"),
    )
    with failing, pytest.raises(CommandError, match="anonymise_comment_ips"):
        call_command("run_daily_jobs", stdout=StringIO(), stderr=StringIO())

    assert not JobRun.objects.filter(name="anonymise_comment_ips").exists()
    assert JobRun.objects.filter(name="purge_unconfirmed_subscribers").exists()
    out = StringIO()
    call_command("run_daily_jobs", stdout=out)
    assert "anonymise_comment_ips (IP addresses" in out.getvalue()


def test_force_runs_the_jobs_again_the_same_day():
    call_command("run_daily_jobs", stdout=StringIO())
    out = StringIO()
    call_command("run_daily_jobs", "--force", stdout=out)
    assert "skipped" not in out.getvalue()
