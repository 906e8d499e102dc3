"""The e-mails about comments, built from the database when the worker sends them.

- to the author (settings.AUTHOR_EMAIL) for each new comment that is not spam, with signed links to
  approve it, mark it as spam or move it to the trash;
- to a commenter who asked for it, when an approved reply to her comment appears, but only once her
  address has been confirmed (double opt-in), with a link that stops such e-mails;
- the confirmation e-mail itself.

Services queue them with core.mail.send_email_later(builder, **ids).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Article
from comments import tokens
from comments.models import Comment, NotificationAddress
from core.mail import absolute_url, build_email, email_builder, list_unsubscribe_headers


def moderation_url(comment_id: int, action: str) -> str:
    token = tokens.moderation_token(comment_id, action)
    return absolute_url(reverse("comments:moderate", kwargs={"token": token}))


def notice_confirm_url(email: str) -> str:
    token = tokens.notice_confirm_token(email)
    return absolute_url(reverse("comments:notify_confirm", kwargs={"token": token}))


def notice_unsubscribe_url(email: str) -> str:
    token = tokens.notice_unsubscribe_token(email)
    return absolute_url(reverse("comments:notify_unsubscribe", kwargs={"token": token}))


@email_builder(label=gettext_lazy("New comment (to you)"))
def new_comment_notice(*, comment_id: int):
    """Tell the author about a new comment (never queued for spam)."""
    comment = Comment.objects.select_related("article", "parent").filter(pk=comment_id).first()
    if comment is None:
        return None
    article = comment.article
    context = {
        "comment": comment,
        "article": article,
        "article_url": absolute_url(article.get_absolute_url()),
        "comment_url": absolute_url(comment.get_absolute_url()),
        "admin_url": absolute_url(comment.get_admin_url()),
        "approve_url": moderation_url(comment.pk, "approve"),
        "spam_url": moderation_url(comment.pk, "mark_spam"),
        "trash_url": moderation_url(comment.pk, "move_to_trash"),
    }
    if comment.is_approved:
        subject = _("New comment on “%(title)s” by %(name)s")
    else:
        subject = _("New comment on “%(title)s” by %(name)s awaits approval")
    return build_email(
        subject=subject % {"title": article.title, "name": comment.name},
        body=render_to_string("comments/email/new_comment.txt", context),
        to=[settings.AUTHOR_EMAIL],
        reply_to=[comment.email] if comment.email else None,
    )


@email_builder(label=gettext_lazy("Reply notice to a commenter"))
def reply_notice(*, reply_id: int):
    """Tell the writer of the comment that `reply_id` answers (her address is confirmed)."""
    reply = Comment.objects.select_related("article", "parent").filter(pk=reply_id).first()
    parent = reply.parent if reply is not None else None
    if parent is None or not reply.is_approved or not parent.email or not parent.notify_replies:
        return None  # deleted, hidden or erased since it was queued
    stop_url = notice_unsubscribe_url(parent.email)
    context = {
        "reply": reply,
        "parent": parent,
        "article": reply.article,
        "reply_url": absolute_url(reply.get_absolute_url()),
        "unsubscribe_url": stop_url,
    }
    return build_email(
        subject=_("%(name)s replied to your comment on “%(title)s”")
        % {"name": reply.name, "title": reply.article.title},
        body=render_to_string("comments/email/reply_notice.txt", context),
        to=[parent.email],
        headers=list_unsubscribe_headers(stop_url),
    )


@email_builder(label=gettext_lazy("Confirmation of reply notices"))
def notice_confirmation(*, address_id: int, article_id: int):
    """Ask an address to confirm that it wants reply notices (double opt-in)."""
    address = NotificationAddress.objects.filter(pk=address_id).first()
    article = Article.objects.filter(pk=article_id).first()
    if address is None or article is None or address.is_confirmed:
        return None
    context = {
        "article": article,
        "article_url": absolute_url(article.get_absolute_url()),
        "confirm_url": notice_confirm_url(address.email),
        "max_days": tokens.NOTICE_CONFIRM_MAX_AGE.days,
    }
    return build_email(
        subject=_("Please confirm: notices about replies to your comment"),
        body=render_to_string("comments/email/confirm_notices.txt", context),
        to=[address.email],
    )
