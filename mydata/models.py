"""A visitor's request to see her data: the row behind the link that the e-mail carries."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return secrets.token_urlsafe(24)


class DataRequestQuerySet(models.QuerySet):
    def for_email(self, email: str):
        return self.filter(email__iexact=(email or "").strip())


class DataRequest(models.Model):
    """One "send me my data" form: the address lives here, not in the e-mail's task.

    The signed link names this row (id and key); the daily purge deletes it once the link has
    expired, and an erasure of the address deletes it at once.
    """

    email = models.EmailField(_("e-mail address"), max_length=254)
    key = models.CharField(max_length=64, default=new_key, editable=False)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request for personal data")
        verbose_name_plural = _("requests for personal data")
        indexes = [models.Index(models.functions.Lower("email"), name="datarequest_email_idx")]

    def __str__(self):
        return f"#{self.pk} ({self.created_at:%Y-%m-%d %H:%M})"
