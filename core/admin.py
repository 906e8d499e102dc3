"""The author's view of the site's e-mails: which did not arrive, and sending them again."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.mail import email_label, email_preview, emails_send_again
from core.models import OutgoingEmail


class ProblemFilter(admin.SimpleListFilter):
    """Opens on the e-mails that need the author; the others are one click away."""

    title = _("state")
    parameter_name = "zustand"

    def lookups(self, request, model_admin):
        return [
            ("attention", _("Not delivered")),
            ("retrying", _("Being tried again")),
            ("all", _("All")),
        ]

    def value(self):
        return super().value() or "attention"

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "attention":
            return queryset.needing_attention()
        if self.value() == "retrying":
            return queryset.retrying()
        return queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Read-only: e-mails are written by the site; the author can only send failed ones again."""

    list_display = (
        "created_at",
        "kind",
        "recipients",
        "subject",
        "status",
        "attempts",
        "next_attempt",
        "last_error",
    )
    list_filter = (ProblemFilter, "status")
    list_per_page = 50
    actions = ["send_again"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def _preview(self, obj):
        # Built once per row: recipients and subject come from the database as it is now.
        if not hasattr(obj, "_preview"):
            obj._preview = email_preview(obj) if obj.status != obj.Status.SENT else None
        return obj._preview

    @admin.display(description=_("kind"))
    def kind(self, obj):
        return email_label(obj)

    @admin.display(description=_("to"))
    def recipients(self, obj):
        if obj.status == obj.Status.SENT:
            return "–"
        preview = self._preview(obj)
        return preview.recipients if preview else gettext("nothing to send any more")

    @admin.display(description=_("subject"))
    def subject(self, obj):
        preview = self._preview(obj)
        return preview.subject if preview else "–"

    @admin.display(description=_("next attempt"))
    def next_attempt(self, obj):
        if obj.status != obj.Status.QUEUED:
            return "–"
        return timezone.localtime(obj.next_attempt_at).strftime("%d.%m.%Y %H:%M")

    @admin.action(description=_("Send the selected e-mails again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = emails_send_again(emails=queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail is sent again.", "%(count)d e-mails are sent again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.INFO,
        )
