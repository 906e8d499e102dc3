"""Signed links in the comments' e-mails: moderation for the author, reply notices for readers.

Moderation links name a comment and an action and expire after 30 days. Reply-notice links carry
the address: the confirmation link expires after 14 days, the link that stops notices never does.
"""

from datetime import timedelta

from core.signing import LinkInvalid, read_link, sign_link

MODERATION_ACTIONS = ("approve", "mark_spam", "move_to_trash")
MODERATION_MAX_AGE = timedelta(days=30)
NOTICE_CONFIRM_MAX_AGE = timedelta(days=14)

_MODERATION_SALT = "comments.moderate"
_NOTICE_CONFIRM_SALT = "comments.notify-confirm"
_NOTICE_UNSUBSCRIBE_SALT = "comments.notify-unsubscribe"


def moderation_token(comment_id: int, action: str) -> str:
    return sign_link({"c": comment_id, "a": action}, salt=_MODERATION_SALT)


def moderation_from_token(token: str) -> tuple[int, str]:
    """(comment id, action) from a link in the author's e-mail; raises LinkInvalid/LinkExpired."""
    data = read_link(token, salt=_MODERATION_SALT, max_age=MODERATION_MAX_AGE)
    try:
        comment_id, action = int(data["c"]), str(data["a"])
    except (KeyError, TypeError, ValueError) as error:
        raise LinkInvalid from error
    if action not in MODERATION_ACTIONS:
        raise LinkInvalid
    return comment_id, action


def notice_confirm_token(email: str) -> str:
    return sign_link(email.strip().lower(), salt=_NOTICE_CONFIRM_SALT)


def notice_unsubscribe_token(email: str) -> str:
    return sign_link(email.strip().lower(), salt=_NOTICE_UNSUBSCRIBE_SALT)


def _email(value) -> str:
    if not isinstance(value, str) or not value:
        raise LinkInvalid
    return value


def email_from_notice_confirm_token(token: str) -> str:
    """The address of a reply-notice confirmation link; raises LinkInvalid/LinkExpired."""
    return _email(read_link(token, salt=_NOTICE_CONFIRM_SALT, max_age=NOTICE_CONFIRM_MAX_AGE))


def email_from_notice_unsubscribe_token(token: str) -> str:
    """The address of a link that stops reply notices (never expires); raises LinkInvalid."""
    return _email(read_link(token, salt=_NOTICE_UNSUBSCRIBE_SALT))
