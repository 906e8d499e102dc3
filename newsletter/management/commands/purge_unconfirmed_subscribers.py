"""Delete newsletter signups that were never confirmed within 30 days (data minimisation).

Run it once a day from cron, for example at 03:15:

    15 3 * * *  cd /srv/feelmove && .venv/bin/python manage.py purge_unconfirmed_subscribers

Confirmed and unsubscribed addresses are kept: their rows are the proof of consent and the
record that someone left the list.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from newsletter.services import UNCONFIRMED_RETENTION, subscribers_purge_unconfirmed


class Command(BaseCommand):
    help = "Delete newsletter signups never confirmed within 30 days (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=UNCONFIRMED_RETENTION.days,
            help="Delete pending signups older than this many days (default: 30).",
        )

    def handle(self, *args, days, **options):
        if days < 1:
            self.stderr.write("--days must be at least 1.")
            return
        deleted = subscribers_purge_unconfirmed(older_than=timedelta(days=days))
        self.stdout.write(f"{deleted} unconfirmed signup(s) older than {days} days deleted.")
