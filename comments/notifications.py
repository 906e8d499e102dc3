"""E-mails about comments, all queued through the tasks framework after the transaction commits.

- to the author (settings.AUTHOR_EMAIL) for each new comment that is not spam, with signed links to
  approve it, mark it as spam or move it to the trash;
- to a commenter who asked for it, when an approved reply to her comment appears, but only once her
  address has been confirmed (double opt-in), with a link that stops such e-mails;
- the confirmation e-mail itself.
"""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from feelmove.mail import header_safe, send_email_later

MODERATION_SALT = "comments.moderate"
CONFIRM_SALT = "comments.notify-confirm"
UNSUBSCRIBE_SALT = "comments.notify-unsubscribe"
MODERATION_ACTIONS = ("approve", "mark_spam", "move_to_trash")
MODERATION_LINK_MAX_AGE = 60 * 60 * 24 * 30
CONFIRM_LINK_MAX_AGE = 60 * 60 * 24 * 14


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# Signed links ----------------------------------------------------------------------------------


def moderation_token(comment_id: int, action: str) -> str:
    return signing.dumps({"c": comment_id, "a": action}, salt=MODERATION_SALT, compress=True)


def read_moderation_token(token: str) -> tuple[int, str] | None:
    """(comment id, action) from a link in the author's e-mail; None if forged or too old."""
    try:
        data = signing.loads(token, salt=MODERATION_SALT, max_age=MODERATION_LINK_MAX_AGE)
        comment_id, action = int(data["c"]), str(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if action not in MODERATION_ACTIONS:
        return None
    return comment_id, action


def moderation_url(comment_id: int, action: str) -> str:
    token = moderation_token(comment_id, action)
    return absolute(reverse("comments:moderate", kwargs={"token": token}))


def address_token(email: str, *, salt: str) -> str:
    return signing.dumps(email.strip().lower(), salt=salt, compress=True)


def read_address_token(token: str, *, salt: str, max_age: int | None = None) -> str | None:
    try:
        email = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return email if isinstance(email, str) and email else None


def confirm_url(email: str) -> str:
    token = address_token(email, salt=CONFIRM_SALT)
    return absolute(reverse("comments:notify_confirm", kwargs={"token": token}))


def unsubscribe_url(email: str) -> str:
    token = address_token(email, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("comments:notify_unsubscribe", kwargs={"token": token}))


# The e-mails ----------------------------------------------------------------------------------


def send_new_comment_notice(comment) -> None:
    """Tell the author about a new comment (never called for spam)."""
    article = comment.article
    context = {
        "comment": comment,
        "article": article,
        "article_url": absolute(article.get_absolute_url()),
        "comment_url": absolute(comment.get_absolute_url()),
        "admin_url": absolute(comment.get_admin_url()),
        "approve_url": moderation_url(comment.pk, "approve"),
        "spam_url": moderation_url(comment.pk, "mark_spam"),
        "trash_url": moderation_url(comment.pk, "move_to_trash"),
    }
    if comment.is_approved:
        subject = _("New comment on “%(title)s” by %(name)s")
    else:
        subject = _("New comment on “%(title)s” by %(name)s awaits approval")
    send_email_later(
        subject=header_safe(subject % {"title": article.title, "name": comment.name}),
        body=render_to_string("comments/email/new_comment.txt", context),
        to=[settings.AUTHOR_EMAIL],
        reply_to=[comment.email] if comment.email else None,
    )


def send_reply_notice(*, reply, parent) -> None:
    """Tell the writer of `parent` that `reply` answers her comment (address already confirmed)."""
    article = parent.article
    stop_url = unsubscribe_url(parent.email)
    context = {
        "reply": reply,
        "parent": parent,
        "article": article,
        "reply_url": absolute(reply.get_absolute_url()),
        "unsubscribe_url": stop_url,
    }
    send_email_later(
        subject=header_safe(
            _("%(name)s replied to your comment on “%(title)s”")
            % {"name": reply.name, "title": article.title}
        ),
        body=render_to_string("comments/email/reply_notice.txt", context),
        to=[parent.email],
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_confirmation_request(*, email: str, article) -> None:
    """Ask an address to confirm that it wants reply notices (double opt-in)."""
    context = {
        "article": article,
        "article_url": absolute(article.get_absolute_url()),
        "confirm_url": confirm_url(email),
        "max_days": CONFIRM_LINK_MAX_AGE // (60 * 60 * 24),
    }
    send_email_later(
        subject=_("Please confirm: notices about replies to your comment"),
        body=render_to_string("comments/email/confirm_notices.txt", context),
        to=[email],
    )
