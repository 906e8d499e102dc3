"""Workflows that write consultation requests: submitting, answering, closing, deleting, privacy.

The view, the admin, the daily job and the personal-data export and erasure all call these.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contact import emails
from contact.models import ConsultationRequest, Topic, retention_cutoff
from core.antispam import form_token_spend, submission_fingerprint, submission_rate_limited
from core.mail import send_email_later
from core.ratelimit import valid_ip


class RequestRejected(Exception):
    """A request that is not stored; `message` tells the visitor why, in her language."""

    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def _rate_limited(ip: str | None) -> bool:
    limit = int(getattr(settings, "CONTACT_RATE_LIMIT", 5))
    period = int(getattr(settings, "CONTACT_RATE_PERIOD", 3600))
    return submission_rate_limited(scope="contact", ip=ip, limit=limit, period=period)


def request_fingerprint(*, email: str, message: str) -> str:
    """Same address, same words (ignoring case and spacing): the same request."""
    return submission_fingerprint(scope="contact", email=email, text=message)


def consultation_request_submit(
    *,
    name: str,
    email: str,
    phone: str,
    topic: Topic | None,
    message: str,
    consent_text: str,
    ip: str | None,
    form_token: str = "",
    now=None,
) -> ConsultationRequest:
    """Store a visitor's request, tell the author (reply-to the visitor) and confirm to her.

    Raises RequestRejected when the sender is over the rate limit, sent the same request
    before, or `form_token` (the form's `ts`, if given) was already used for a request. The IP
    address only counts towards the rate limit; it is not stored.
    """
    name = " ".join(name.split())  # one line: it goes into a mail subject
    email = email.strip()
    phone = " ".join(phone.split())
    if _rate_limited(valid_ip(ip)):
        raise RequestRejected(
            _(
                "You have sent several requests in a short time. Please wait a while and "
                "send your request again."
            ),
            code="rate_limited",
        )
    fingerprint = request_fingerprint(email=email, message=message)
    duplicate = RequestRejected(
        _("You have already sent this request. I will get back to you soon."),
        code="duplicate",
    )
    if ConsultationRequest.objects.filter(fingerprint=fingerprint).exists():
        raise duplicate
    try:
        with transaction.atomic():
            consultation = ConsultationRequest.objects.create(
                name=name,
                email=email,
                phone=phone,
                topic=topic,
                message=message,
                consent_text=consent_text,
                created_at=now or timezone.now(),
                fingerprint=fingerprint,
            )
            if form_token and not form_token_spend(form_token):
                raise RequestRejected(
                    _(
                        "A request was already sent with this form. Your text is still here: "
                        "please send it again if you meant a new one."
                    ),
                    code="token_spent",
                )
            send_email_later(emails.request_notice, request_id=consultation.pk)
            send_email_later(emails.request_confirmation, request_id=consultation.pk)
    except IntegrityError:
        # The same request arrived twice at the same moment; the first one won.
        raise duplicate from None
    return consultation


def consultation_request_set_status(
    *, consultation: ConsultationRequest, status: str, now=None
) -> bool:
    """Mark a request as new, answered or closed; whether anything changed."""
    if consultation.status == status:
        return False
    consultation.set_status(status, now=now)
    consultation.save(update_fields=["status", "answered_at", "closed_at"])
    return True


def consultation_requests_purge(*, now=None) -> int:
    """Delete the requests closed longer ago than CONTACT_RETENTION_DAYS; how many."""
    deleted, _per_model = ConsultationRequest.objects.closed_before(
        retention_cutoff(now=now)
    ).delete()
    return deleted


# Privacy ---------------------------------------------------------------------------------------


def consultation_requests_for_email(email: str) -> list[dict]:
    """Everything stored about the requests sent with `email` (DSGVO Art. 15)."""
    if not (email or "").strip():
        return []
    requests = ConsultationRequest.objects.for_email(email).select_related("topic")
    return [
        {
            "id": consultation.pk,
            "name": consultation.name,
            "email": consultation.email,
            "phone": consultation.phone,
            "topic": consultation.topic.name if consultation.topic else "",
            "message": consultation.message,
            "consent_text": consultation.consent_text,
            "status": consultation.status,
            "note": consultation.note,
            "created_at": consultation.created_at.isoformat(),
            "answered_at": consultation.answered_at.isoformat()
            if consultation.answered_at
            else None,
            "closed_at": consultation.closed_at.isoformat() if consultation.closed_at else None,
        }
        for consultation in requests.order_by("created_at", "pk")
    ]


def consultation_requests_erase_for_email(email: str) -> int:
    """Delete the requests sent with `email` (DSGVO Art. 17); how many."""
    if not (email or "").strip():
        return 0
    deleted, _per_model = ConsultationRequest.objects.for_email(email).delete()
    return deleted
