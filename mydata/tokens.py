"""The signed link of "Meine Daten": it names a DataRequest row and is valid for 24 hours."""

from datetime import timedelta

from core.signing import LinkInvalid, read_link, sign_link
from mydata.models import DataRequest

LINK_MAX_AGE = timedelta(hours=24)
_SALT = "mydata.link"


def data_link_token(data_request: DataRequest) -> str:
    return sign_link([data_request.pk, data_request.key], salt=_SALT)


def data_request_for_token(token: str) -> DataRequest:
    """The request a link belongs to; raises LinkExpired, or LinkInvalid (forged, or erased)."""
    value = read_link(token, salt=_SALT, max_age=LINK_MAX_AGE)
    if not (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], str)
    ):
        raise LinkInvalid
    data_request = DataRequest.objects.filter(pk=value[0]).first()
    if data_request is None or data_request.key != value[1]:
        raise LinkInvalid
    return data_request
