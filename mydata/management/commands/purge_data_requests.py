"""Delete the requests for "Meine Daten" (which name an address) once their link has expired.

Part of run_daily_jobs; by hand:

    python manage.py purge_data_requests
"""

from django.core.management.base import BaseCommand

from mydata.services import REQUEST_RETENTION, data_requests_purge


class Command(BaseCommand):
    help = "Delete requests for the “My data” page older than two days (run daily)."

    def handle(self, *args, **options):
        count = data_requests_purge()
        self.stdout.write(
            f"{count} request(s) for “My data” deleted (older than {REQUEST_RETENTION})."
        )
