from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MydataConfig(AppConfig):
    """ "Meine Daten": a visitor sees, downloads, and erases what the site stores about her."""

    name = "mydata"
    verbose_name = _("My data")

    def ready(self):
        from core import privacy
        from mydata import services

        # The requests for this page hold an address too: they are exported and erased like
        # everything else, but alone they are no reason to send a link.
        privacy.register(
            privacy.PersonalData(
                export_key="data_requests",
                export=services.data_requests_personal_data,
                erase_key="data_requests_deleted",
                erase=services.data_requests_erase,
                title=_("Requests for this page"),
                erase_note=lambda: str(_("the requests for this page, and so this link.")),
                erased=services.data_requests_erased_text,
                counts_as_stored=False,
            )
        )
