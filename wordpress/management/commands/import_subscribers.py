"""Take the newsletter list over: `manage.py import_subscribers FILE.csv --format mailchimp`.

See wordpress/subscribers.py for the rules and the README ("Von WordPress umziehen") for the
steps. Nothing is ever mailed by this command.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wordpress.subscribers import SubscriberFileError, import_subscribers


class Command(BaseCommand):
    help = (
        "Import newsletter subscribers from a Mailchimp audience export or a CSV file, with "
        "their proof of consent. Sends no e-mail. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument(
            "--format",
            choices=["mailchimp", "generic"],
            required=True,
            help="mailchimp: an audience export; generic: columns email, first_name, status, "
            "consent_at, consent_ip, confirmed_at, confirmed_ip.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but save nothing."
        )
        parser.add_argument(
            "--without-proof",
            choices=["skip", "pending"],
            default="skip",
            help="Rows without a complete double opt-in proof: leave them out (default), or "
            "store them as pending, which are never mailed.",
        )

    def handle(self, *args, **options):
        try:
            report = import_subscribers(
                options["file"],
                file_format=options["format"],
                dry_run=options["dry_run"],
                without_proof=options["without_proof"],
            )
        except SubscriberFileError as problem:
            raise CommandError(
                f"{problem.message}\n" + _("Nothing was imported; the database is unchanged.")
            ) from problem
        self.stdout.write(report.render())
