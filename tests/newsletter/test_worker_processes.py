"""A real `manage.py db_worker` process killed or stopped while it sends an issue to 200 readers.

The worker runs on this test's database (SQLite file or PostgreSQL) with the file e-mail backend,
slowed down a little per message so that the signal reaches it in the middle of the issue.
Nothing else runs in between: no cron job, no `send_queued_issues`.
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.test import TestCase
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import WorkerHeartbeat
from newsletter import sending
from newsletter.models import Delivery, Issue
from tests.newsletter.factories import IssueFactory, SubscriberFactory
from tests.perf.test_processes import database_url

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
READERS = 200
TO_LINE = re.compile(r"^To: (.+)$", re.MULTILINE)


@pytest.fixture
def issue(settings):
    """An issue queued for 200 confirmed readers, for the worker (the database task backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for n in range(READERS):
        SubscriberFactory(email=f"leserin{n:03d}@example.de", confirmed=True)
    issue = IssueFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        sending.issue_send(issue=issue)
    return issue


class WorkerProcess:
    """`manage.py db_worker` as an operator starts it, writing e-mails into `mail_dir`."""

    def __init__(self, tmp_path: Path, *, pause: float):
        self.mail_dir = tmp_path / "mails"
        self.log = tmp_path / "worker.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL")},
            "DJANGO_SETTINGS_MODULE": "feelmove.settings",
            "DEBUG": "0",
            "SECRET_KEY": "worker-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "database",
            "EMAIL_BACKEND": "tests.newsletter.mailbackends.SlowFileBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "TEST_MAIL_PAUSE": str(pause),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
                + ["--interval", "0.1"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def wait(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"The worker did not stop within {timeout} s.\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def mails_per_reader(self) -> Counter:
        counts = Counter()
        for path in self.mail_dir.glob("*"):
            counts.update(TO_LINE.findall(path.read_text(errors="replace")))
        return counts

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def worker(tmp_path):
    processes = []

    def make(pause: float) -> WorkerProcess:
        process = WorkerProcess(tmp_path, pause=pause)
        processes.append(process)
        return process

    yield make
    for process in processes:
        process.stop()


def wait_until(condition, *, timeout: float, what: str, worker: WorkerProcess) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"Waited {timeout} s for {what}.\n{worker.output()}")


def sent(issue) -> int:
    return Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count()


def issue_status(issue) -> str:
    return Issue.objects.values_list("status", flat=True).get(pk=issue.pk)


def test_a_worker_killed_mid_issue_and_started_again_sends_the_rest_and_nobody_anything_twice(
    issue, worker
):
    process = worker(pause=0.02)
    process.start()
    wait_until(lambda: sent(issue) >= 50, timeout=90, what="50 e-mails", worker=process)
    process.signal(signal.SIGKILL)
    process.wait(timeout=10)
    killed_task = DBTaskResult.objects.get(status=TaskResultStatus.RUNNING)
    assert sent(issue) < READERS

    # Started again, as systemd would: it cleans up and goes on with the issue by itself.
    process.start()
    wait_until(
        lambda: issue_status(issue) == Issue.Status.SENT,
        timeout=90,
        what="the issue to be sent",
        worker=process,
    )
    process.signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0

    mails = process.mails_per_reader()
    assert max(mails.values()) == 1, "somebody got the issue twice"
    deliveries = dict(
        Delivery.objects.filter(issue=issue).values_list("subscriber__email", "status")
    )
    unclear = {email for email, status in deliveries.items() if status == Delivery.Status.UNCLEAR}
    assert len(unclear) <= 1  # at most the one in the worker's hands when it was killed
    assert all(mails[email] == 1 for email in deliveries if email not in unclear)
    assert set(deliveries.values()) <= {Delivery.Status.SENT, Delivery.Status.UNCLEAR}
    assert sum(mails.values()) in (READERS - len(unclear), READERS)

    killed_task.refresh_from_db()
    assert killed_task.status == TaskResultStatus.FAILED
    assert killed_task.exception_class_path == "core.worker.WorkerLost"
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
    assert not WorkerHeartbeat.objects.exists()  # the dead one cleared, the second signed off


def test_sigterm_stops_the_worker_after_the_email_in_hand_and_a_restart_sends_the_rest(
    issue, worker
):
    process = worker(pause=0.1)  # the whole issue would take 20 s
    process.start()
    wait_until(lambda: sent(issue) >= 10, timeout=90, what="10 e-mails", worker=process)
    process.signal(signal.SIGTERM)
    assert process.wait(timeout=5) == 0  # within seconds, not after the whole issue

    stopped_at = sent(issue)
    assert stopped_at < READERS - 20
    statuses = set(Delivery.objects.filter(issue=issue).values_list("status", flat=True))
    assert statuses == {Delivery.Status.SENT, Delivery.Status.QUEUED}  # nothing half-sent
    assert sum(process.mails_per_reader().values()) == stopped_at
    # The task that was sending ended normally, saying it stopped; none is left running.
    (task,) = DBTaskResult.objects.exclude(status=TaskResultStatus.READY)
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value["stopped"] == 1
    assert issue_status(issue) == Issue.Status.SENDING

    process.env["TEST_MAIL_PAUSE"] = "0.005"
    process.start()
    wait_until(
        lambda: issue_status(issue) == Issue.Status.SENT,
        timeout=90,
        what="the issue to be sent",
        worker=process,
    )
    process.signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    mails = process.mails_per_reader()
    assert len(mails) == READERS and set(mails.values()) == {1}
