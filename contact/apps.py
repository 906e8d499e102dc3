from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = _("Contact")

    def ready(self):
        from contact import services
        from contact.models import ContactPage, Topic
        from core import privacy
        from core.invalidation import watch

        # The contact page shows the introduction and the topics; every page's sidebar the box.
        watch(ContactPage)
        watch(Topic)
        privacy.register(
            privacy.PersonalData(
                export_key="consultation_requests",
                export=services.consultation_requests_for_email,
                erase_key="consultation_requests_deleted",
                erase=services.consultation_requests_erase_for_email,
            )
        )
