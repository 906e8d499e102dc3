from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class FeelmoveConfig(AppConfig):
    """The project layer: settings, URLs, the admin site, the author's pages."""

    name = "feelmove"
    verbose_name = _("Site")

    def ready(self):
        from django.contrib.flatpages.models import FlatPage
        from django.db.models.signals import post_migrate

        from feelmove.roles import ensure_author_group

        # The author's group survives a flush (the test runner's) and grows with new apps.
        post_migrate.connect(ensure_author_group, sender=self, dispatch_uid="feelmove-author-group")
        from django.contrib.sites.models import Site

        from core.invalidation import watch
        from feelmove import checks  # noqa: F401 - registers the deployment checks
        from feelmove.models import Page

        watch(FlatPage)
        watch(Page)  # the admin saves pages through this proxy, which sends its own signals
        watch(Site)


class FeelmoveAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the author's site (feelmove.admin_site) as `admin.site`."""

    default = False  # FeelmoveConfig is this module's app; this one is named in INSTALLED_APPS
    default_site = "feelmove.admin_site.FeelmoveAdminSite"
