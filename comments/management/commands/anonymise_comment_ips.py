"""Forget the IP address (and browser) stored with comments older than 30 days.

IP addresses are kept only to handle abuse. Run this once a day, for example from cron:

    17 3 * * * cd /srv/feelmove && .venv/bin/python manage.py anonymise_comment_ips

(with the same environment variables as the site, e.g. DATABASE_URL and SECRET_KEY).
"""

from django.core.management.base import BaseCommand

from comments.services import comment_ips_anonymise


class Command(BaseCommand):
    help = "Set the IP address of comments older than 30 days to NULL (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=30,
            help="Anonymise comments older than this many days (default: 30).",
        )

    def handle(self, *args, days, **options):
        count = comment_ips_anonymise(older_than_days=days)
        self.stdout.write(f"{count} comment(s) anonymised (older than {days} days).")
