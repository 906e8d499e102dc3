"""Models of the base layer: what every app may use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitCounter(models.Model):
    """Hits of one key (an action and an IP) in one time window, shared by all workers."""

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
