"""Models of the base layer: what every app may use."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RateLimitCounter(models.Model):
    """Hits of one key (an action and an IP) in one time window, shared by all workers.

    Also the marks of things good for one use (a spent form token, key `form-token:...`, window
    the token's issue time): core.ratelimit.mark_used_once. The daily purge removes both.
    """

    key = models.CharField(max_length=200)
    window = models.BigIntegerField(help_text=_("Start of the window in seconds since the epoch."))
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="core_ratelimit_key_window")
        ]

    def __str__(self):
        return f"{self.key} @ {self.window}: {self.count}"


class JobRun(models.Model):
    """The last start of a periodic job, so that of several servers running it one does."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self):
        return f"{self.name} @ {self.started_at:%Y-%m-%d %H:%M} ({self.host})"


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now):
        """Waiting e-mails whose (next) attempt is due at `now`."""
        return self.filter(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)

    def needing_attention(self):
        """E-mails that did not reach their recipient and will not be tried again by themselves."""
        return self.filter(status__in=[OutgoingEmail.Status.FAILED, OutgoingEmail.Status.UNCLEAR])

    def retrying(self):
        """E-mails whose last attempt failed and that wait for the next one."""
        return self.filter(status=OutgoingEmail.Status.QUEUED, attempts__gt=0)

    def undelivered(self):
        """Not (yet) delivered because sending failed: waiting for a retry, failed, or uncertain."""
        return self.needing_attention() | self.retrying()


class OutgoingEmail(models.Model):
    """One e-mail of the site (core/mail.py): which builder makes it from which row ids, and
    how sending it went. It holds no address and no text: the e-mail is built when it is sent.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Nothing to send any more")
        FAILED = "failed", _("Failed")
        UNCLEAR = "unclear", _("Delivery uncertain")

    builder = models.CharField(_("kind"), max_length=200)
    arguments = models.JSONField(_("row ids"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("handed to the mail server"), null=True, blank=True)
    claimed_by = models.CharField(_("worker"), max_length=100, blank=True)
    last_error = models.TextField(
        _("last error"), blank=True, help_text=_("The mail server's answer, without addresses.")
    )
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="core_email_status_due"),
            models.Index(fields=["builder", "created_at"], name="core_email_builder"),
        ]

    def __str__(self):
        return f"{self.builder} {self.arguments} ({self.status})"

    @property
    def is_undelivered(self) -> bool:
        status = self.Status
        return self.status in (status.FAILED, status.UNCLEAR) or (
            self.status == status.QUEUED and self.attempts > 0
        )


class WorkerHeartbeat(models.Model):
    """A running `db_worker` process; it renews `seen_at` every few seconds (core/worker.py)."""

    worker_id = models.CharField(_("worker"), max_length=100, unique=True)
    host = models.CharField(_("host"), max_length=100)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last sign of life"))

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return self.worker_id
