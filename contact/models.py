"""Consultation requests from the contact page, their topics, and the page's editable texts."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Window
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class TopicQuerySet(models.QuerySet):
    def offered(self):
        """The topics the form offers, in the author's order."""
        return self.filter(active=True).order_by("position", "name")


class Topic(models.Model):
    """What a visitor may choose to ask about ("Rückenschmerzen", "Kurse", ...)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Smaller numbers come first in the form.")
    )
    active = models.BooleanField(
        _("offered in the form"),
        default=True,
        help_text=_(
            "Untick to take a topic out of the form; requests that name it keep it "
            "(deleting the topic would take it from them)."
        ),
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ConsultationRequestQuerySet(models.QuerySet):
    def new(self):
        """Requests she has not answered yet."""
        return self.filter(status=ConsultationRequest.Status.NEW)

    def newest_new(self):
        """New requests, newest first, with their topic (one query however many)."""
        return self.new().select_related("topic").order_by("-created_at", "-pk")

    def newest_new_counted(self):
        """As newest_new(), each row also carrying `new_total`, the number of new requests: the
        start page's panel in one query."""
        return self.newest_new().annotate(new_total=Window(Count("pk")))

    def closed_before(self, cutoff):
        """Requests closed before `cutoff`: due for deletion."""
        return self.filter(status=ConsultationRequest.Status.CLOSED, closed_at__lt=cutoff)

    def for_email(self, email: str):
        """The requests sent with `email` (any case)."""
        return self.filter(email__iexact=(email or "").strip())


class ConsultationRequest(models.Model):
    """A visitor's request for a consultation, kept until some months after it is closed."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail address"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
    )
    message = models.TextField(_("message"))
    consent_text = models.TextField(
        _("consent given"), help_text=_("The consent text as the visitor saw it.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    note = models.TextField(
        _("note"), blank=True, default="", help_text=_("Only for you; the visitor never sees it.")
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Refuses a second copy of the same request even when two submissions race.
    fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = ConsultationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "closed_at"], name="contact_status_closed_idx"),
            models.Index(Lower("email"), name="contact_email_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=~Q(fingerprint=""),
                name="contact_unique_fingerprint",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["new", "answered", "closed"]),
                name="contact_status_valid",
            ),
        ]

    def __str__(self):
        return _("%(name)s on %(date)s") % {
            "name": self.name,
            "date": timezone.localtime(self.created_at).strftime("%d.%m.%Y"),
        }

    def get_admin_url(self):
        return reverse("admin:contact_consultationrequest_change", args=[self.pk])

    def set_status(self, status: str, *, now=None) -> None:
        """Move to `status`, noting when it was answered or closed (not saved)."""
        now = now or timezone.now()
        if status in (self.Status.ANSWERED, self.Status.CLOSED) and self.answered_at is None:
            self.answered_at = now
        if status == self.Status.CLOSED:
            if self.status != self.Status.CLOSED or self.closed_at is None:
                self.closed_at = now
        else:
            self.closed_at = None  # reopened: the retention starts again when it is closed
        self.status = status


def retention_days() -> int:
    """Days a closed request is kept (settings.CONTACT_RETENTION_DAYS)."""
    return int(getattr(settings, "CONTACT_RETENTION_DAYS", 183))


def retention_period() -> str:
    """How long a closed request is kept, in words: "6 Monate" (or days, if not about months)."""
    days = retention_days()
    months = round(days / 30.44)
    if days >= 60 and abs(days - months * 30.44) <= 5:
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def retention_cutoff(*, now=None):
    """Requests closed before this moment are deleted."""
    return (now or timezone.now()) - timedelta(days=retention_days())


def rows_made_by_migrate() -> dict:
    """What `migrate` itself creates here (the data migration): {model: its rows}. A freshly
    migrated site holds them; a restored backup's rows replace them."""
    return {
        Topic: Topic.objects.filter(name__in=DEFAULT_TOPICS),
        ContactPage: ContactPage.objects.all(),
    }


class ContactPage(models.Model):
    """The author's texts of the contact page and of the sidebar box (one row)."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown above the form. Blank lines start a new paragraph."),
    )
    sidebar_enabled = models.BooleanField(
        _("show the box in the sidebar"),
        default=True,
        help_text=_("The box with a link to the contact page, beside every article and list."),
    )
    sidebar_title = models.CharField(_("title of the box"), max_length=80, blank=True)
    sidebar_text = models.TextField(_("text of the box"), blank=True)
    sidebar_link_text = models.CharField(_("text of the button"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("contact page")
        verbose_name_plural = _("contact page")

    def __str__(self):
        return str(_("Contact page"))

    @classmethod
    def current(cls) -> "ContactPage":
        """The row (one query); an unsaved one with the default texts if it is missing."""
        return cls.objects.order_by("pk").first() or cls(**default_texts())


def default_texts() -> dict:
    """The texts the page starts with (the data migration and a missing row use them)."""
    return {
        "intro": DEFAULT_INTRO,
        "sidebar_enabled": True,
        "sidebar_title": DEFAULT_SIDEBAR_TITLE,
        "sidebar_text": DEFAULT_SIDEBAR_TEXT,
        "sidebar_link_text": DEFAULT_SIDEBAR_LINK_TEXT,
    }


# The author edits these in the admin; they are German content, not interface strings.
DEFAULT_TOPICS = ["Rückenschmerzen", "Faszientraining", "Kurse", "Sonstiges"]
DEFAULT_INTRO = (
    "Dein Rücken meldet sich, du möchtest mit Faszientraining anfangen oder suchst einen Kurs, "
    "der zu dir passt? Schreib mir kurz, worum es geht. Ich melde mich innerhalb von zwei, drei "
    "Werktagen bei dir, und wir finden gemeinsam einen Termin für ein erstes Gespräch.\n\n"
    "Das erste Kennenlernen (etwa 20 Minuten, am Telefon oder per Video) ist kostenlos und "
    "unverbindlich."
)
DEFAULT_SIDEBAR_TITLE = "Gespräch vereinbaren"
DEFAULT_SIDEBAR_TEXT = (
    "Du möchtest wissen, was deinem Rücken konkret hilft? In einem persönlichen Gespräch "
    "schauen wir gemeinsam auf deine Situation."
)
DEFAULT_SIDEBAR_LINK_TEXT = "Gespräch anfragen"
