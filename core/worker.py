"""The background worker's life: who is alive, what a dead worker left behind, stopping in time.

`manage.py db_worker` (core/management/commands/db_worker.py) runs django-tasks-db's worker with
three additions:

- A heartbeat. Every worker keeps a `WorkerHeartbeat` row and renews it every few seconds from a
  thread. A worker is dead when its process is gone (same host) or its heartbeat is older than
  WORKER_TIMEOUT (another host).
- Recovery, when it starts and then every RECOVERY_SECONDS: a task a dead worker was running is
  marked failed as orphaned (it stayed "running" for ever before), and every row it was handing
  to the mail server is marked uncertain. Whether such a mail left is unknowable, so it is never
  sent again by itself; the author sees it and decides. Then interrupted work is queued again
  (an issue that was being sent goes on at once, without any cron job).
- Stopping in time. On SIGTERM or SIGINT, work that loops over many e-mails (an issue) finishes
  the e-mail in hand and stops; the rest waits for the next start.

Apps take part by registering `Claims` from their AppConfig.ready(): how to mark what a lost
worker claimed as uncertain, and how to queue interrupted work again. A claim names the process
that made it (`worker_id()`: host, process id and a random part), so rows claimed outside the
worker (the immediate task backend, in development) are recovered too, after CLAIM_TIMEOUT.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

# Seconds between two heartbeats, and between two looks for dead workers.
HEARTBEAT_SECONDS = 5
RECOVERY_SECONDS = 30
# A worker on another host whose heartbeat is older than this is dead.
WORKER_TIMEOUT = timedelta(seconds=60)
# A claim by a process without a heartbeat (not a db_worker) is lost after this long; sending one
# e-mail never takes that long (EMAIL_TIMEOUT is 20 s).
CLAIM_TIMEOUT = timedelta(minutes=5)

# A check for "is this claim lost?": (claimed_by, claimed_at) -> bool.
IsLost = Callable[[str, datetime | None], bool]


class WorkerLost(Exception):
    """Recorded on a task whose worker died while running it (an orphaned task)."""


def _setting(name: str, default):
    return getattr(settings, name, default)


# -- who we are ---------------------------------------------------------------------------------

_identity: dict = {"pid": None, "id": ""}


def this_host() -> str:
    return socket.gethostname()[:60]


def new_worker_id() -> str:
    """`host:pid:random`: unique, and tells on which machine and in which process it runs."""
    return f"{this_host()}:{os.getpid()}:{secrets.token_hex(4)}"


def worker_id() -> str:
    """The name under which this process claims rows (the db_worker's id inside the worker)."""
    if _identity["pid"] != os.getpid():  # a new process (gunicorn forks after import)
        _identity.update(pid=os.getpid(), id=new_worker_id())
    return _identity["id"]


def use_worker_id(value: str) -> None:
    _identity.update(pid=os.getpid(), id=value)


def _host_and_pid(claimed_by: str) -> tuple[str, int | None]:
    host, _, rest = claimed_by.partition(":")
    pid = rest.partition(":")[0]
    return host, int(pid) if pid.isascii() and pid.isdigit() else None


def _process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


# -- stopping -----------------------------------------------------------------------------------

_stop = threading.Event()


def stop_requested() -> bool:
    """True once the worker was asked to stop: finish the e-mail in hand, start no other."""
    return _stop.is_set()


def request_stop() -> None:
    _stop.set()


def clear_stop() -> None:
    _stop.clear()


# -- what apps register -------------------------------------------------------------------------


@dataclass(frozen=True)
class Claims:
    """Rows of one kind that a worker claims before handing an e-mail to the mail server.

    `mark_unclear(is_lost)` marks the rows whose claim `is_lost(claimed_by, claimed_at)` as
    uncertain and returns how many; `resume()` queues interrupted work again.
    """

    name: str
    mark_unclear: Callable[[IsLost], int]
    resume: Callable[[], int] | None = None


_claims: dict[str, Claims] = {}


def register(claims: Claims) -> None:
    """Add an app's claims (from its AppConfig.ready(); registering again replaces them)."""
    _claims[claims.name] = claims


# -- recovery -----------------------------------------------------------------------------------


class Liveness:
    """Which claimants are alive, from the heartbeats read once."""

    def __init__(self, now: datetime, heartbeats: dict[str, datetime]):
        self.now = now
        self.heartbeats = heartbeats
        self.host = this_host()
        self.worker_timeout = _setting("WORKER_TIMEOUT", WORKER_TIMEOUT)
        self.claim_timeout = _setting("WORKER_CLAIM_TIMEOUT", CLAIM_TIMEOUT)

    @classmethod
    def read(cls, now: datetime | None = None) -> Liveness:
        from core.models import WorkerHeartbeat

        beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "seen_at"))
        return cls(now or timezone.now(), beats)

    def is_lost(self, claimed_by: str, claimed_at: datetime | None) -> bool:
        if claimed_by == worker_id():
            return False  # this very process
        host, pid = _host_and_pid(claimed_by or "")
        if host == self.host and pid is not None and not _process_running(pid):
            return True
        seen = self.heartbeats.get(claimed_by)
        if seen is not None:
            return seen < self.now - self.worker_timeout
        return claimed_at is None or claimed_at < self.now - self.claim_timeout


def _fail_orphaned_tasks(is_lost: IsLost, now: datetime) -> int:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    count = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for pk, worker_ids, started_at in running.values_list("pk", "worker_ids", "started_at"):
        worker = worker_ids[-1] if worker_ids else ""
        if not is_lost(worker, started_at):
            continue
        count += DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=(
                f"WorkerLost: the worker {worker} stopped while running this task "
                "(orphaned); what it had not finished is queued again or marked uncertain."
            ),
        )
    return count


def recover(now: datetime | None = None) -> dict[str, int]:
    """Clean up after every dead worker: orphaned tasks failed, its claims uncertain."""
    from core.models import WorkerHeartbeat

    liveness = Liveness.read(now)
    counts = {"orphaned_tasks": _fail_orphaned_tasks(liveness.is_lost, liveness.now)}
    for claims in _claims.values():
        counts[claims.name] = claims.mark_unclear(liveness.is_lost)
    dead = [worker for worker in liveness.heartbeats if liveness.is_lost(worker, None)]
    if dead:
        WorkerHeartbeat.objects.filter(worker_id__in=dead).delete()
        logger.warning("Workers found dead: %s", ", ".join(dead))
    if any(counts.values()):
        logger.warning("Recovered after a dead worker: %s", counts)
    return counts


def resume() -> dict[str, int]:
    """Queue interrupted work again (safe to repeat: nothing sent is sent twice)."""
    return {claims.name: claims.resume() for claims in _claims.values() if claims.resume}


def requeue_unstarted_tasks_of(worker: str) -> int:
    """Put back the tasks `worker` claimed but never ran: a stop signal between the claim and
    the start ends the worker at once and leaves the task "running" (our tasks are safe to run
    again, so READY is right even in doubt)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    mine = [pk for pk, ids in running.values_list("pk", "worker_ids") if ids and ids[-1] == worker]
    return running.filter(pk__in=mine).update(status=TaskResultStatus.READY, started_at=None)


def release_claims_of(worker: str) -> dict[str, int]:
    """A worker that stops with a claim still open (killed mid-send by a second signal) marks it
    uncertain itself: nobody knows whether that e-mail left."""
    return {
        claims.name: claims.mark_unclear(lambda claimed_by, _at: claimed_by == worker)
        for claims in _claims.values()
    }


class Heartbeat:
    """The worker's sign of life, renewed from a thread, which also looks for dead workers."""

    def __init__(self, worker: str):
        self.worker = worker
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self, *, first: bool = False) -> None:
        from core.models import WorkerHeartbeat

        now = timezone.now()
        if first:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker,
                defaults={
                    "host": this_host(),
                    "pid": os.getpid(),
                    "started_at": now,
                    "seen_at": now,
                },
            )
        else:
            WorkerHeartbeat.objects.filter(worker_id=self.worker).update(seen_at=now)

    def start(self) -> None:
        self.beat(first=True)
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        interval = _setting("WORKER_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)
        recovery_every = _setting("WORKER_RECOVERY_SECONDS", RECOVERY_SECONDS)
        last_recovery = time.monotonic()
        try:
            while not self._stopped.wait(interval):
                try:
                    close_old_connections()
                    self.beat()
                    if time.monotonic() - last_recovery >= recovery_every:
                        last_recovery = time.monotonic()
                        if any(recover().values()):
                            resume()
                except Exception:
                    logger.warning("Worker heartbeat failed; trying again", exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        from core.models import WorkerHeartbeat

        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        try:
            released = release_claims_of(self.worker)
            if any(released.values()):
                logger.warning("Stopped with e-mails in hand, marked uncertain: %s", released)
            if requeue_unstarted_tasks_of(self.worker):
                logger.info("Stopped before starting a claimed task; it is queued again")
            WorkerHeartbeat.objects.filter(worker_id=self.worker).delete()
            logger.info("Worker %s signed off", self.worker)
        except Exception:
            logger.warning("Worker %s could not sign off", self.worker, exc_info=True)
