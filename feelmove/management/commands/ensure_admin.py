"""Make sure the admin account `admin` exists and say how to log in."""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from feelmove.logins import ensure_password

PASSWORD_FILE = Path(settings.BASE_DIR) / ".admin-password"


class Command(BaseCommand):
    help = "Create or update the superuser `admin` (password from ADMIN_PASSWORD or generated)."

    def handle(self, *args, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username="admin",
            defaults={"first_name": "Jana", "last_name": "Berger", "email": settings.AUTHOR_EMAIL},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not (user.is_staff and user.is_superuser and user.is_active):
            user.is_staff = user.is_superuser = user.is_active = True
            user.save(update_fields=["is_staff", "is_superuser", "is_active"])

        login = ensure_password(
            user,
            password_file=PASSWORD_FILE,
            from_environment=os.environ.get("ADMIN_PASSWORD", ""),
            env_name="ADMIN_PASSWORD",
        )
        text = login.describe("Admin")
        self.stdout.write(text if login.password is None else self.style.SUCCESS(text))
