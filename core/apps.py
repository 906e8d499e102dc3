from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The base layer: mail, rate limits, signed links, spam defences, page cache, privacy.

    Every app may import from here; nothing here imports an app. Apps plug in what they add
    (watched models, personal data, rows a worker claims) through core.invalidation,
    core.privacy and core.worker.
    """

    name = "core"
    verbose_name = _("Site basics")

    def ready(self):
        from core import mail, privacy, taskrows, worker

        worker.register(
            worker.Claims(
                name="emails", mark_unclear=mail.emails_mark_unclear, resume=mail.emails_send_due
            )
        )
        privacy.register(
            privacy.PersonalData(
                export_key="background_tasks",
                export=taskrows.task_rows_personal_data,
                erase_key="background_tasks_deleted",
                erase=taskrows.task_rows_erase,
                title=_("Records of background tasks"),
                erase_note=lambda: str(_("records of background tasks that name your address;")),
                erased=taskrows.task_rows_erased_text,
            )
        )
