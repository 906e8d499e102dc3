"""Make sure the admin account `admin` exists and say how to log in."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

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

        password = os.environ.get("ADMIN_PASSWORD", "")
        source = "ADMIN_PASSWORD"
        if password:
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
        else:
            remembered = PASSWORD_FILE.read_text().strip() if PASSWORD_FILE.exists() else ""
            if remembered and user.check_password(remembered):
                password, source = remembered, str(PASSWORD_FILE.name)
            elif user.has_usable_password():
                # Someone chose a password (in the admin or with createsuperuser): keep it.
                self.stdout.write("Admin login: user 'admin' (password unchanged).")
                return
            else:
                password, source = secrets.token_urlsafe(12), "generated"
                user.set_password(password)
                user.save(update_fields=["password"])
                PASSWORD_FILE.write_text(password + "\n")
                PASSWORD_FILE.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(f"Admin login: user 'admin', password '{password}' ({source}).")
        )
