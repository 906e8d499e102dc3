"""The e-mail with a log-in code, built from templates/twofactor/email/."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.mail import build_email, email_builder
from twofactor.models import CODE_VALIDITY, EmailCodeDevice


@email_builder
def login_code_email(*, device_id: int):
    """A new log-in code for the staff member; the code is made here, when the e-mail is built.

    So a code is never in a queue or a task row, and a second build (a retry) sends a new code
    that replaces the first.
    """
    device = EmailCodeDevice.objects.select_related("user").filter(pk=device_id).first()
    if device is None or not device.user.email:
        return None
    code = device.issue_code()
    context = {
        "first_name": device.user.first_name,
        "code": code,
        "minutes": int(CODE_VALIDITY.total_seconds() // 60),
        "when": date_format(timezone.localtime(device.sent_at), "j. F Y, H:i"),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    return build_email(
        subject=_("Your log-in code for %(site)s: %(code)s")
        % {"site": settings.SITE_NAME, "code": code},
        body=render_to_string("twofactor/email/login_code.txt", context),
        to=[device.user.email],
    )
