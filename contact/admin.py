"""The author's side: consultation requests with their status and her note, topics, page texts."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contact import services
from contact.models import ConsultationRequest, ContactPage, Topic


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(admin.ModelAdmin):
    """Requests come from visitors: what they wrote stays as it is; she sets status and note."""

    list_display = ["name", "topic", "status", "received", "email_link"]
    list_filter = ["status", "topic"]
    search_fields = ["name", "email", "phone", "message", "note"]
    list_select_related = ["topic"]
    list_per_page = 50
    date_hierarchy = "created_at"
    actions = ["mark_answered", "mark_closed"]
    readonly_fields = [
        "name",
        "email_link",
        "phone",
        "topic",
        "message",
        "consent_text",
        "created_at",
        "answered_at",
        "closed_at",
    ]
    fieldsets = [
        (None, {"fields": ["status", "note"]}),
        (
            _("The request"),
            {"fields": ["name", "email_link", "phone", "topic", "message", "created_at"]},
        ),
        (_("Consent and dates"), {"fields": ["consent_text", "answered_at", "closed_at"]}),
    ]

    def has_add_permission(self, request):
        return False  # requests come from the contact page

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, consultation):
        local = timezone.localtime(consultation.created_at)
        return format_html(
            '<time datetime="{}">{}</time>',
            local.isoformat(),
            formats.date_format(local, "DATETIME_FORMAT"),
        )

    @admin.display(description=_("e-mail address"), ordering="email")
    def email_link(self, consultation):
        return format_html('<a href="mailto:{0}">{0}</a>', consultation.email)

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            # The form has set the new status already; set_status() also notes the dates.
            new_status = obj.status
            obj.status = form.initial["status"]
            obj.set_status(new_status)
        super().save_model(request, obj, form, change)

    def _set_status(self, request, queryset, status) -> None:
        count = sum(
            services.consultation_request_set_status(consultation=consultation, status=status)
            for consultation in queryset
        )
        label = ConsultationRequest.Status(status).label
        message = ngettext(
            "%(count)s request marked as “%(status)s”.",
            "%(count)s requests marked as “%(status)s”.",
            count,
        )
        self.message_user(request, message % {"count": count, "status": label}, messages.SUCCESS)

    @admin.action(description=_("Mark selected requests as answered"), permissions=["change"])
    def mark_answered(self, request, queryset):
        self._set_status(request, queryset, ConsultationRequest.Status.ANSWERED)

    @admin.action(description=_("Close selected requests"), permissions=["change"])
    def mark_closed(self, request, queryset):
        self._set_status(request, queryset, ConsultationRequest.Status.CLOSED)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "active"]
    list_editable = ["position", "active"]
    search_fields = ["name"]
    fields = ["name", "position", "active"]


@admin.register(ContactPage)
class ContactPageAdmin(admin.ModelAdmin):
    """One row: the list leads straight to its change page."""

    fieldsets = [
        (_("Contact page"), {"fields": ["intro"]}),
        (
            _("Box in the sidebar"),
            {"fields": ["sidebar_enabled", "sidebar_title", "sidebar_text", "sidebar_link_text"]},
        ),
    ]

    def has_add_permission(self, request):
        # Only if the row is missing (the data migration creates it).
        return super().has_add_permission(request) and not ContactPage.objects.exists()

    def get_model_perms(self, request):
        # For the start page's list of sections: no "add" link, and no query to decide that.
        return {
            "add": False,
            "change": self.has_change_permission(request),
            "delete": False,
            "view": self.has_view_or_change_permission(request),
        }

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        page = ContactPage.objects.order_by("pk").first()
        if page is None:
            return HttpResponseRedirect(reverse("admin:contact_contactpage_add"))
        return HttpResponseRedirect(reverse("admin:contact_contactpage_change", args=[page.pk]))
