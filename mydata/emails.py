"""The e-mail of "Meine Daten": the signed link to the page that shows what is stored.

Built in the worker from the request's row: only there is it decided whether anything is stored
about the address, so the form does the same work for every address (see services).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.mail import absolute_url, build_email, email_builder
from core.privacy import personal_data_stored
from mydata.models import DataRequest
from mydata.tokens import LINK_MAX_AGE, data_link_token


def data_link_url(data_request: DataRequest) -> str:
    return absolute_url(reverse("mydata:data", args=[data_link_token(data_request)]))


@email_builder(label=gettext_lazy("Link to “My data”"))
def data_link_email(*, request_id: int):
    """The link to her data, for an address the site stores something about (else nothing)."""
    data_request = DataRequest.objects.filter(pk=request_id).first()
    if data_request is None:
        return None
    if not personal_data_stored(data_request.email):
        # Nothing to show: the row would only keep an address that someone typed.
        data_request.delete()
        return None
    context = {
        "data_url": data_link_url(data_request),
        "request_url": absolute_url(reverse("mydata:request")),
        "valid_hours": int(LINK_MAX_AGE.total_seconds() // 3600),
        "impressum": settings.IMPRESSUM_TEXT,
        "site_name": settings.SITE_NAME,
    }
    return build_email(
        subject=_("Your data at %(site)s") % {"site": settings.SITE_NAME},
        body=render_to_string("mydata/email/data_link.txt", context),
        to=[data_request.email],
    )
