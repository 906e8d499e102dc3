"""The daily jobs, safe to start on every app server: each runs on one of them per day.

From a systemd timer (deploy/feelmove-daily.timer) or cron, on every server, for example:

    15 3 * * *  cd /srv/feelmove && .venv/bin/python manage.py run_daily_jobs

Each job is claimed in the database before it runs (core/jobs.py); a server that finds it
claimed within the last 20 hours skips it. A job that fails gives its claim back and the command
ends with an error, so the next start (here or elsewhere) runs it again.
"""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.jobs import DAILY, job_once

# (command, arguments, why)
DAILY_JOBS = [
    ("anonymise_comment_ips", [], "IP addresses of comments older than 30 days"),
    ("purge_unconfirmed_subscribers", [], "signups not confirmed within 30 days"),
    ("purge_finished_tasks", [], "records of finished background tasks and e-mails"),
    ("purge_rate_limits", [], "rate-limit counters (IP addresses) over a day old"),
    ("purge_data_requests", [], "requests for “My data” (addresses) after two days"),
    ("purge_contact_requests", [], "consultation requests closed over 6 months ago"),
]


class Command(BaseCommand):
    help = "Run the daily jobs; on several servers at once, each job runs on one of them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run every job now, even if another server ran it within the last 20 hours.",
        )

    def handle(self, *args, force, **options):
        failed = []
        for command, arguments, why in DAILY_JOBS:
            every = timedelta(0) if force else DAILY
            try:
                with job_once(name=command, every=every) as run:
                    if run is None:
                        last = self._last_claim(command)
                        self.stdout.write(f"{command}: skipped, {last}")
                        continue
                    output = StringIO()
                    call_command(command, *arguments, stdout=output)
                    self.stdout.write(f"{command} ({why}): {output.getvalue().strip() or 'done'}")
            except Exception as error:  # noqa: BLE001 - reported, the other jobs still run
                failed.append(command)
                self.stderr.write(f"{command}: FAILED: {type(error).__name__}: {error}")
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)}; they run again at the next start.")

    def _last_claim(self, name: str) -> str:
        from core.models import JobRun

        run = JobRun.objects.get(name=name)
        started = timezone.localtime(run.started_at)
        where = f" on {run.host}" if run.host else ""
        return f"started {started:%Y-%m-%d %H:%M}{where}"
