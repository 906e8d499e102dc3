"""Fill an empty database with the demo site; run again, it changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from demo.content import DemoContentError
from demo.loaders import load_content, read_content


class Command(BaseCommand):
    help = "Load the demo site (pages, articles, comments, guide, subscribers). Idempotent."

    def handle(self, *args, **options):
        # Every file is read and checked first: a broken one stops the load before any write.
        try:
            content = read_content()
        except DemoContentError as error:
            raise CommandError(f"Demo content not loaded: {error}") from error
        load_content(content, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
