"""Move a WordPress site in: `manage.py import_wordpress EXPORT.xml [options]`.

See the README, section "Von WordPress umziehen", for the whole move step by step.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wordpress.importer import ImportOptions, ImportStopped, import_wordpress
from wordpress.wxr import MAX_FILE_BYTES, WXRError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR, Tools → Export → All content): articles, pages, files, "
        "comments; old addresses redirect with 301. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The export file (.xml) from WordPress.")
        parser.add_argument(
            "--uploads",
            type=Path,
            help="A copy of the old site's wp-content/uploads folder.",
        )
        parser.add_argument(
            "--media-base-url",
            help="Fetch files missing from --uploads from here, e.g. "
            "https://example.de/wp-content/uploads/",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and print the report, but save nothing.",
        )
        parser.add_argument(
            "--author",
            help="Give every article to this existing user instead of matching WordPress authors.",
        )
        parser.add_argument(
            "--category-base",
            default="category",
            help="The old category address prefix (WordPress: Settings → Permalinks; "
            "default: category).",
        )
        parser.add_argument(
            "--tag-base",
            default="tag",
            help="The old tag address prefix (default: tag).",
        )
        parser.add_argument(
            "--max-size",
            type=int,
            default=MAX_FILE_BYTES // (1024 * 1024),
            help="Refuse export files larger than this many MB (default: %(default)s).",
        )

    def handle(self, *args, **options):
        run = ImportOptions(
            path=Path(options["export"]),
            uploads=options["uploads"],
            media_base_url=options["media_base_url"],
            dry_run=options["dry_run"],
            author=options["author"],
            max_bytes=options["max_size"] * 1024 * 1024,
            category_base=options["category_base"],
            tag_base=options["tag_base"],
            progress=self._progress if options["verbosity"] >= 1 else None,
        )
        try:
            report = import_wordpress(run)
        except (WXRError, ImportStopped) as problem:
            raise CommandError(
                f"{problem.message}\n" + _("Nothing was imported; the database is unchanged.")
            ) from problem
        self.stdout.write(report.render())

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
