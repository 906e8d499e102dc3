"""Restore a backup of backup_site into an empty site (any database, any media storage).

    DATABASE_URL=postgres://... python manage.py migrate
    DATABASE_URL=postgres://... python manage.py restore_site feelmove-2026-11-30.tar.gz

The archive is checked completely first; a damaged one, a database with rows or a storage with
files is refused and nothing is changed.
"""

from django.core.management.base import BaseCommand, CommandError

from feelmove import backup


class Command(BaseCommand):
    help = "Restore a backup made by backup_site into an empty, migrated database and storage."

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="FILE", help="The archive backup_site wrote.")

    def handle(self, *args, archive, **options):
        try:
            summary = backup.restore_site(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        except backup.STORAGE_ERRORS as error:
            raise CommandError(
                f"The restore failed and was undone (no rows, no files written): {error}"
            ) from error
        self.stdout.write(f"Restored {archive}: " + ", ".join(backup.describe(summary)))
