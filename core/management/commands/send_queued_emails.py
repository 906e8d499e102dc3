"""Send every e-mail whose (next) attempt is due.

With the worker (TASKS_BACKEND=database) retries are deferred tasks and a restarted worker sends
what is due by itself, so this is only a safety net there. The immediate backend cannot wait for a
retry: then this command sends them. Nothing sent is sent again, so running it often does no
harm. From cron, for example every ten minutes:

    */10 * * * *  cd /srv/feelmove && .venv/bin/python manage.py send_queued_emails
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from core.mail import emails_send_due


class Command(BaseCommand):
    help = "Send (or queue for the worker) every e-mail whose next attempt is due; safe to repeat."

    def handle(self, *args, **options):
        # A minute's grace: the worker's own deferred task for a retry comes first.
        count = emails_send_due(grace=timedelta(minutes=1))
        self.stdout.write(f"{count} e-mail(s) due.")
