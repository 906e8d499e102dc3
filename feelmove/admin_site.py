"""The author's admin site: German titles, her sections in the order she works, the start page.

Installed through feelmove.apps.FeelmoveAdminConfig, so `admin.site` (and every
`@admin.register`) is this site.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# Her sections first, in the order of her day; everything else (the superuser's) after them.
APP_ORDER = ["comments", "contact", "blog", "newsletter", "feelmove"]
MODEL_ORDER = [
    "comment", "spamword", "notificationaddress", "commentsettings",
    "consultationrequest", "topic", "contactpage",
    "article", "category", "tag",
    "issue", "subscriber", "guide",
    "page",
]  # fmt: skip


def _position(order: list[str], key: str) -> tuple[int, str]:
    return (order.index(key) if key in order else len(order), key)


class FeelmoveAdminSite(admin.AdminSite):
    site_header = _("feelmove administration")
    site_title = _("feelmove administration")
    index_title = _("What needs you")
    # The start page lists her few sections and breadcrumbs lead back to it; the lists need the
    # width (a comment list beside the filters and a sidebar cut off its columns at 1280 px).
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        from feelmove.dashboard import panels

        extra_context = {**(extra_context or {}), "dashboard_panels": panels(request)}
        return super().index(request, extra_context)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        app_list.sort(key=lambda app: _position(APP_ORDER, app["app_label"]))
        for app in app_list:
            app["models"].sort(
                key=lambda model: _position(MODEL_ORDER, model["object_name"].lower())
            )
        return app_list
