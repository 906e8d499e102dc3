"""The author's view of the site's e-mails: which did not arrive, and sending them again."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.mail import email_label, email_preview, emails_send_again
from core.models import OutgoingEmail


class StateFilter(admin.SimpleListFilter):
    """Opens on the e-mails that need the author; the others are one click away."""

    title = _("state")
    parameter_name = "zustand"

    def lookups(self, request, model_admin):
        return [
            ("attention", _("Not delivered")),
            ("retrying", _("Being tried again")),
            ("sent", _("Sent")),
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
        value = self.value()
        if value == "attention":
            return queryset.needing_attention()
        if value == "retrying":
            return queryset.retrying()
        if value == "sent":
            return queryset.filter(status=OutgoingEmail.Status.SENT)
        return queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Read-only: e-mails are written by the site; the author can only send failed ones again."""

    list_display = ("created_at", "email", "recipients", "state")
    list_filter = (StateFilter,)
    list_per_page = 50
    actions = ["send_again"]

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": gettext("E-mails of the site"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

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

    @admin.display(description=_("e-mail"))
    def email(self, obj):
        preview = self._preview(obj)
        if preview is None:
            return email_label(obj)
        return format_html("{}<br><small>{}</small>", email_label(obj), preview.subject)

    @admin.display(description=_("to"))
    def recipients(self, obj):
        if obj.status == obj.Status.SENT:
            return "–"
        preview = self._preview(obj)
        return preview.recipients if preview else gettext("nothing to send any more")

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.status == obj.Status.UNCLEAR:
            note = gettext(
                "The worker stopped while handing it to the mail server: it may or may not "
                "have arrived. It is not sent again unless you choose to."
            )
        elif obj.status != obj.Status.SENT:
            note = obj.last_error
        else:
            note = ""
        if not note:
            return self._state(obj)
        return format_html("{}<br><small>{}</small>", self._state(obj), note)

    def _state(self, obj) -> str:
        text = obj.get_status_display()
        if obj.status == obj.Status.QUEUED and obj.attempts:
            when = timezone.localtime(obj.next_attempt_at).strftime("%d.%m.%Y %H:%M")
            return gettext("%(state)s: attempt %(next)d at %(when)s") % {
                "state": gettext("Being tried again"),
                "next": obj.attempts + 1,
                "when": when,
            }
        if obj.status == obj.Status.FAILED:
            return ngettext(
                "%(state)s after %(count)d attempt",
                "%(state)s after %(count)d attempts",
                obj.attempts,
            ) % {"state": text, "count": obj.attempts}
        return text

    @admin.action(description=_("Send the selected e-mails again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = emails_send_again(emails=queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail is sent again.", "%(count)d e-mails are sent again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.INFO,
        )
