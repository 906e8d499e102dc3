from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeelmoveConfig(AppConfig):
    """The project layer: settings, URLs, the admin site, the author's pages."""

    name = "feelmove"
    verbose_name = _("Site")

    def ready(self):
        from django.contrib.flatpages.models import FlatPage
        from django.contrib.sites.models import Site

        from core.invalidation import watch
        from feelmove import checks  # noqa: F401 - registers the deployment checks
        from feelmove.models import Page

        watch(FlatPage)
        watch(Page)  # the admin saves pages through this proxy, which sends its own signals
        watch(Site)
