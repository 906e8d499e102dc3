"""Periodic jobs that every app server may start, of which one runs.

Each server's timer (or cron) starts the daily jobs; the first to claim a job's run in the
database runs it, the others see the claim and skip. The claim is one conditional UPDATE (or
the INSERT of the job's first row), so it holds on SQLite and PostgreSQL alike and needs no lock
held while the job runs. A job that fails gives its claim back, so the next start runs it again.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import JobRun

# A daily job started at about the same time on every server runs once; the next day's start
# (24 hours later, give or take the timers' random delay) runs again.
DAILY = timedelta(hours=20)


def job_claim(*, name: str, every: timedelta, now=None) -> JobRun | None:
    """Claim this period's run of job `name`; the claimed row, or None if another has it."""
    now = now or timezone.now()
    host = socket.gethostname()[:255]
    claimed = JobRun.objects.filter(name=name, started_at__lte=now - every).update(
        started_at=now, finished_at=None, host=host
    )
    if not claimed:
        try:
            with transaction.atomic():
                JobRun.objects.create(name=name, started_at=now, host=host)
        except IntegrityError:
            return None  # the job has a row whose period has not passed: it ran or runs
    return JobRun.objects.get(name=name)


@contextmanager
def job_once(*, name: str, every: timedelta = DAILY) -> Iterator[JobRun | None]:
    """Run the block only if this process claims the job (it gets the row, others None)."""
    previous = JobRun.objects.filter(name=name).values_list("started_at", flat=True).first()
    run = job_claim(name=name, every=every)
    if run is None:
        yield None
        return
    try:
        yield run
    except BaseException:
        # Give the claim back, so that the next start (here or on another server) runs it.
        if previous is None:
            JobRun.objects.filter(pk=run.pk, started_at=run.started_at).delete()
        else:
            JobRun.objects.filter(pk=run.pk, started_at=run.started_at).update(started_at=previous)
        raise
    JobRun.objects.filter(pk=run.pk, started_at=run.started_at).update(finished_at=timezone.now())
