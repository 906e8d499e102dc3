"""Delete consultation requests closed longer ago than CONTACT_RETENTION_DAYS (about 6 months).

The consent text promises it; `run_daily_jobs` runs this once a day.
"""

from django.core.management.base import BaseCommand

from contact.models import retention_days
from contact.services import consultation_requests_purge


class Command(BaseCommand):
    help = "Delete consultation requests closed longer ago than CONTACT_RETENTION_DAYS."

    def handle(self, *args, **options):
        count = consultation_requests_purge()
        days = retention_days()
        self.stdout.write(f"{count} consultation request(s) deleted (closed over {days} days ago).")
