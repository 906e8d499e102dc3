"""Export everything stored about one e-mail address as JSON (DSGVO Art. 15, right of access).

python manage.py export_personal_data anna@example.de > anna.json
python manage.py export_personal_data anna@example.de --output anna.json
"""

from django.core.management.base import BaseCommand

from core.privacy import personal_data_export, personal_data_json


class Command(BaseCommand):
    help = "Export everything stored about one e-mail address as JSON."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", "-o", help="Write to this file instead of the screen.")

    def handle(self, *args, email, output=None, **options):
        text = personal_data_json(personal_data_export(email))
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Personal data of {email} written to {output}.")
        else:
            self.stdout.write(text)
