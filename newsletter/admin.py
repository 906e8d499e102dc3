"""The author's side: subscribers and their proof of consent, the guide, issues and sending."""

import csv
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from blog.uploads import UploadRefused, clean_image_upload, clean_pdf_upload
from core import privacy
from core.params import positive_int
from newsletter import sending, services
from newsletter.models import Delivery, Guide, Issue, Subscriber


class ObjectPageMixin:
    """One extra admin page per object (a printable proof, the stored PDF) for its viewers.

    Set `object_page_path` (below the admin's URL, with `<int:pk>`) and `object_page_name`, and
    write `object_page(request, obj)`.
    """

    object_page_path: str
    object_page_name: str

    def get_urls(self):
        view = self.admin_site.admin_view(self._object_page_view)
        return [path(self.object_page_path, view, name=self.object_page_name), *super().get_urls()]

    def _object_page_view(self, request, pk):
        obj = get_object_or_404(self.model, pk=pk)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return self.object_page(request, obj)

    def object_page(self, request, obj):
        raise NotImplementedError

    def object_page_url(self, obj) -> str:
        return reverse(f"admin:{self.object_page_name}", args=[obj.pk])


# ---------------------------------------------------------------------------------------------
# Subscribers


def _local(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def list_date(value, *, label: str = "") -> str:
    """A date for a list column: the day in words, the time on hover; `label` shows on phones,
    where the columns become one card per row without their headings."""
    if not value:
        return "–"
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{}{}</time>',
        local.isoformat(),
        formats.date_format(local, "DATETIME_FORMAT"),
        format_html('<span class="list-label">{} </span>', label) if label else "",
        formats.date_format(local, "DATE_FORMAT"),
    )


def _csv_safe(value) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas; make them plain text."""
    text = str(value or "")
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


PROOF_OF_CONSENT_FIELDS = (
    "proof_link",
    "consent_text",
    "consent_version",
    "signed_up_at",
    "signup_ip",
    "signup_user_agent",
    "confirmation_sent_at",
    "confirmed_at",
    "confirmation_ip",
    "unsubscribed_at",
    "import_source",
    "import_file",
    "imported_at",
)


@admin.register(Subscriber)
class SubscriberAdmin(ObjectPageMixin, admin.ModelAdmin):
    object_page_path = "<int:pk>/nachweis/"
    object_page_name = "newsletter_subscriber_proof"
    # Dates without the time (it shows on hover), so that all columns fit beside the filters.
    list_display = (
        "email",
        "first_name",
        "status_since",
        "source",
        "signed_up",
        "confirmed",
        "downloads",
    )
    list_filter = (
        "status",
        "source",
        "signed_up_at",
        "confirmed_at",
        "consent_version",
        "import_source",
    )
    search_fields = ("email", "first_name")
    date_hierarchy = "signed_up_at"
    list_per_page = 100
    actions = ["export_csv", "unsubscribe", "export_personal_data", "erase_personal_data"]
    fieldsets = (
        (None, {"fields": ("email", "first_name", "status", "source")}),
        (_("Proof of consent"), {"fields": PROOF_OF_CONSENT_FIELDS}),
        (_("Guide"), {"fields": ("guide_downloads", "last_guide_download_at")}),
    )
    # The proof must show what really happened: only the first name may be corrected by hand.
    readonly_fields = (
        "email",
        "status",
        "source",
        *PROOF_OF_CONSENT_FIELDS,
        "guide_downloads",
        "last_guide_download_at",
    )

    def has_add_permission(self, request):
        # Consent comes from the double opt-in; an address typed in here would have no proof.
        return False

    @admin.display(description=_("status"), ordering="status")
    def status_since(self, obj):
        if obj.status == Subscriber.Status.UNSUBSCRIBED and obj.unsubscribed_at:
            return format_html(
                "{}<br>{}",
                obj.get_status_display(),
                list_date(obj.unsubscribed_at),
            )
        return obj.get_status_display()

    @admin.display(description=_("signed up"), ordering="signed_up_at")
    def signed_up(self, obj):
        return list_date(obj.signed_up_at, label=gettext("signed up"))

    @admin.display(description=_("confirmed"), ordering="confirmed_at")
    def confirmed(self, obj):
        return list_date(obj.confirmed_at, label=gettext("confirmed"))

    @admin.display(description=_("guide downloads"), ordering="guide_downloads")
    def downloads(self, obj):
        label = gettext("guide downloads:")
        return format_html('<span class="list-label">{} </span>{}', label, obj.guide_downloads)

    @admin.display(description=_("Printable proof"))
    def proof_link(self, obj):
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}" target="_blank">{}</a>',
            self.object_page_url(obj),
            gettext("Open the proof of consent"),
        )

    def object_page(self, request, subscriber):
        """One printable page with everything that proves this subscriber's consent."""
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Proof of consent: %(email)s") % {"email": subscriber.email},
            "subscriber": subscriber,
            "opts": self.opts,
            "printed_at": timezone.now(),
        }
        return TemplateResponse(request, "newsletter/admin/subscriber_proof.html", context)

    @admin.action(description=_("Export selected subscribers as CSV (Excel)"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"abonnenten-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        # The byte order mark tells Excel the file is UTF-8 (umlauts); a German Excel splits
        # columns at semicolons.
        response.write("\ufeff")
        writer = csv.writer(
            response, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n"
        )
        writer.writerow(
            [
                gettext("E-mail address"),
                gettext("First name"),
                gettext("Status"),
                gettext("Source"),
                gettext("Signed up"),
                gettext("Confirmed"),
                gettext("Unsubscribed"),
                gettext("Consent text version"),
                gettext("Guide downloads"),
            ]
        )
        for s in queryset.order_by("signed_up_at", "pk").iterator():
            writer.writerow(
                [
                    _csv_safe(s.email),
                    _csv_safe(s.first_name),
                    s.get_status_display(),
                    s.get_source_display(),
                    _local(s.signed_up_at),
                    _local(s.confirmed_at),
                    _local(s.unsubscribed_at),
                    _csv_safe(s.consent_version),
                    s.guide_downloads,
                ]
            )
        return response

    @admin.action(description=_("Unsubscribe selected subscribers"), permissions=["change"])
    def unsubscribe(self, request, queryset):
        count = sum(services.subscriber_unsubscribe(subscriber=s) for s in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d subscriber unsubscribed.", "%(count)d subscribers unsubscribed.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export all personal data of the selected addresses (JSON)"))
    def export_personal_data(self, request, queryset):
        emails = list(queryset.values_list("email", flat=True))
        data = [privacy.personal_data_export(email) for email in emails]
        payload = data[0] if len(data) == 1 else data
        response = HttpResponse(
            privacy.personal_data_json(payload),
            content_type="application/json; charset=utf-8",
        )
        name = (
            "personendaten.json" if len(data) != 1 else f"personendaten-{queryset.first().pk}.json"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(
        description=_("Erase all personal data of the selected addresses"), permissions=["delete"]
    )
    def erase_personal_data(self, request, queryset):
        """Asks once more, then removes the subscriptions and anonymises the comments."""
        emails = list(queryset.values_list("email", flat=True))
        if request.POST.get("confirm") == "yes":
            totals: dict[str, int] = {}
            with transaction.atomic():
                for email in emails:
                    for key, value in privacy.personal_data_erase(email).items():
                        totals[key] = totals.get(key, 0) + value
            self.message_user(
                request,
                gettext("Erased: %(what)s.")
                % {"what": ", ".join(privacy.personal_data_erase_summary(totals))},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Erase personal data?"),
            "opts": self.opts,
            "emails": emails,
            "queryset": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "newsletter/admin/erase_confirmation.html", context)


# ---------------------------------------------------------------------------------------------
# Guide


GUIDE_PDF_MAX_BYTES = 30 * 1024 * 1024


class GuideAdminForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields = [
            "title",
            "subtitle",
            "description",
            "contents",
            "cover_image",
            "cover_alt",
            "pdf",
            "is_active",
        ]
        # No link to the current file: it has no public URL (see "Check the PDF").
        widgets = {"pdf": forms.FileInput(attrs={"accept": "application/pdf"})}

    def clean_cover_image(self):
        """The cover is shown to everyone: verified, upright, no EXIF/GPS, a random name."""
        cover = self.cleaned_data.get("cover_image")
        if not isinstance(cover, UploadedFile):  # no new upload: the stored one, or cleared
            return cover
        try:
            return clean_image_upload(cover)
        except UploadRefused as refusal:
            raise forms.ValidationError(refusal.message) from refusal

    def clean_pdf(self):
        """A PDF from its header to its end marker, without scripts, under a random name."""
        pdf = self.cleaned_data.get("pdf")
        if not isinstance(pdf, UploadedFile):
            return pdf
        try:
            return clean_pdf_upload(pdf, max_bytes=GUIDE_PDF_MAX_BYTES)
        except UploadRefused as refusal:
            raise forms.ValidationError(refusal.message) from refusal

    def _get_validation_exclusions(self):
        # Activating this guide deactivates the others (GuideAdmin.save_model), so the
        # "only one active guide" constraint is no reason to refuse the form.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("is_active")
        return exclusions


@admin.register(Guide)
class GuideAdmin(ObjectPageMixin, admin.ModelAdmin):
    object_page_path = "<int:pk>/pdf/"
    object_page_name = "newsletter_guide_pdf"
    form = GuideAdminForm
    list_display = ("title", "is_active", "download_count", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("title",)
    readonly_fields = ("download_count", "pdf_link", "created_at", "updated_at")
    fields = (
        "title",
        "subtitle",
        "description",
        "contents",
        "cover_image",
        "cover_alt",
        "pdf",
        "pdf_link",
        "is_active",
        "download_count",
        "created_at",
        "updated_at",
    )
    actions = ["make_active"]

    def object_page(self, request, guide):
        """The stored PDF for the author to check (the public gets it only by signed link)."""
        try:
            handle = guide.pdf.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404 from error
        return FileResponse(
            handle, filename=guide.download_filename, content_type="application/pdf"
        )

    @admin.display(description=_("Check the PDF"))
    def pdf_link(self, obj):
        if not obj.pk or not obj.pdf:
            return "–"
        return format_html('<a href="{}">{}</a>', self.object_page_url(obj), obj.download_filename)

    def save_model(self, request, obj, form, change):
        activate = obj.is_active
        if activate:
            # Saved inactive first: the service switches the others off and this one on.
            obj.is_active = Guide.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if activate:
            services.guide_activate(guide=obj)

    @admin.action(
        description=_("Offer the selected guide on the landing page"), permissions=["change"]
    )
    def make_active(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Please select exactly one guide."), messages.ERROR)
            return
        guide = queryset.get()
        services.guide_activate(guide=guide)
        self.message_user(
            request,
            gettext("„%(title)s“ is now offered.") % {"title": guide.title},
            messages.SUCCESS,
        )


# ---------------------------------------------------------------------------------------------
# Issues


class IssueAdminForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["subject", "body"]
        help_texts = {
            # Admin help texts are HTML, hence the entities.
            "body": _(
                "The greeting “Hello &lt;first name&gt;,” (just “Hello,” when a subscriber left "
                "no first name) is put above your text automatically, the unsubscribe link and "
                "the Impressum below it: start right with what you want to say."
            ),
        }


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    form = IssueAdminForm
    list_display = ("subject", "status", "progress", "failed", "unclear", "created", "sent")
    list_filter = ("status",)
    search_fields = ("subject",)
    actions = ["send_test", "send", "retry_failed", "resend_unclear"]
    change_form_template = "newsletter/admin/issue_change_form.html"
    readonly_fields = (
        "status",
        "failed_deliveries",
        "unclear_deliveries",
        "created_at",
        "sending_started_at",
        "sent_at",
    )

    class Media:
        css = {"all": ["newsletter/admin/issue.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("subject", "body")
        if obj.is_draft:
            return ("subject", "body", "status", "created_at")
        # Status and the time it was sent are in the progress box above, which keeps them fresh.
        return (
            "subject",
            "body_as_sent",
            "failed_deliveries",
            "unclear_deliveries",
            "created_at",
            "sending_started_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return ("subject", "body_as_sent", *self.readonly_fields)
        return self.readonly_fields

    @admin.display(description=_("text"))
    def body_as_sent(self, obj):
        # Sanitised on every save (Issue.save), like article text, so it is shown as HTML.
        return mark_safe(f'<div class="issue-body-as-sent">{obj.body}</div>')

    # -- list columns --------------------------------------------------------------------------

    @admin.display(description=_("sent / total"))
    def progress(self, obj):
        total = getattr(obj, "deliveries_total", None)
        if total is None:
            return ""
        if obj.is_draft:
            return ""
        text = f"{obj.deliveries_sent} / {total}"
        if obj.deliveries_skipped:
            text += " " + gettext("(%(n)d skipped)") % {"n": obj.deliveries_skipped}
        return format_html('<span class="list-label">{} </span>{}', gettext("sent"), text)

    @admin.display(description=_("failed"))
    def failed(self, obj):
        count = getattr(obj, "deliveries_failed", 0)
        if not count:
            return ""
        return format_html(
            '<a class="issue-failed" href="{}">{}</a>',
            deliveries_url(obj, status=Delivery.Status.FAILED),
            ngettext("%(count)d failed", "%(count)d failed", count) % {"count": count},
        )

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, obj):
        return list_date(obj.created_at, label=gettext("created"))

    @admin.display(description=_("sent"), ordering="sent_at")
    def sent(self, obj):
        return list_date(obj.sent_at, label=gettext("sent")) if obj.sent_at else ""

    @admin.display(description=_("uncertain"))
    def unclear(self, obj):
        return getattr(obj, "deliveries_unclear", 0) or ""

    @admin.display(description=_("Uncertain deliveries"))
    def unclear_deliveries(self, obj):
        unclear = first_deliveries(obj, Delivery.Status.UNCLEAR)
        if not unclear:
            return gettext("None")
        rows = format_html_join("", "<li>{}</li>", ((d.subscriber.email,) for d in unclear))
        return format_html(
            '<p>{}</p><ul class="newsletter-unclear">{}</ul>',
            gettext(
                "The sending stopped while these e-mails were being handed to the mail server. "
                "They may or may not have arrived, so they are not sent again by themselves. "
                "To send them again, use the button below: some of these readers may then get "
                "the issue twice."
            ),
            rows,
        )

    @admin.display(description=_("Failed deliveries"))
    def failed_deliveries(self, obj):
        failed = first_deliveries(obj, Delivery.Status.FAILED)
        if not failed:
            return gettext("None")
        rows = format_html_join(
            "",
            "<li>{} – {} ({})</li>",
            ((d.subscriber.email, d.last_error or "–", d.attempts) for d in failed),
        )
        return format_html(
            '<ul class="newsletter-failed">{}</ul><p><a href="{}">{}</a></p>',
            rows,
            deliveries_url(obj, status=Delivery.Status.FAILED),
            gettext("All failed deliveries"),
        )

    # -- pages of one issue: send (with confirmation), preview, progress -----------------------

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("<int:pk>/senden/", view(self.send_view), name="newsletter_issue_send"),
            path("<int:pk>/vorschau/", view(self.preview_view), name="newsletter_issue_preview"),
            path(
                "<int:pk>/fortschritt/", view(self.progress_view), name="newsletter_issue_progress"
            ),
            *super().get_urls(),
        ]

    def _issue(self, request, pk, *, change: bool = False) -> Issue:
        issue = get_object_or_404(Issue.objects.with_progress(), pk=pk)
        # Sending needs the right to change issues (a sent one is read-only, but may show that).
        allowed = (
            self.has_change_permission(request)
            if change
            else self.has_view_permission(request, issue)
        )
        if not allowed:
            raise PermissionDenied
        return issue

    def send_view(self, request, pk):
        """The confirmation page: the issue as subscribers will get it, their number, one button.

        Nothing is sent on GET; the button (POST) starts the sending.
        """
        issue = self._issue(request, pk, change=True)
        if request.method == "POST":
            if "_send_test" in request.POST:
                self._send_test_to(request, issue)
                return HttpResponseRedirect(request.path)
            if issue.is_draft and not sending.issue_recipient_count():
                # The page offers no button then; a stale page's button changes nothing either.
                self.message_user(
                    request,
                    gettext(
                        "Nobody has confirmed a signup yet, so there is nobody to send the issue "
                        "to."
                    ),
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
            if issue.is_draft:
                self._start_sending(request, issue)
            return HttpResponseRedirect(reverse("admin:newsletter_issue_change", args=[issue.pk]))
        preview = sending.issue_preview_email(issue=issue)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Send „%(subject)s“") % {"subject": issue.subject},
            "opts": self.opts,
            "issue": issue,
            "original": issue,
            "recipients": sending.issue_recipient_count(),
            "sample_first_name": sending.SAMPLE_FIRST_NAME,
            "subject_line": preview.subject,
            "from_email": preview.from_email,
            "text_version": preview.body,
            "preview_url": reverse("admin:newsletter_issue_preview", args=[issue.pk]),
            "subscribers_url": reverse("admin:newsletter_subscriber_changelist")
            + "?status__exact=confirmed",
        }
        response = TemplateResponse(request, "newsletter/admin/issue_send.html", context)
        response._csp_update = {"frame-src": ["'self'"]}  # the preview below, from this site
        return response

    def preview_view(self, request, pk):
        """The e-mail's HTML exactly as a subscriber gets it, for the frame of the send page."""
        issue = self._issue(request, pk)
        preview = sending.issue_preview_email(issue=issue)
        html = next((content for content, kind in preview.alternatives if kind == "text/html"), "")
        # Links open outside the small frame (the e-mail's own HTML stays as it is).
        html = html.replace("<head>", '<head>\n<base target="_blank">', 1)
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["X-Frame-Options"] = "SAMEORIGIN"
        images = ["'self'", "data:"] + [
            origin
            for origin in {_origin(settings.SITE_URL), _origin(request.build_absolute_uri("/"))}
            if origin
        ]
        # Mail programs apply the e-mail's own <style> and style="" attributes; nothing runs.
        response._csp_replace = {
            "style-src": ["'unsafe-inline'"],
            "img-src": images,
            "script-src": ["'none'"],
            "frame-ancestors": ["'self'"],
            "form-action": ["'none'"],
        }
        return response

    def progress_view(self, request, pk):
        """The delivery progress as JSON, for the issue page's progress box."""
        issue = self._issue(request, pk)
        return JsonResponse(issue_progress(issue))  # admin_view marks it never_cache

    def _start_sending(self, request, issue) -> None:
        result = sending.issue_send(issue=issue)
        if result is sending.SendResult.STARTED:
            count = issue.deliveries.count()
            text, level = (
                ngettext(
                    "„%(subject)s“ is being sent to %(count)d subscriber.",
                    "„%(subject)s“ is being sent to %(count)d subscribers.",
                    count,
                ),
                messages.SUCCESS,
            )
        elif result is sending.SendResult.RESUMED:
            count, text, level = 0, gettext("Sending of „%(subject)s“ continues."), messages.INFO
        else:
            count, text, level = (
                0,
                gettext("„%(subject)s“ was sent already; nobody gets it twice."),
                messages.WARNING,
            )
        self.message_user(request, text % {"subject": issue.subject, "count": count}, level)

    # -- the change page -----------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not obj.is_draft:
            # What went out stays as it was sent (every field is read-only): nothing to save.
            context.update(
                show_save=False, show_save_and_continue=False, show_save_and_add_another=False
            )
            progress_issue = Issue.objects.with_progress().get(pk=obj.pk)
            context["progress"] = issue_progress(progress_issue)
            context["progress_url"] = reverse("admin:newsletter_issue_progress", args=[obj.pk])
            context["deliveries_url"] = deliveries_url(obj)
            context["failed_url"] = deliveries_url(obj, status=Delivery.Status.FAILED)
        if obj is not None and obj.is_draft:
            context["send_url"] = reverse("admin:newsletter_issue_send", args=[obj.pk])
            context["recipients"] = sending.issue_recipient_count()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_send_test" in request.POST:
            self._send_test_to(request, obj)
            return HttpResponseRedirect(reverse("admin:newsletter_issue_change", args=[obj.pk]))
        if "_send_confirm" in request.POST:
            return HttpResponseRedirect(reverse("admin:newsletter_issue_send", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_send_test" in request.POST:
            self._send_test_to(request, obj)
            return HttpResponseRedirect(request.path)
        if "_send_confirm" in request.POST and obj.is_draft:
            return HttpResponseRedirect(reverse("admin:newsletter_issue_send", args=[obj.pk]))
        if "_resend_unclear" in request.POST:
            self._resend_unclear(request, [obj])
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def _send_test_to(self, request, issue) -> None:
        address = (request.user.email or "").strip()
        if not address:
            self.message_user(
                request,
                gettext("Your account has no e-mail address; add one to get test e-mails."),
                messages.ERROR,
            )
            return
        try:
            sending.issue_send_test(issue=issue, to=address)
        except Exception as error:  # the mail server's answer is shown to the author
            self.message_user(
                request,
                gettext("The test e-mail could not be sent: %(error)s") % {"error": error},
                messages.ERROR,
            )
            return
        self.message_user(
            request,
            gettext("Test e-mail of „%(subject)s“ sent to %(address)s.")
            % {"subject": issue.subject, "address": address},
            messages.SUCCESS,
        )

    # -- actions -------------------------------------------------------------------------------

    @admin.action(description=_("Send a test to me"), permissions=["change"])
    def send_test(self, request, queryset):
        for issue in queryset:
            self._send_test_to(request, issue)

    @admin.action(description=_("Send to all confirmed subscribers …"), permissions=["change"])
    def send(self, request, queryset):
        """Opens the confirmation page of the selected issue; only its button sends."""
        issues = list(queryset[:2])
        if len(issues) != 1:
            self.message_user(
                request,
                gettext("Please select exactly one issue to send; each gets its own check."),
                messages.ERROR,
            )
            return None
        return HttpResponseRedirect(reverse("admin:newsletter_issue_send", args=[issues[0].pk]))

    @admin.action(description=_("Try failed deliveries again"), permissions=["change"])
    def retry_failed(self, request, queryset):
        count = sum(sending.issue_retry_failed(issue=issue) for issue in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery is tried again.", "%(count)d deliveries are tried again.", count
            )
            % {"count": count},
            messages.SUCCESS if count else messages.INFO,
        )

    @admin.action(description=_("Send uncertain deliveries again"), permissions=["change"])
    def resend_unclear(self, request, queryset):
        self._resend_unclear(request, queryset)

    def _resend_unclear(self, request, issues) -> None:
        count = sum(sending.issue_resend_unclear(issue=issue) for issue in issues)
        self.message_user(
            request,
            ngettext(
                "%(count)d uncertain delivery is sent again.",
                "%(count)d uncertain deliveries are sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.INFO,
        )


def deliveries_url(issue, **filters) -> str:
    """The delivery list of one issue (optionally filtered, e.g. status="failed")."""
    query = {"issue__id__exact": issue.pk, **{f"{k}__exact": v for k, v in filters.items()}}
    return f"{reverse('admin:newsletter_delivery_changelist')}?{urlencode(query)}"


def first_deliveries(issue, status, limit: int = 50) -> list:
    """The issue's first deliveries in `status`, with their subscribers, for its change page."""
    return list(
        issue.deliveries.filter(status=status).select_related("subscriber").order_by("pk")[:limit]
    )


def issue_progress(issue) -> dict:
    """Sent, still open, failed, uncertain and skipped deliveries of an issue (with_progress())."""
    return {
        "status": issue.status,
        "status_label": issue.get_status_display(),
        "finished": issue.status == Issue.Status.SENT,
        "total": issue.deliveries_total,
        "sent": issue.deliveries_sent,
        "open": issue.deliveries_open,
        "failed": issue.deliveries_failed,
        "skipped": issue.deliveries_skipped,
        "unclear": issue.deliveries_unclear,
        "sent_at": (
            formats.date_format(timezone.localtime(issue.sent_at), "DATETIME_FORMAT")
            if issue.sent_at
            else ""
        ),
    }


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: who got which issue, and what went wrong where it failed.

    Not a section of its own: the issue's page links to its deliveries.
    """

    change_list_template = "newsletter/admin/delivery_change_list.html"
    list_display = ("issue", "subscriber", "status", "attempts", "sent_at", "error")
    list_filter = ("status", "issue")
    search_fields = ("subscriber__email", "issue__subject")
    list_select_related = ("issue", "subscriber")
    list_per_page = 100

    def has_module_permission(self, request):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @staticmethod
    def _issue_filtered(request) -> Issue | None:
        issue_id = positive_int(request.GET.get("issue__id__exact", ""))
        if issue_id is None:
            return None
        return Issue.objects.filter(pk=issue_id).only("pk", "subject").first()

    def get_list_display(self, request):
        # The deliveries of one issue need no column naming it.
        if "issue__id__exact" in request.GET:
            return tuple(name for name in self.list_display if name != "issue")
        return self.list_display

    @admin.display(description=_("last error"))
    def error(self, delivery):
        if not delivery.last_error:
            return ""
        return format_html(
            '<span title="{}">{}</span>',
            delivery.last_error,
            Truncator(delivery.last_error).chars(60),
        )

    def changelist_view(self, request, extra_context=None):
        # Coming from an issue, the title names it and the way back leads to it.
        issue = self._issue_filtered(request)
        context = {"issue": issue, "issue_opts": Issue._meta}
        if issue is not None:
            context["title"] = gettext("Deliveries of „%(subject)s“") % {"subject": issue.subject}
        return super().changelist_view(request, {**(extra_context or {}), **context})
