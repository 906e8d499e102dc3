"""Task rows: ids only, finished ones deleted by the daily job, and covered by export and erase."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import privacy
from core.models import OutgoingEmail
from tests.comments.factories import ArticleFactory, CommentFactory, comment_post_data
from tests.newsletter.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def task_row(*, status, finished_days_ago=None, kwargs=None, traceback=""):
    now = timezone.now()
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": kwargs or {"email_id": 1}},
        task_path="core.mail.send_email_task",
        backend_name="default",
        run_after=now,
        status=status,
        finished_at=None if finished_days_ago is None else now - timedelta(days=finished_days_ago),
        exception_class_path="",
        traceback=traceback,
    )


def email_row(*, status, finished_days_ago):
    return OutgoingEmail.objects.create(
        builder="core.tests.nothing",
        status=status,
        finished_at=timezone.now() - timedelta(days=finished_days_ago),
    )


def test_the_daily_job_deletes_finished_rows_after_a_week_and_failed_ones_after_a_month():
    done = TaskResultStatus.SUCCESSFUL
    failed = TaskResultStatus.FAILED
    kept_tasks = [
        task_row(status=done, finished_days_ago=6),
        task_row(status=failed, finished_days_ago=29),
        task_row(status=TaskResultStatus.READY),
        task_row(status=TaskResultStatus.RUNNING),
    ]
    task_row(status=done, finished_days_ago=8)
    task_row(status=failed, finished_days_ago=31)
    kept_emails = [
        email_row(status=OutgoingEmail.Status.SENT, finished_days_ago=6),
        email_row(status=OutgoingEmail.Status.FAILED, finished_days_ago=29),
        email_row(status=OutgoingEmail.Status.UNCLEAR, finished_days_ago=29),
    ]
    email_row(status=OutgoingEmail.Status.SENT, finished_days_ago=8)
    email_row(status=OutgoingEmail.Status.SKIPPED, finished_days_ago=8)
    email_row(status=OutgoingEmail.Status.FAILED, finished_days_ago=31)

    out = StringIO()
    call_command("purge_finished_tasks", stdout=out)
    assert "Deleted 2 task row(s) and 3 e-mail row(s)." in out.getvalue()
    assert set(DBTaskResult.objects.all()) == set(kept_tasks)
    assert set(OutgoingEmail.objects.all()) == set(kept_emails)


def test_the_daily_job_is_documented_with_the_other_cron_lines():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "manage.py purge_finished_tasks" in readme
    assert "manage.py send_queued_emails" in readme


def test_a_task_row_that_names_an_address_is_exported_and_erased_with_the_rest():
    old_style = task_row(
        status=TaskResultStatus.READY,
        kwargs={"to": ["Anna@Example.de"], "subject": "Bitte bestätigen"},
    )
    failed = task_row(
        status=TaskResultStatus.FAILED,
        finished_days_ago=1,
        traceback="SMTPRecipientsRefused: {'anna@example.de': (550, b'no mailbox')}",
    )
    running = task_row(status=TaskResultStatus.RUNNING, kwargs={"to": ["anna@example.de"]})
    other = task_row(status=TaskResultStatus.FAILED, finished_days_ago=1, traceback="b@x.de")
    ids_only = task_row(status=TaskResultStatus.SUCCESSFUL, finished_days_ago=1)

    exported = privacy.personal_data_export("anna@example.de")["background_tasks"]
    assert len(exported) == 3
    assert {"task", "status", "enqueued_at", "finished_at", "arguments", "error"} <= set(
        exported[0]
    )

    result = privacy.personal_data_erase("anna@example.de")
    assert result["background_tasks_deleted"] == 2
    # The one a worker runs this moment is left to finish; the purge takes it later.
    assert set(DBTaskResult.objects.all()) == {running, other, ids_only}
    assert not DBTaskResult.objects.filter(pk__in=[old_style.pk, failed.pk]).exists()


def test_what_a_visitor_does_leaves_no_address_in_any_task_or_email_row(settings, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.RATE_LIMITS = False
    article = ArticleFactory(slug="faszien")
    parent = CommentFactory(article=article, email="anna@example.de", notify_replies=True)
    SubscriberFactory(email="lena@example.de", confirmed=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/newsletter/", {"email": "maria@example.org", "consent": "on"})
        client.post(
            f"/blog/{article.slug}/kommentieren/",
            comment_post_data(article, notify_replies="on", parent=str(parent.pk)),
        )
    assert DBTaskResult.objects.count() >= 3
    stored = "".join(str(row.args_kwargs) for row in DBTaskResult.objects.all())
    stored += "".join(str(row.arguments) for row in OutgoingEmail.objects.all())
    assert "@" not in stored
    assert privacy.personal_data_export("maria@example.org")["background_tasks"] == []
