"""Rows of finished background tasks: deleted after a short time, and covered by privacy requests.

Our tasks carry row ids only (core/mail.py, newsletter/sending.py) and catch what a mail server
answers, so a task row holds no address of ours. What can still hold one: rows queued before
e-mails were built from ids, and the traceback of a task that failed unexpectedly. The daily
`purge_finished_tasks` deletes finished rows after TASK_ROWS_KEEP_DAYS (successful) and
TASK_ROWS_KEEP_FAILED_DAYS (failed), and the privacy part below finds any row that names an
address, lists it in the export and deletes it on erasure.
"""

from datetime import datetime, timedelta

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import ngettext
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def task_rows_purge(
    *, successful_after: timedelta, failed_after: timedelta, now: datetime | None = None
) -> int:
    """Delete task rows finished longer ago than `successful_after` / `failed_after`."""
    now = now or timezone.now()
    old = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - successful_after)
        | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - failed_after)
    )
    return old.delete()[0]


def _rows_naming(email: str):
    email = (email or "").strip()
    if "@" not in email:
        return DBTaskResult.objects.none()
    return DBTaskResult.objects.alias(
        arguments_text=Cast("args_kwargs", TextField()),
        result_text=Cast("return_value", TextField()),
    ).filter(
        Q(arguments_text__icontains=email)
        | Q(result_text__icontains=email)
        | Q(traceback__icontains=email)
    )


def task_rows_personal_data(email: str) -> list[dict]:
    """Background tasks whose arguments, result or error name `email` (DSGVO Art. 15)."""
    return [
        {
            "task": row.task_path,
            "status": row.status,
            "enqueued_at": row.enqueued_at.isoformat() if row.enqueued_at else None,
            "finished_at": row.finished_at.isoformat() if row.finished_at else None,
            "arguments": row.args_kwargs,
            "error": row.traceback,
        }
        for row in _rows_naming(email).order_by("enqueued_at")
    ]


def task_rows_erase(email: str) -> int:
    """Delete the task rows that name `email`, except one a worker is running this moment."""
    rows = _rows_naming(email).exclude(status=TaskResultStatus.RUNNING)
    return rows.delete()[0]


def task_rows_erased_text(count: int) -> str:
    """What task_rows_erase() did, in words."""
    return ngettext(
        "%(count)d record of a background task deleted",
        "%(count)d records of background tasks deleted",
        count,
    ) % {"count": count}
