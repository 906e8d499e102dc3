from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from core import privacy, worker
        from core.invalidation import watch
        from newsletter import sending, services
        from newsletter.models import Guide

        watch(Guide)  # the landing page and the sidebar box show the active guide
        privacy.register(
            privacy.PersonalData(
                export_key="newsletter_subscriptions",
                export=services.subscriber_personal_data,
                erase_key="subscriptions_removed",
                erase=services.subscriber_erase,
                title=_("Newsletter and free guide"),
                erase_note=services.subscriptions_erase_note,
                erased=services.subscriptions_removed_text,
                unsubscribe=services.subscribers_unsubscribe_for_email,
            )
        )
        # A worker killed while sending an issue: its delivery in hand becomes uncertain, and
        # the issue goes on when a worker starts again.
        worker.register(
            worker.Claims(
                name="newsletter_deliveries",
                mark_unclear=sending.deliveries_mark_unclear,
                resume=lambda: len(sending.issues_resume_sending()),
            )
        )
