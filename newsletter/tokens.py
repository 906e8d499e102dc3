"""Signed links in e-mails: confirm, download the guide, unsubscribe.

The links carry the subscriber's id (and for confirming and downloading, the key of the current
signup), signed with SECRET_KEY, so they cannot be guessed or forged. Confirmation and download
links expire; unsubscribe links never do: a newsletter from last year must still let one leave.
"""

from datetime import timedelta

from core.signing import LinkInvalid, read_link, sign_link
from newsletter.models import Subscriber

CONFIRM_MAX_AGE = timedelta(days=7)
DOWNLOAD_MAX_AGE = timedelta(days=14)

_CONFIRM_SALT = "newsletter.confirm"
_DOWNLOAD_SALT = "newsletter.download"
_UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


def confirmation_token(subscriber: Subscriber) -> str:
    return sign_link([subscriber.pk, subscriber.key], salt=_CONFIRM_SALT)


def download_token(subscriber: Subscriber) -> str:
    return sign_link([subscriber.pk, subscriber.key], salt=_DOWNLOAD_SALT)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return sign_link(subscriber.pk, salt=_UNSUBSCRIBE_SALT)


def _subscriber_with_key(value) -> Subscriber:
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        raise LinkInvalid
    subscriber = Subscriber.objects.filter(pk=value[0]).first()
    if subscriber is None or subscriber.key != value[1]:
        raise LinkInvalid
    return subscriber


def subscriber_for_confirmation(token: str) -> Subscriber:
    """The subscriber a confirmation link belongs to; raises LinkExpired or LinkInvalid."""
    return _subscriber_with_key(read_link(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE))


def subscriber_for_download(token: str) -> Subscriber:
    """The subscriber a download link belongs to; raises LinkExpired or LinkInvalid."""
    return _subscriber_with_key(read_link(token, salt=_DOWNLOAD_SALT, max_age=DOWNLOAD_MAX_AGE))


def subscriber_for_unsubscribe(token: str) -> Subscriber | None:
    """The subscriber of an unsubscribe link; None if erased since, LinkInvalid if forged."""
    value = read_link(token, salt=_UNSUBSCRIBE_SALT)
    if not isinstance(value, int):
        raise LinkInvalid
    return Subscriber.objects.filter(pk=value).first()
