from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The base layer: mail, rate limits, signed links, spam defences, page cache, privacy.

    Every app may import from here; nothing here imports an app. Apps plug in what they add
    (watched models, personal data) through core.invalidation and core.privacy.
    """

    name = "core"
    verbose_name = _("Site basics")
