"""The worker's life: who counts as dead, what recovery does, heartbeats, stopping in time."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import worker
from core.models import WorkerHeartbeat
from newsletter import sending
from newsletter.models import Delivery, Issue
from tests.newsletter.factories import IssueFactory, SubscriberFactory
from tests.newsletter.mailbackends import FlakyBackend

pytestmark = pytest.mark.django_db


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def heartbeat(worker_id: str, *, seen_ago: timedelta) -> None:
    host, pid, _ = worker_id.split(":")
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        host=host,
        pid=int(pid),
        started_at=timezone.now() - timedelta(hours=1),
        seen_at=timezone.now() - seen_ago,
    )


def running_task(worker_id: str, *, started_ago=timedelta(seconds=5)) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"issue_id": 1}},
        task_path="newsletter.sending.deliver_issue",
        backend_name="default",
        run_after=now,
        status=TaskResultStatus.RUNNING,
        started_at=now - started_ago,
        worker_ids=[worker_id],
        exception_class_path="",
        traceback="",
    )


def test_a_worker_on_this_machine_whose_process_is_gone_is_dead_at_once():
    gone = f"{worker.this_host()}:{dead_pid()}:abcd"
    heartbeat(gone, seen_ago=timedelta(seconds=1))
    liveness = worker.Liveness.read()
    assert liveness.is_lost(gone, timezone.now())
    alive = f"{worker.this_host()}:{worker.os.getppid()}:abcd"
    assert not liveness.is_lost(alive, timezone.now())


def test_a_worker_on_another_machine_is_dead_once_its_heartbeat_is_a_minute_old():
    heartbeat("host-b:10:fresh", seen_ago=timedelta(seconds=20))
    heartbeat("host-b:11:stale", seen_ago=timedelta(seconds=61))
    liveness = worker.Liveness.read()
    long_ago = timezone.now() - timedelta(hours=2)
    assert not liveness.is_lost("host-b:10:fresh", long_ago)
    assert liveness.is_lost("host-b:11:stale", timezone.now())


def test_a_claim_by_a_process_without_heartbeat_is_lost_after_the_claim_timeout():
    liveness = worker.Liveness.read()
    assert not liveness.is_lost("web-2:500:x", timezone.now() - timedelta(minutes=4))
    assert liveness.is_lost("web-2:500:x", timezone.now() - timedelta(minutes=6))
    assert not liveness.is_lost(worker.worker_id(), timezone.now() - timedelta(days=1))


def test_a_task_whose_worker_died_is_marked_failed_as_orphaned_and_a_live_ones_task_is_not():
    gone = f"{worker.this_host()}:{dead_pid()}:abcd"
    heartbeat(gone, seen_ago=timedelta(seconds=3))
    heartbeat("host-b:10:alive", seen_ago=timedelta(seconds=3))
    orphan = running_task(gone)
    busy = running_task("host-b:10:alive", started_ago=timedelta(minutes=30))

    counts = worker.recover()

    assert counts["orphaned_tasks"] == 1
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.FAILED
    assert orphan.finished_at is not None
    assert orphan.exception_class_path == "core.worker.WorkerLost"
    assert "orphaned" in orphan.traceback
    busy.refresh_from_db()
    assert busy.status == TaskResultStatus.RUNNING
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["host-b:10:alive"]


def test_a_heartbeat_signs_on_and_off_and_marks_its_own_open_claims_uncertain():
    SubscriberFactory(confirmed=True)
    issue = IssueFactory()
    sending.issue_send(issue=issue)
    me = worker.new_worker_id()
    beat = worker.Heartbeat(me)
    beat.start()
    assert WorkerHeartbeat.objects.get().worker_id == me
    Delivery.objects.update(status=Delivery.Status.SENDING, claimed_by=me)
    beat.stop()
    assert not WorkerHeartbeat.objects.exists()
    assert Delivery.objects.get().status == Delivery.Status.UNCLEAR


def test_asked_to_stop_the_sending_finishes_the_email_in_hand_and_leaves_the_rest_queued(
    settings,
):
    for n in range(5):
        SubscriberFactory(email=f"leserin{n}@example.de", confirmed=True)
    issue = IssueFactory()
    sending.issue_send(issue=issue)
    settings.EMAIL_BACKEND = "tests.core.test_worker.StopAfterFirstBackend"
    try:
        result = sending.issue_deliver(issue_id=issue.pk)
    finally:
        worker.clear_stop()
    assert result["sent"] == 1 and result["stopped"] == 1
    assert len(mail.outbox) == 1
    statuses = list(Delivery.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "queued", "queued", "queued", "queued"]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sending.issue_deliver(issue_id=issue.pk)  # the next start goes on
    assert len(mail.outbox) == 5


class StopAfterFirstBackend(FlakyBackend):
    """Stands in for SIGTERM arriving while the first e-mail is being handed over."""

    def send_messages(self, messages):
        worker.request_stop()
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_claims_under_a_name_that_tells_host_and_process_and_signs_off(
    settings,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    SubscriberFactory(confirmed=True)
    issue = IssueFactory()
    sending.issue_send(issue=issue)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    host, pid, _random = worker.worker_id().split(":")
    assert host == worker.this_host() and pid == str(worker.os.getpid())
    assert not WorkerHeartbeat.objects.exists()
    assert len(mail.outbox) == 1


def test_a_task_claimed_by_a_worker_that_stops_before_running_it_is_queued_again():
    me = worker.new_worker_id()
    beat = worker.Heartbeat(me)
    beat.start()
    claimed = running_task(me)
    others = running_task("host-b:10:alive")
    beat.stop()
    claimed.refresh_from_db()
    assert claimed.status == TaskResultStatus.READY and claimed.started_at is None
    others.refresh_from_db()
    assert others.status == TaskResultStatus.RUNNING
