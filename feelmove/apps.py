from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeelmoveConfig(AppConfig):
    name = "feelmove"
    verbose_name = _("Site")

    def ready(self):
        from feelmove import signals

        signals.connect()
