"""When a staff member has lost her phone and her recovery codes: back to codes by e-mail.

    python manage.py reset_second_factor jana

removes her authenticator app, her recovery codes and every browser she trusted; at the next
log-in she gets a code by e-mail to the address of her account.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from twofactor.services import second_factor_reset


class Command(BaseCommand):
    help = "Remove a staff member's authenticator app, recovery codes and trusted browsers."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        second_factor_reset(user=user)
        address = user.email or "(none: add one in the admin, or she cannot log in)"
        self.stdout.write(
            f"{username}: app, recovery codes and trusted browsers removed; "
            f"log-in codes go to {address}."
        )
