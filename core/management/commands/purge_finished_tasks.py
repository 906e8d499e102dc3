"""Delete the records of finished background work after a short time (a daily job).

Finished task rows of django-tasks-db (successful after 7 days, failed after 30) and the rows of
e-mails (sent or skipped after 7 days; failed or uncertain ones, which the author sees in the
admin, after 30). Neither holds an address (core/taskrows.py), but nothing is kept longer than it
is useful. Cron, daily:

    45 3 * * *  cd /srv/feelmove && .venv/bin/python manage.py purge_finished_tasks
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from core.mail import emails_purge_finished
from core.taskrows import task_rows_purge


class Command(BaseCommand):
    help = "Delete finished task rows and e-mail rows: done ones after 7 days, failed after 30."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=getattr(settings, "TASK_ROWS_KEEP_DAYS", 7),
            help="Keep successful tasks and sent e-mails this many days (default: 7).",
        )
        parser.add_argument(
            "--failed-days",
            type=int,
            default=getattr(settings, "TASK_ROWS_KEEP_FAILED_DAYS", 30),
            help="Keep failed tasks and failed or uncertain e-mails this many days (default: 30).",
        )

    def handle(self, *args, days, failed_days, **options):
        done, failed = timedelta(days=max(days, 0)), timedelta(days=max(failed_days, 0))
        tasks = task_rows_purge(successful_after=done, failed_after=failed)
        emails = emails_purge_finished(delivered_after=done, failed_after=failed)
        self.stdout.write(f"Deleted {tasks} task row(s) and {emails} e-mail row(s).")
