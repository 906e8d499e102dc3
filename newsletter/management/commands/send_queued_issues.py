"""Wake the worker for every newsletter issue that is still being sent.

A safety net: a worker that starts goes on with interrupted issues by itself, and with the
database task backend retries of failed deliveries are deferred tasks. Needed when the task
backend cannot schedule retries itself (immediate). Deliveries already sent are never sent again,
so running it too often does no harm. From cron, for example every ten minutes:

    */10 * * * *  cd /srv/feelmove && .venv/bin/python manage.py send_queued_issues
"""

from django.core.management.base import BaseCommand

from newsletter.sending import issues_resume_sending


class Command(BaseCommand):
    help = "Queue the sending of every issue still in status 'sending' again (safe to repeat)."

    def handle(self, *args, **options):
        issue_ids = issues_resume_sending()
        self.stdout.write(f"{len(issue_ids)} issue(s) queued for sending.")
