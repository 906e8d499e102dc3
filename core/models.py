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
