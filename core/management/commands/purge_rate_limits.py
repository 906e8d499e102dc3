"""Forget the rate-limit counters (which name IP addresses) of windows over a day old.

Without Redis the rate limits count in the database, one row per IP address and time window.
Run this once a day, for example from cron:

    50 3 * * * cd /srv/feelmove && .venv/bin/python manage.py purge_rate_limits

(with the same environment variables as the site). With Redis the counters expire by themselves;
the command then finds nothing to delete.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from core.ratelimit import rate_limits_purge


class Command(BaseCommand):
    help = "Delete rate-limit counters (IP addresses) older than a day (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=24,
            help="Delete counters of windows that started more than this many hours ago "
            "(default: 24; at least 2, so no limit still counting is cut short).",
        )

    def handle(self, *args, hours, **options):
        hours = max(hours, 2)
        count = rate_limits_purge(older_than=timedelta(hours=hours))
        self.stdout.write(f"{count} rate-limit counter(s) deleted (older than {hours} hours).")
