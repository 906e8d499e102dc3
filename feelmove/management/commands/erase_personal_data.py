"""Erase one e-mail address (DSGVO Art. 17, right to erasure).

Newsletter subscriptions are deleted with the record of what was sent to them; comments are
anonymised (name, e-mail, website, IP address removed) so that the discussion stays readable.

    python manage.py erase_personal_data anna@example.de            # asks before erasing
    python manage.py erase_personal_data anna@example.de --noinput  # for scripts
"""

from django.core.management.base import BaseCommand, CommandError

from feelmove.privacy import personal_data_erase, personal_data_export


class Command(BaseCommand):
    help = "Erase an e-mail address: subscriptions removed, comments anonymised."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do not ask for confirmation.",
        )  # fmt: skip

    def handle(self, *args, email, interactive=True, **options):
        found = personal_data_export(email)
        subscriptions = len(found["newsletter_subscriptions"])
        comments = len(found["comments"])
        if not subscriptions and not comments:
            self.stdout.write(f"Nothing is stored about {email}.")
            return
        if interactive:
            answer = input(
                f"Erase {email}: {subscriptions} subscription(s) removed, {comments} comment(s) "
                "anonymised. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing erased.")
        result = personal_data_erase(email)
        self.stdout.write(
            f"{email} erased: {result['subscriptions_removed']} subscription(s) removed, "
            f"{result['comments_anonymised']} comment(s) anonymised."
        )
