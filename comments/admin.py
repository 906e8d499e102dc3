"""The author's moderation: comment list, bulk actions, the `reply` field, the spam word list."""

from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import services
from comments.forms import CommentAdminForm
from comments.models import Comment, NotificationAddress, SpamWord

PENDING_FIRST = Case(
    When(status=Comment.Status.PENDING, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    list_display = ["status_label", "article_short", "name", "excerpt", "created_at"]
    list_display_links = ["excerpt"]
    list_filter = ["status", ("article", admin.RelatedOnlyFieldListFilter), "is_author_reply"]
    search_fields = ["name", "email", "body"]
    list_select_related = ["article"]
    list_per_page = 50
    date_hierarchy = "created_at"
    ordering = [PENDING_FIRST.asc(), "-created_at", "-id"]
    actions = ["approve", "mark_spam", "move_to_trash"]
    readonly_fields = [
        "article_link",
        "conversation",
        "existing_replies",
        "created_at",
        "is_author_reply",
        "ip_address",
        "user_agent",
        "moderated_by",
        "moderated_at",
    ]
    fieldsets = [
        (None, {"fields": ["article_link", "conversation", "status", "body"]}),
        (_("Reply"), {"fields": ["existing_replies", "reply"]}),
        (
            _("Sender"),
            {"fields": ["name", "email", "url", "notify_replies", "is_author_reply"]},
        ),
        (
            _("Moderation"),
            {
                "fields": [
                    "created_at",
                    "moderation_note",
                    "moderated_by",
                    "moderated_at",
                    "ip_address",
                    "user_agent",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = {"all": ["comments/css/admin.css"]}

    def has_add_permission(self, request):
        # New comments come from readers; the author writes hers with the `reply` field.
        return False

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, comment):
        return format_html(
            '<span class="comment-status comment-status-{}">{}</span>',
            comment.status,
            comment.get_status_display(),
        )

    @admin.display(description=_("article"), ordering="article__title")
    def article_short(self, comment):
        # Short, so that name, text and date fit beside it on a laptop screen.
        return Truncator(comment.article.title).chars(40)

    @admin.display(description=_("excerpt"))
    def excerpt(self, comment):
        return Truncator(" ".join(comment.body.split())).chars(80)

    @admin.display(description=_("article"))
    def article_link(self, comment):
        return format_html('<a href="{}">{}</a>', comment.get_absolute_url(), comment.article.title)

    @admin.display(description=_("in reply to"))
    def conversation(self, comment):
        if comment.parent_id is None:
            return _("(a new comment, not a reply)")
        parent = comment.parent
        return format_html(
            '<a href="{}">{}</a>: „{}“',
            parent.get_admin_url(),
            parent.name,
            Truncator(" ".join(parent.body.split())).chars(200),
        )

    @admin.display(description=_("replies so far"))
    def existing_replies(self, comment):
        replies = comment.replies.order_by("created_at", "id")
        if not replies:
            return _("(none yet)")
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> ({}): „{}“',
            (
                (
                    reply.get_admin_url(),
                    reply.name,
                    reply.get_status_display(),
                    Truncator(" ".join(reply.body.split())).chars(120),
                )
                for reply in replies
            ),
        )

    def _moderate_selected(self, request, queryset, action: str) -> int:
        changed = 0
        for comment in queryset.select_related("article", "parent"):
            if services.comment_moderate(comment=comment, action=action, by=request.user):
                changed += 1
        return changed

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        count = self._moderate_selected(request, queryset, "approve")
        message = ngettext("%(count)s comment approved.", "%(count)s comments approved.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        count = self._moderate_selected(request, queryset, "mark_spam")
        message = ngettext(
            "%(count)s comment marked as spam.", "%(count)s comments marked as spam.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Move selected comments to the trash"), permissions=["change"])
    def move_to_trash(self, request, queryset):
        count = self._moderate_selected(request, queryset, "move_to_trash")
        message = ngettext(
            "%(count)s comment moved to the trash.",
            "%(count)s comments moved to the trash.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        # A status change goes through the moderation services (audit trail, reply notices).
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if obj.status != new_status:
            services.comment_moderate(
                comment=obj, action=STATUS_ACTIONS[new_status], by=request.user
            )
        reply = (form.cleaned_data.get("reply") or "").strip()
        if reply:
            # The service approves a pending comment before publishing the reply under it.
            services.comment_reply(parent=obj, author=request.user, body=reply)
            self.message_user(
                request, _("Your reply is published under this comment."), messages.SUCCESS
            )


STATUS_ACTIONS = {
    Comment.Status.PENDING: "hold",
    Comment.Status.APPROVED: "approve",
    Comment.Status.SPAM: "mark_spam",
    Comment.Status.TRASH: "move_to_trash",
}


@admin.register(SpamWord)
class SpamWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_at"]
    search_fields = ["word"]
    fields = ["word"]


@admin.register(NotificationAddress)
class NotificationAddressAdmin(admin.ModelAdmin):
    """Who asked for reply notices; read-only, because only the owner may confirm."""

    list_display = ["email", "created_at", "confirmed_at", "unsubscribed_at"]
    search_fields = ["email"]
    readonly_fields = [
        "email",
        "created_at",
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
