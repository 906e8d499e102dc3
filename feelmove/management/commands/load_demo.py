"""Fill an empty database with the demo site; run again, it changes nothing."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from feelmove import demo

# Each app that has demo content provides `<app>.demo.load(*, author, stdout)`, which creates
# only what is missing (looked up by natural keys) and never changes existing rows.
APP_LOADERS = ["blog.demo", "comments.demo", "newsletter.demo"]


class Command(BaseCommand):
    help = "Load the demo site (pages, articles, comments, subscribers). Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            author = demo.ensure_author()
            demo.load_pages(stdout=self.stdout)
            for module_name in APP_LOADERS:
                try:
                    module = import_module(module_name)
                except ModuleNotFoundError as error:
                    if error.name != module_name:
                        raise
                    continue
                module.load(author=author, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
