"""Back the whole site up into one file: database rows, public media, the private guide files.

    python manage.py backup_site --output /var/backups/feelmove/feelmove-$(date +%F).tar.gz

Safe while the site runs (the rows come from one read-only snapshot). See feelmove/backup.py
for what the archive holds, and README.md for restoring it.
"""

from django.core.management.base import BaseCommand, CommandError

from feelmove import backup


class Command(BaseCommand):
    help = (
        "Write a backup of the database, the public media and the private files into one "
        "archive (.tar.gz) with a manifest of counts and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, metavar="FILE", help="Where to write the archive."
        )

    def handle(self, *args, output, **options):
        try:
            summary = backup.backup_site(output)
        except (backup.BackupError, *backup.STORAGE_ERRORS) as error:
            raise CommandError(f"The backup failed, no archive was written: {error}") from error
        self.stdout.write(f"Backup written to {output}: " + ", ".join(backup.describe(summary)))
