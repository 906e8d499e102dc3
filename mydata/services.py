"""The workflows of "Meine Daten": ask for the link, unsubscribe from everything, erase.

What is stored, and how it is erased, is core.privacy's business (each app registers its part),
so this page, the admin and the commands export and erase alike.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import privacy
from core.mail import send_email_later
from core.ratelimit import rate_limit_hit
from mydata import emails
from mydata.models import DataRequest
from mydata.tokens import LINK_MAX_AGE

# Forms per IP address and hour, and links per address and hour: enough for a person who
# mistyped, too few to flood someone's inbox.
REQUESTS_PER_IP = 10
REQUESTS_PER_ADDRESS = 3
REQUEST_PERIOD = 3600
# Requests are kept a little longer than their link is valid, then purged daily.
REQUEST_RETENTION = LINK_MAX_AGE + timedelta(days=1)


class DataRequestRejected(Exception):
    """A request that is not acted on; `message` tells the visitor why, in her language."""

    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def _address_key(email: str) -> str:
    # The counter's key must not name the address: a keyed hash of it instead.
    digest = hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()
    return f"mydata:address:{digest[:32]}"


def data_request_create(*, email: str, ip: str | None, now=None) -> DataRequest:
    """Record the request and queue the e-mail with the link; the same work for every address.

    Whether anything is stored about the address is decided when the e-mail is built (in the
    worker), so neither the answer nor the time it takes tells whether the address is known.
    Raises DataRequestRejected when the connection or the address is over its rate limit.
    """
    over_ip = rate_limit_hit(
        key=f"mydata:ip:{ip or 'unknown'}", limit=REQUESTS_PER_IP, period=REQUEST_PERIOD
    )
    over_address = rate_limit_hit(
        key=_address_key(email), limit=REQUESTS_PER_ADDRESS, period=REQUEST_PERIOD
    )
    if over_ip or over_address:
        raise DataRequestRejected(
            _("Too many requests in a short time. Please try again in an hour."),
            code="rate_limited",
        )
    data_request = DataRequest.objects.create(email=email.strip(), created_at=now or timezone.now())
    send_email_later(emails.data_link_email, request_id=data_request.pk)
    return data_request


def data_unsubscribe(*, data_request: DataRequest) -> dict[str, int]:
    """Stop every e-mail the site sends to the request's address (newsletter, reply notices)."""
    return privacy.personal_data_unsubscribe(data_request.email)


def data_erase(*, data_request: DataRequest) -> dict[str, int]:
    """Erase everything stored about the request's address, this request included."""
    return privacy.personal_data_erase(data_request.email)


def data_requests_purge(*, older_than: timedelta = REQUEST_RETENTION, now=None) -> int:
    """Delete requests whose link has long expired; returns how many."""
    now = now or timezone.now()
    return DataRequest.objects.filter(created_at__lt=now - older_than).delete()[0]


# Personal data (registered with core.privacy in MydataConfig) -----------------------------------


def data_requests_personal_data(email: str) -> list[dict]:
    """The requests for "Meine Daten" made with `email`."""
    return [
        {"requested_at": row.created_at.isoformat()}
        for row in DataRequest.objects.for_email(email).order_by("created_at", "pk")
    ]


def data_requests_erase(email: str) -> int:
    """Delete the requests made with `email`."""
    return DataRequest.objects.for_email(email).delete()[0]


def data_requests_erased_text(count: int) -> str:
    return ngettext(
        "%(count)d request for this page deleted", "%(count)d requests for this page deleted", count
    ) % {"count": count}
