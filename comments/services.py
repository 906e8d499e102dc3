"""Workflows that write comments: submitting, replying, moderating, notices, privacy.

Views, admin actions, e-mail links and management commands all call these, so each rule lives
in one place.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override, pgettext_lazy

from comments import emails
from comments.models import Comment, CommentSettings, NotificationAddress, comment_fingerprint
from comments.moderation import ModerationPolicy, default_policy
from core.antispam import form_token_spend, submission_rate_limited
from core.mail import absolute_url, email_retry_if_undelivered, send_email_later
from core.ratelimit import valid_ip

ANONYMOUS_NAME = "Anonym"
_ANONYMOUS_FIELDS = {
    "name": ANONYMOUS_NAME,
    "email": "",
    "url": "",
    "ip_address": None,
    "user_agent": "",
    "notify_replies": False,
    "fingerprint": "",
}
# Stored in the site's language: it is shown to every reader.
DELETED_BODY = pgettext_lazy("comment body", "This comment was deleted at its writer's request.")
CONFIRMATION_RESEND_AFTER = timedelta(hours=24)


class CommentRejected(Exception):
    """A comment that is not stored; `message` tells the reader why, in her language."""

    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def _check_parent(*, article, parent) -> None:
    if parent is None:
        return
    if parent.article_id != article.pk:
        raise CommentRejected(
            _("The comment you wanted to reply to belongs to another article."),
            code="parent_other_article",
        )
    if parent.status != Comment.Status.APPROVED:
        raise CommentRejected(
            _("The comment you wanted to reply to has not been approved."),
            code="parent_not_approved",
        )


def _rate_limited(ip: str | None) -> bool:
    limit = int(getattr(settings, "COMMENTS_RATE_LIMIT", 5))
    period = int(getattr(settings, "COMMENTS_RATE_PERIOD", 60))
    return submission_rate_limited(scope="comments", ip=ip, limit=limit, period=period)


def comment_submit(
    *,
    article,
    name: str,
    email: str,
    url: str,
    body: str,
    parent: Comment | None,
    ip: str | None,
    user_agent: str,
    notify_replies: bool,
    user=None,
    policy: ModerationPolicy | None = None,
    form_token: str = "",
) -> Comment:
    """Store a reader's comment in the status the moderation policy gives it, and notify.

    Raises CommentRejected when comments are closed, the parent is not answerable, the sender
    is over the rate limit, the same comment was sent before, or `form_token` (the form's `ts`,
    if given) was spent on a comment already: it is spent together with storing this one.
    """
    # A name is one line: a line break in it could only be an attempt at mail headers.
    name = " ".join(name.split())
    email = email.strip()
    ip = valid_ip(ip)
    user_agent = (user_agent or "").replace("\x00", "")[:300]
    if not article.comments_open or not article.is_public:
        raise CommentRejected(_("Comments on this article are closed."), code="comments_closed")
    _check_parent(article=article, parent=parent)
    if _rate_limited(ip):
        raise CommentRejected(
            _(
                "You have sent several comments within a minute. Please wait a moment and "
                "send your comment again."
            ),
            code="rate_limited",
        )
    fingerprint = comment_fingerprint(article_id=article.pk, email=email, body=body)
    duplicate = CommentRejected(
        _("You have already sent this comment. It appears once it is approved."),
        code="duplicate",
    )
    if Comment.objects.filter(fingerprint=fingerprint).exists():
        raise duplicate
    verdict = (policy or default_policy()).judge(name=name, email=email, url=url, body=body, ip=ip)
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                article=article,
                parent=parent,
                name=name,
                email=email,
                url=url,
                body=body,
                status=verdict.status,
                moderation_note=verdict.note,
                notify_replies=notify_replies,
                ip_address=ip,
                user_agent=user_agent,
                user=user if getattr(user, "is_authenticated", False) else None,
                fingerprint=fingerprint,
            )
            if form_token and not form_token_spend(form_token):
                raise CommentRejected(
                    _(
                        "This form has already been used for a comment. Your text is still "
                        "here: please send it again."
                    ),
                    code="token_used",
                )
    except IntegrityError:
        # The same comment arrived twice at the same moment; the first one won.
        raise duplicate from None
    if comment.status == Comment.Status.SPAM:
        return comment  # spam never notifies anyone
    send_email_later(emails.new_comment_notice, comment_id=comment.pk)
    if notify_replies:
        notice_address_request(email=email, article=article)
    if comment.is_approved:
        _notify_parent_writer(comment)
    return comment


def comment_reply(*, parent: Comment, author, body: str) -> Comment:
    """Publish the author's reply under `parent`, approving `parent` first if it is pending."""
    if parent.status in (Comment.Status.SPAM, Comment.Status.TRASH):
        raise CommentRejected(
            _("A comment marked as spam or in the trash cannot get a reply."),
            code="parent_not_approved",
        )
    with transaction.atomic():
        if parent.status == Comment.Status.PENDING:
            comment_approve(comment=parent, by=author)
        return author_comment_create(
            article=parent.article, author=author, body=body, parent=parent
        )


def author_reply_fields(*, author, at) -> dict:
    """What makes a comment the author's own: her name and address, marked and approved by her.

    The admin's replies and the WordPress import both use it, so both look the same on a page.
    """
    return {
        "name": author.get_full_name() or author.get_username(),
        "email": author.email or "",
        "is_author_reply": True,
        "user": author,
        "moderated_by": author,
        "moderated_at": at,
    }


def author_comment_create(*, article, author, body: str, parent: Comment | None = None) -> Comment:
    """A comment by the logged-in author: approved at once, marked as hers."""
    _check_parent(article=article, parent=parent)
    now = timezone.now()
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        body=body,
        status=Comment.Status.APPROVED,
        created_at=now,
        **author_reply_fields(author=author, at=now),
    )
    _notify_parent_writer(comment)
    return comment


# Moderation ------------------------------------------------------------------------------------


def comment_approve(*, comment: Comment, by=None) -> bool:
    """Approve a comment; if it answers someone who wants notices, tell her."""
    changed = comment.approve(by=by)
    if changed:
        _notify_parent_writer(comment)
    return changed


def comment_mark_spam(*, comment: Comment, by=None) -> bool:
    """Mark a comment as spam."""
    return comment.mark_spam(by=by)


def comment_move_to_trash(*, comment: Comment, by=None) -> bool:
    """Move a comment to the trash."""
    return comment.move_to_trash(by=by)


def comment_hold(*, comment: Comment, by=None) -> bool:
    """Take a comment back to pending (it disappears from the page until approved again)."""
    return comment.hold(by=by)


MODERATION_SERVICES = {
    "approve": comment_approve,
    "mark_spam": comment_mark_spam,
    "move_to_trash": comment_move_to_trash,
    "hold": comment_hold,
}


# The status each moderation action leaves a comment in.
MODERATION_RESULT = {
    "approve": Comment.Status.APPROVED,
    "mark_spam": Comment.Status.SPAM,
    "move_to_trash": Comment.Status.TRASH,
    "hold": Comment.Status.PENDING,
}


def comment_moderate(*, comment: Comment, action: str, by=None) -> bool:
    """Run a moderation action (`approve`, `mark_spam`, `move_to_trash`, `hold`) by name."""
    return MODERATION_SERVICES[action](comment=comment, by=by)


# Reply notices (double opt-in) -----------------------------------------------------------------


def _notify_parent_writer(reply: Comment) -> None:
    """Once `reply` is approved, tell the writer of the comment it answers, if she opted in."""
    parent = reply.parent
    if parent is None or not reply.is_approved:
        return
    if not parent.notify_replies or not parent.email or parent.is_author_reply:
        return
    if reply.email and reply.email.strip().lower() == parent.email.strip().lower():
        return  # nobody needs a notice about her own words
    if not NotificationAddress.objects.for_email(parent.email).confirmed().exists():
        return
    send_email_later(emails.reply_notice, reply_id=reply.pk)


def notice_address_request(*, email: str, article, now=None) -> NotificationAddress:
    """Record that `email` wants reply notices; send it a confirmation link unless confirmed.

    The link goes out at most once a day per address, so the form cannot be used to flood
    someone else's inbox; a link that the mail server failed to take is tried again at once.
    """
    now = now or timezone.now()
    address = NotificationAddress.objects.for_email(email).first()
    if address is None:
        try:
            with transaction.atomic():
                address = NotificationAddress.objects.create(email=email.strip(), created_at=now)
        except IntegrityError:
            address = NotificationAddress.objects.for_email(email).get()
    if address.is_confirmed:
        return address
    sent = address.confirmation_sent_at
    if sent and now - sent < CONFIRMATION_RESEND_AFTER:
        # Unless the last link has not reached her because the mail server failed: then that
        # one is tried again at once (still one e-mail, but not a day's wait).
        email_retry_if_undelivered(emails.notice_confirmation, address_id=address.pk)
        return address
    address.confirmation_sent_at = now
    address.save(update_fields=["confirmation_sent_at"])
    send_email_later(emails.notice_confirmation, address_id=address.pk, article_id=article.pk)
    return address


def notice_address_confirm(*, email: str, now=None) -> NotificationAddress | None:
    """The owner of `email` clicked the confirmation link: reply notices may go out now."""
    address = NotificationAddress.objects.for_email(email).first()
    if address is None:
        return None
    if not address.is_confirmed:
        address.confirmed_at = now or timezone.now()
        address.unsubscribed_at = None
        address.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return address


def notice_address_unsubscribe(*, email: str, now=None) -> int:
    """Stop all reply notices to `email`; returns how many comments had asked for them."""
    with transaction.atomic():
        NotificationAddress.objects.for_email(email).update(
            confirmed_at=None, unsubscribed_at=now or timezone.now()
        )
        return Comment.objects.filter(email__iexact=email.strip(), notify_replies=True).update(
            notify_replies=False
        )


# Privacy ---------------------------------------------------------------------------------------


def comment_ips_anonymise(*, older_than_days: int = 30, now=None) -> int:
    """Forget IP address and browser of comments older than `older_than_days`."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    return (
        Comment.objects.filter(created_at__lt=cutoff)
        .exclude(ip_address__isnull=True, user_agent="")
        .update(ip_address=None, user_agent="")
    )


def comments_for_email(email: str) -> list[dict]:
    """Everything stored about comments written with `email` (for a data export, DSGVO Art. 15)."""
    email = (email or "").strip()
    if not email:
        return []
    comments = (
        Comment.objects.filter(email__iexact=email)
        .select_related("article")
        .order_by("created_at", "id")
    )
    address = NotificationAddress.objects.for_email(email).first()
    return [
        {
            "id": comment.pk,
            "article": comment.article.title,
            "article_url": absolute_url(comment.article.get_absolute_url()),
            # Only an approved comment can be seen on the site.
            "comment_url": (
                absolute_url(comment.get_absolute_url()) if comment.is_approved else None
            ),
            "in_reply_to": comment.parent_id,
            "name": comment.name,
            "email": comment.email,
            "url": comment.url,
            "body": comment.body,
            "status": comment.status,
            "created_at": comment.created_at.isoformat(),
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
            "notify_replies": comment.notify_replies,
            "notices_confirmed_at": (
                address.confirmed_at.isoformat() if address and address.confirmed_at else None
            ),
        }
        for comment in comments
    ]


def comments_anonymise_for_email(email: str) -> int:
    """Erase the person behind `email` from her comments but keep their text (DSGVO Art. 17)."""
    email = (email or "").strip()
    if not email:
        return 0
    with transaction.atomic():
        NotificationAddress.objects.for_email(email).delete()
        comments = list(Comment.objects.filter(email__iexact=email))
        # One save per comment (a person has few), so that cached pages showing the old name
        # hear about it through the usual post_save signal.
        for comment in comments:
            _anonymise(comment)
    return len(comments)


def _anonymise(comment: Comment, **more) -> None:
    fields = {**_ANONYMOUS_FIELDS, **more}
    for name, value in fields.items():
        setattr(comment, name, value)
    comment.save(update_fields=list(fields))


def comments_delete_for_email(email: str) -> int:
    """Delete the comments written with `email` and her reply-notice address (DSGVO Art. 17).

    A comment that others have answered is not deleted with their replies: it stays, emptied
    and anonymised, as a note that it was deleted, so the replies keep their place.
    """
    email = (email or "").strip()
    if not email:
        return 0
    with transaction.atomic():
        NotificationAddress.objects.for_email(email).delete()
        # Newest first: her replies to her own comments go before the comments they answer.
        comments = list(Comment.objects.filter(email__iexact=email).order_by("-created_at", "-pk"))
        for comment in comments:
            if comment.replies.exists():
                with override(settings.LANGUAGE_CODE):
                    _anonymise(comment, body=str(DELETED_BODY))
            else:
                comment.delete()
    return len(comments)


def comments_erase_for_email(email: str) -> int:
    """Erase `email` from the comments as the author chose (CommentSettings.on_erase)."""
    if CommentSettings.deletes_on_erase():
        return comments_delete_for_email(email)
    return comments_anonymise_for_email(email)


def comments_erased_text(count: int) -> str:
    """What comments_erase_for_email() did, in words."""
    if CommentSettings.deletes_on_erase():
        return ngettext("%(count)d comment deleted", "%(count)d comments deleted", count) % {
            "count": count
        }
    return ngettext("%(count)d comment anonymised", "%(count)d comments anonymised", count) % {
        "count": count
    }


def comments_erase_note() -> str:
    """What erasing an address will do to its comments, in words (for the reader's confirmation)."""
    if CommentSettings.deletes_on_erase():
        return str(
            _(
                "your comments (a comment that others answered stays as an empty note, so that "
                "their replies keep their place), and your notices about replies;"
            )
        )
    return str(
        _(
            "your name, e-mail address, website and IP address on your comments (the comments "
            "themselves stay, signed “Anonym”, so that the conversation stays readable), and "
            "your notices about replies;"
        )
    )


def notices_unsubscribe_for_email(email: str) -> int:
    """Stop reply notices to `email` (for "Meine Daten"); 1 if she had any, else 0."""
    had = NotificationAddress.objects.for_email(email).filter(confirmed_at__isnull=False).exists()
    asked = notice_address_unsubscribe(email=email)
    return int(had or asked > 0)
