"""Give the demo author account a password and say how she logs in (`make run`)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.loaders.site import ensure_author
from feelmove.logins import ensure_password

PASSWORD_FILE = Path(settings.BASE_DIR) / ".author-password"


class Command(BaseCommand):
    help = (
        "Make sure the demo author account (group Autorin) exists and can log in: a generated "
        "password kept in .author-password, never one she chose herself."
    )

    def handle(self, *args, **options):
        user = ensure_author()
        login = ensure_password(user, password_file=PASSWORD_FILE)
        text = login.describe("Author (group Autorin)")
        self.stdout.write(text if login.password is None else self.style.SUCCESS(text))
