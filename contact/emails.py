"""The e-mails about consultation requests, built from the database when the worker sends them.

- to the author (settings.AUTHOR_EMAIL, where comment notices go too), with reply-to the visitor:
  answering the mail answers her;
- to the visitor, a short confirmation that the request arrived. It repeats nothing she typed
  (so nobody can use the form to send text to someone else's inbox) and advertises nothing.

contact.services queues them with core.mail.send_email_later(builder, request_id=...).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contact.models import ConsultationRequest, retention_period
from core.mail import absolute_url, build_email, email_builder


def _load(request_id: int) -> ConsultationRequest | None:
    return ConsultationRequest.objects.select_related("topic").filter(pk=request_id).first()


@email_builder(label=gettext_lazy("New consultation request (to you)"))
def request_notice(*, request_id: int):
    """Tell the author about a new request; her answer goes straight to the visitor."""
    consultation = _load(request_id)
    if consultation is None:
        return None  # deleted or erased since it was queued
    context = {
        "consultation": consultation,
        "received": timezone.localtime(consultation.created_at),
        "admin_url": absolute_url(consultation.get_admin_url()),
    }
    if consultation.topic:
        subject = _("Consultation request from %(name)s: %(topic)s") % {
            "name": consultation.name,
            "topic": consultation.topic.name,
        }
    else:
        subject = _("Consultation request from %(name)s") % {"name": consultation.name}
    return build_email(
        subject=subject,
        body=render_to_string("contact/email/request_notice.txt", context),
        to=[settings.AUTHOR_EMAIL],
        reply_to=[consultation.email],
    )


@email_builder(label=gettext_lazy("Confirmation of a consultation request"))
def request_confirmation(*, request_id: int):
    """Tell the visitor that her request arrived and what happens next."""
    consultation = _load(request_id)
    if consultation is None:
        return None
    context = {
        "topic": consultation.topic.name if consultation.topic else "",
        "retention": retention_period(),
        "privacy_url": absolute_url("/datenschutz/"),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "impressum": settings.IMPRESSUM_TEXT,
    }
    return build_email(
        subject=_("Your request to %(site)s has arrived") % {"site": settings.SITE_NAME},
        body=render_to_string("contact/email/request_confirmation.txt", context),
        to=[consultation.email],
    )
