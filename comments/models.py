"""Reader comments on articles, the author's replies, and what moderation needs around them."""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.antispam import submission_fingerprint


def _shown_to(own_pending_ids) -> Q:
    """Approved comments, and the pending ones this visitor sent from her own browser session."""
    shown = Q(status=Comment.Status.APPROVED)
    own_ids = [pk for pk in own_pending_ids if isinstance(pk, int)]
    if own_ids:
        shown |= Q(status=Comment.Status.PENDING, pk__in=own_ids)
    return shown


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments every reader may see."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        """Comments waiting for the author's decision."""
        return self.filter(status=Comment.Status.PENDING)

    def newest_pending(self):
        """Comments waiting for a decision, newest first, with their article (the start page)."""
        return self.pending().select_related("article").order_by("-created_at", "-id")

    def shown_to(self, *, own_pending_ids=()):
        """What one visitor may see: approved comments, plus her own pending ones."""
        return self.filter(_shown_to(own_pending_ids))

    def with_shown_flag(self, *, own_pending_ids=()):
        """All comments, each with `is_shown`: whether shown_to() would let this visitor see it."""
        return self.annotate(
            is_shown=ExpressionWrapper(_shown_to(own_pending_ids), output_field=BooleanField())
        )

    def shown_on_article(self, article, *, own_pending_ids=()):
        """What one visitor sees under `article`, oldest first (threads: see comments.threads)."""
        return (
            self.shown_to(own_pending_ids=own_pending_ids)
            .filter(article=article)
            .order_by("created_at", "id")
        )


def comment_fingerprint(*, article_id: int, email: str, body: str) -> str:
    """Same article, same address, same words (ignoring case and spacing): the same comment."""
    return submission_fingerprint(scope=article_id, email=email, text=body)


class Comment(models.Model):
    """A reader's comment or the author's reply, shown only once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    article = models.ForeignKey(
        "blog.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    url = models.URLField(_("website"), max_length=200, blank=True)
    body = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    is_author_reply = models.BooleanField(_("reply by the author"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    notify_replies = models.BooleanField(_("notify about replies"), default=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderation_note = models.CharField(
        _("moderation note"),
        max_length=200,
        blank=True,
        help_text=_("Why the automatic checks held this comment or sent it to spam."),
    )
    # Refuses a second copy of the same comment even when two requests race.
    fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            models.Index(Lower("email"), name="comment_email_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=~Q(fingerprint=""),
                name="comment_unique_fingerprint",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "spam", "trash"]),
                name="comment_status_valid",
            ),
        ]

    def __str__(self):
        return _("%(name)s on %(article)s") % {"name": self.name, "article": self.article}

    def get_absolute_url(self):
        """The comment on the comment page that shows its thread (one query to find the page)."""
        from comments.threads import comment_url  # threads builds on this module

        return comment_url(self)

    def thread_page(self, *, own_pending_ids=()) -> int:
        """The comment page (?kommentare=N) that shows this comment's thread, in one query."""
        from comments.threads import thread_page

        return thread_page(self, own_pending_ids=own_pending_ids)

    def get_admin_url(self):
        return reverse("admin:comments_comment_change", args=[self.pk])

    @property
    def link_url(self) -> str:
        """The website as a link target, only if it is a plain web address."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else ""

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def _moderate(self, status: str, *, by=None, now=None) -> bool:
        """Move to `status`, noting who did it and when; False if it was already there."""
        if self.status == status:
            return False
        self.status = status
        self.moderated_by = by
        self.moderated_at = now or timezone.now()
        self.save(update_fields=["status", "moderated_by", "moderated_at"])
        return True

    def approve(self, *, by=None, now=None) -> bool:
        """Publish the comment."""
        return self._moderate(self.Status.APPROVED, by=by, now=now)

    def mark_spam(self, *, by=None, now=None) -> bool:
        """Hide the comment as spam."""
        return self._moderate(self.Status.SPAM, by=by, now=now)

    def move_to_trash(self, *, by=None, now=None) -> bool:
        """Hide the comment in the trash."""
        return self._moderate(self.Status.TRASH, by=by, now=now)

    def hold(self, *, by=None, now=None) -> bool:
        """Put the comment back among those waiting for a decision."""
        return self._moderate(self.Status.PENDING, by=by, now=now)


class SpamWord(models.Model):
    """A word or phrase that sends a comment containing it straight to spam."""

    word = models.CharField(
        _("word or phrase"),
        max_length=100,
        help_text=_(
            "Matched as a whole word, ignoring case, in name, e-mail address, website, text and "
            "IP address. A web address such as casino.example works too."
        ),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("spam word")
        verbose_name_plural = _("spam words")
        ordering = ["word"]
        constraints = [models.UniqueConstraint(Lower("word"), name="spamword_unique_word")]

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):
        self.word = " ".join(self.word.split())
        super().save(*args, **kwargs)


class CommentSettings(models.Model):
    """The author's choices about comments that the site follows everywhere (one row)."""

    class OnErase(models.TextChoices):
        ANONYMISE = "anonymise", _("Anonymise: keep the text, signed “Anonym”")
        DELETE = "delete", _("Delete the comments")

    on_erase = models.CharField(
        _("when a reader has her data deleted"),
        max_length=10,
        choices=OnErase.choices,
        help_text=_(
            "What happens to her comments when a reader deletes her data on “My data”, or when "
            "you erase an address in the admin. Anonymised comments keep the conversation "
            "readable; name, e-mail address, website and IP address go either way. A deleted "
            "comment that others answered stays as an empty note, so their replies keep their "
            "place."
        ),
    )

    ROW = 1  # the only row there is

    class Meta:
        verbose_name = _("comment settings")
        verbose_name_plural = _("comment settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="commentsettings_one_row"),
        ]

    def __str__(self):
        return str(_("Comment settings"))

    @classmethod
    def deletes_on_erase(cls) -> bool:
        """Whether erasing an address deletes her comments (rather than anonymising them).

        The author's choice in the admin; settings.COMMENTS_ON_ERASE until she has made one.
        """
        chosen = cls.objects.filter(pk=cls.ROW).values_list("on_erase", flat=True).first()
        return (chosen or settings.COMMENTS_ON_ERASE) == cls.OnErase.DELETE


class NotificationAddressQuerySet(models.QuerySet):
    def for_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def confirmed(self):
        """Addresses whose owner has confirmed that she wants reply notices."""
        return self.filter(confirmed_at__isnull=False)


class NotificationAddress(models.Model):
    """An e-mail address that asked for reply notices; notices go out only once it is confirmed."""

    email = models.EmailField(_("e-mail address"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmation_sent_at = models.DateTimeField(
        _("confirmation e-mail sent"), null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = NotificationAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply notice address")
        verbose_name_plural = _("reply notice addresses")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="notificationaddress_unique_email")
        ]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
