"""Models the whole site shares."""

from django.contrib.flatpages.models import FlatPage
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
            models.UniqueConstraint(fields=["key", "window"], name="ratelimit_unique_key_window")
        ]

    def __str__(self):
        return f"{self.key} @ {self.window}: {self.count}"


class Page(FlatPage):
    """The author's pages (Über mich, Impressum, ...): Django's flatpages under a German name."""

    class Meta:
        proxy = True
        verbose_name = _("page")
        verbose_name_plural = _("pages")
