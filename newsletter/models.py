"""Subscribers with their proof of consent, the free guide, issues and their deliveries."""

import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.fields import CKEditor5Field

from core.mail import header_safe
from newsletter.storage import private_storage


def new_key() -> str:
    """A random secret that links in e-mails are bound to; renewed with every new signup."""
    return secrets.token_urlsafe(16)


def normalise_email(email: str) -> str:
    """The address as typed, trimmed, with the domain (which is case-insensitive) in lower case."""
    email = (email or "").strip()
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    return f"{local}@{domain.lower()}"


class SubscriberQuerySet(models.QuerySet):
    def with_email(self, email: str):
        """The subscriber with this address, whatever the letter case (matches the constraint)."""
        return self.alias(email_lower=Lower("email")).filter(
            email_lower=normalise_email(email).lower()
        )

    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def pending(self):
        return self.filter(status=Subscriber.Status.PENDING)

    def signup_summary(self, *, periods: dict[str, tuple]) -> dict:
        """Confirmed and pending totals, and new confirmations per period and source, in one
        query (the start page). `periods`: {name: (from, until)}, `until` excluded."""
        confirmed = Q(status=Subscriber.Status.CONFIRMED)
        counts = {
            "confirmed": Count("pk", filter=confirmed),
            "pending": Count("pk", filter=Q(status=Subscriber.Status.PENDING)),
        }
        for name, (start, end) in periods.items():
            for source in Subscriber.Source.values:
                counts[f"{name}:{source}"] = Count(
                    "pk",
                    filter=confirmed
                    & Q(source=source, confirmed_at__gte=start, confirmed_at__lt=end),
                )
        row = self.aggregate(**counts)
        return {
            "confirmed": row["confirmed"],
            "pending": row["pending"],
            "new": {
                name: {source: row[f"{name}:{source}"] for source in Subscriber.Source.values}
                for name in periods
            },
        }

    def unconfirmed_since_before(self, when):
        """Signups never confirmed, made before `when` (to be deleted after 30 days)."""
        return self.pending().filter(signed_up_at__lt=when)


class ImportSource(models.TextChoices):
    MAILCHIMP = "mailchimp", _("Mailchimp export")
    GENERIC = "generic", _("CSV file")


class Subscriber(models.Model):
    """One e-mail address on the list, with the proof of its double opt-in."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    class Source(models.TextChoices):
        NEWSLETTER = "newsletter", _("Newsletter signup")
        GUIDE = "guide", _("Free guide")

    email = models.EmailField(_("e-mail address"), max_length=254)
    first_name = models.CharField(_("first name"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.NEWSLETTER
    )
    key = models.CharField(_("link key"), max_length=32, default=new_key, editable=False)

    # Proof of consent (DSGVO Art. 7(1)): what was shown, when, from where; and the confirmation.
    consent_text = models.TextField(_("consent text shown"), blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    signed_up_at = models.DateTimeField(_("signed up"), default=timezone.now)
    signup_ip = models.GenericIPAddressField(_("signup IP address"), null=True, blank=True)
    signup_user_agent = models.CharField(_("signup browser"), max_length=400, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("last confirmation e-mail"),
        null=True,
        blank=True,
        help_text=_("When a confirmation or guide e-mail was last sent in answer to a form."),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_ip = models.GenericIPAddressField(
        _("confirmation IP address"), null=True, blank=True
    )
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    # Rows taken over from another newsletter tool (manage.py import_subscribers): where the
    # proof above comes from. Empty for everyone who signed up on this site.
    import_source = models.CharField(
        _("imported from"), max_length=12, choices=ImportSource.choices, blank=True
    )
    import_file = models.CharField(_("import file"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    guide_downloads = models.PositiveIntegerField(_("guide downloads"), default=0)
    last_guide_download_at = models.DateTimeField(_("last guide download"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-signed_up_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="newsletter_subscriber_email_ci_unique",
                violation_error_message=_("This e-mail address is already on the list."),
            ),
        ]
        indexes = [models.Index(fields=["status", "signed_up_at"])]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def wants_guide(self) -> bool:
        return self.source == self.Source.GUIDE

    def start_signup(
        self, *, source, first_name, consent_text, consent_version, ip, user_agent, now
    ):
        """Record a (new) signup that still needs confirming; a new key voids older links."""
        self.status = self.Status.PENDING
        self.source = source
        if first_name:
            self.first_name = first_name
        self.key = new_key()
        self.consent_text = consent_text
        self.consent_version = consent_version
        self.signed_up_at = now
        self.signup_ip = ip or None
        self.signup_user_agent = (user_agent or "")[:400]
        self.confirmed_at = None
        self.confirmation_ip = None
        self.unsubscribed_at = None

    def confirm(self, *, ip, now) -> bool:
        """Pending → confirmed; returns False when there was nothing to confirm."""
        if self.status != self.Status.PENDING:
            return False
        self.status = self.Status.CONFIRMED
        self.confirmed_at = now
        self.confirmation_ip = ip or None
        return True

    def unsubscribe(self, *, now) -> bool:
        """Leave the list; returns False when already unsubscribed."""
        if self.status == self.Status.UNSUBSCRIBED:
            return False
        self.status = self.Status.UNSUBSCRIBED
        self.unsubscribed_at = now
        return True


class GuideQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def download_total(self) -> int:
        """Downloads of all guides together (the start page)."""
        return self.aggregate(total=Sum("download_count"))["total"] or 0


class Guide(models.Model):
    """The free PDF guide visitors get for confirming their address."""

    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=250, blank=True)
    description = models.TextField(
        _("description"), help_text=_("Shown on the landing page. Empty lines start a paragraph.")
    )
    contents = models.TextField(
        _("what it contains"),
        blank=True,
        help_text=_("One point per line; shown as a list on the landing page."),
    )
    cover_image = models.ImageField(_("cover image"), upload_to="guides/covers/", blank=True)
    cover_alt = models.CharField(_("alt text of the cover"), max_length=250, blank=True)
    pdf = models.FileField(
        _("PDF file"),
        upload_to="guides/",
        storage=private_storage,
        validators=[FileExtensionValidator(["pdf"])],
        help_text=_("Stored outside the public media folder; only confirmed subscribers get it."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_("The landing page offers the active guide. Only one guide can be active."),
    )
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        ordering = ["-is_active", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="newsletter_one_active_guide",
                violation_error_message=_("Only one guide can be active."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("newsletter:guide")

    def contents_list(self) -> list[str]:
        return [line.strip(" -•*\t") for line in self.contents.splitlines() if line.strip(" -•*\t")]

    def description_paragraphs(self) -> list[str]:
        return [part.strip() for part in self.description.split("\n\n") if part.strip()]

    @property
    def download_filename(self) -> str:
        slug = slugify(self.title)[:80].strip("-") or "guide"
        return f"feelmove-{slug}.pdf"


class IssueQuerySet(models.QuerySet):
    def with_progress(self):
        """Counts of deliveries by state, in the same query (the admin list shows them per row)."""
        status = Delivery.Status
        return self.annotate(
            deliveries_total=Count("deliveries"),
            deliveries_sent=Count("deliveries", filter=Q(deliveries__status=status.SENT)),
            deliveries_failed=Count("deliveries", filter=Q(deliveries__status=status.FAILED)),
            deliveries_skipped=Count("deliveries", filter=Q(deliveries__status=status.SKIPPED)),
            deliveries_unclear=Count("deliveries", filter=Q(deliveries__status=status.UNCLEAR)),
            deliveries_open=Count(
                "deliveries", filter=Q(deliveries__status__in=Delivery.OPEN_STATUSES)
            ),
        )

    def drafts(self):
        return self.filter(status=Issue.Status.DRAFT)

    def gone_out(self):
        """Issues being sent or sent, the latest sending first."""
        return self.exclude(status=Issue.Status.DRAFT).order_by(
            F("sending_started_at").desc(nulls_last=True), "-pk"
        )


class Issue(models.Model):
    """One newsletter issue, written in the admin and sent to every confirmed subscriber."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=200)
    body = CKEditor5Field(_("text"), config_name="default")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    sending_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject__contains="\n") & ~Q(subject__contains="\r"),
                name="newsletter_issue_subject_one_line",
                violation_error_message=_("The subject must be a single line."),
            ),
        ]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        from blog.sanitize import clean_html

        # Whatever reaches the database, from the editor, a paste or a script, is safe to send:
        # the subject is one line (it is a mail header), the text is clean HTML.
        self.subject = header_safe(self.subject)
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    def clean(self):
        # A subject pasted with line breaks becomes one line before the form checks it.
        self.subject = header_safe(self.subject)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class DeliveryQuerySet(models.QuerySet):
    def open(self):
        """Deliveries not finished yet: waiting, being sent, or waiting for a retry."""
        return self.filter(status__in=Delivery.OPEN_STATUSES)


class Delivery(models.Model):
    """One issue to one subscriber; claimed before sending, marked after: nobody gets it twice.

    A delivery the worker was handing to the mail server when it died is marked uncertain and
    never sent again by itself; the author may send those again from the issue.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (no longer subscribed)")
        # The worker died while handing it to the mail server: it may or may not have left.
        UNCLEAR = "unclear", _("Delivery uncertain")

    OPEN_STATUSES = (Status.QUEUED, Status.SENDING)

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claimed_by = models.CharField(_("worker"), max_length=100, blank=True)
    retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="newsletter_delivery_once_per_subscriber"
            ),
        ]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"

    @property
    def message_id(self) -> str:
        """The same Message-ID for every attempt, so mail systems can drop an accidental repeat."""
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "feelmove.de"
        return f"<issue-{self.issue_id}.delivery-{self.pk}@{domain}>"
