"""Models of the project layer."""

from django.contrib.flatpages.models import FlatPage
from django.utils.translation import gettext_lazy as _


class Page(FlatPage):
    """The author's pages (Über mich, Impressum, ...): Django's flatpages under a German name."""

    class Meta:
        proxy = True
        verbose_name = _("page")
        verbose_name_plural = _("pages")
