"""Erase one e-mail address (DSGVO Art. 17, right to erasure).

Every app's registered part erases what it keeps (core/privacy.py): newsletter subscriptions are
deleted with the record of what was sent to them; comments are anonymised (name, e-mail,
website, IP address removed) so that the discussion stays readable.

    python manage.py erase_personal_data anna@example.de            # asks before erasing
    python manage.py erase_personal_data anna@example.de --noinput  # for scripts
"""

from django.core.management.base import BaseCommand, CommandError

from core.privacy import personal_data_erase, personal_data_export, personal_data_found


class Command(BaseCommand):
    help = "Erase everything stored about an e-mail address (all registered parts)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do not ask for confirmation.",
        )  # fmt: skip

    def handle(self, *args, email, interactive=True, **options):
        found = personal_data_found(personal_data_export(email))
        if not any(found.values()):
            self.stdout.write(f"Nothing is stored about {email}.")
            return
        if interactive:
            listed = ", ".join(f"{key}: {count}" for key, count in found.items())
            answer = input(f"Erase {email} ({listed}). Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing erased.")
        result = personal_data_erase(email)
        listed = ", ".join(f"{key.replace('_', ' ')}: {count}" for key, count in result.items())
        self.stdout.write(f"{email} erased ({listed}).")
