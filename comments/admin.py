"""The author's moderation: comment list, one-click and bulk actions, replies, spam words.

Every pending comment has its buttons (approve, spam, trash) in the list, on its change page and
on the admin's start page; each is a POST to `moderate_view`, which comes back to the page it was
pressed on. "Reply" opens `reply_view`, a page with the comment and a box for the answer.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from comments import services
from comments.forms import AdminReplyForm, CommentAdminForm
from comments.models import Comment, CommentSettings, NotificationAddress, SpamWord

PENDING_FIRST = Case(
    When(status=Comment.Status.PENDING, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


# The buttons a comment gets, by its status: (action, label). The list shows them for pending,
# spam and trashed comments; the change page and the e-mail link for every status but its own.
DECISIONS = [
    ("approve", _("Approve")),
    ("mark_spam", _("Spam")),
    ("move_to_trash", _("Trash")),
    ("hold", _("Hold back")),
]
LIST_DECISIONS = {
    Comment.Status.PENDING: ["approve", "mark_spam", "move_to_trash"],
    Comment.Status.SPAM: ["approve"],
    Comment.Status.TRASH: ["approve"],
}


def decisions_for(comment: Comment, *, in_list: bool = False) -> list[tuple[str, str]]:
    """The moderation buttons `comment` offers: none that would leave it as it is."""
    if in_list:
        wanted = LIST_DECISIONS.get(comment.status, [])
        return [(action, label) for action, label in DECISIONS if action in wanted]
    return [
        (action, label)
        for action, label in DECISIONS
        if services.MODERATION_RESULT[action] != comment.status
        and not (action == "hold" and comment.status != Comment.Status.APPROVED)
    ]


def safe_next(request, default: str) -> str:
    """Where to go back to: the page the button was on, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class CommentChangeList(ChangeList):
    """The comment list; a page number past the end shows the last page instead of an error.

    After the last comment of a page was approved from a filtered list, coming back to "page 3"
    of a list that now has two pages must not drop her filters (Django's answer to a missing page).
    """

    def get_results(self, request):
        try:
            super().get_results(request)
        except IncorrectLookupParameters:
            paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
            if self.page_num <= paginator.num_pages:
                raise
            self.page_num = paginator.num_pages
            super().get_results(request)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    change_form_template = "admin/comments/comment/change_form.html"
    # Few, short columns: at 1280 px beside the filters, at 390 px as one card per comment.
    list_display = ["comment_summary", "article_short", "written"]
    list_display_links = ["comment_summary"]
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

    def get_changelist(self, request, **kwargs):
        return CommentChangeList

    def get_list_display(self, request):
        # The buttons need the page to come back to; a column made for this request knows it.
        back_to = request.get_full_path()
        can_moderate = self.has_change_permission(request)

        @admin.display(description=_("decide"))
        def decide(comment):
            if not can_moderate:
                return ""
            return self.decision_buttons(request, comment, next_url=back_to, in_list=True)

        return [*self.list_display, decide]

    def decision_buttons(
        self, request, comment, *, next_url: str, in_list: bool = False, with_reply: bool = True
    ) -> str:
        """The comment's moderation buttons and its reply link, for the list or a page.

        In the list they are buttons of the list's own form (it is one big <form>, so they cannot
        have forms of their own) that send it to the moderation URL instead (formaction).
        """
        return render_to_string(
            "admin/comments/comment/includes/decide.html",
            {
                "comment": comment,
                "decisions": decisions_for(comment, in_list=in_list),
                "can_reply": with_reply
                and comment.status in (Comment.Status.PENDING, Comment.Status.APPROVED)
                and not (in_list and comment.is_author_reply),
                "next": next_url,
                "in_list": in_list,
            },
            request=request,
        )

    # -- one click -----------------------------------------------------------------------------

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path(
                "<int:pk>/entscheiden/", view(self.moderate_view), name="comments_comment_moderate"
            ),
            path("<int:pk>/antworten/", view(self.reply_view), name="comments_comment_reply"),
            *super().get_urls(),
        ]

    def _comment_for_change(self, request, pk) -> Comment:
        comment = get_object_or_404(Comment.objects.select_related("article", "parent"), pk=pk)
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        return comment

    def _changelist_url(self) -> str:
        return reverse("admin:comments_comment_changelist")

    def moderate_view(self, request, pk):
        """POST: approve, spam, trash or hold one comment, then back to where the button was."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = self._comment_for_change(request, pk)
        back_to = safe_next(request, self._changelist_url())
        action = request.POST.get("moderation", "")
        if action not in services.MODERATION_RESULT:
            self.message_user(
                request, gettext("Unknown decision; nothing changed."), messages.ERROR
            )
            return HttpResponseRedirect(back_to)
        changed = services.comment_moderate(comment=comment, action=action, by=request.user)
        self.message_user(request, moderation_message(comment, action, changed), messages.SUCCESS)
        return HttpResponseRedirect(back_to)

    def reply_view(self, request, pk):
        """A page with the comment and a box for the answer; publishing it approves the comment."""
        comment = self._comment_for_change(request, pk)
        back_to = safe_next(request, self._changelist_url())
        form = AdminReplyForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                services.comment_reply(
                    parent=comment, author=request.user, body=form.cleaned_data["body"]
                )
            except services.CommentRejected as rejected:
                form.add_error(None, rejected.message)
            else:
                self.message_user(
                    request,
                    gettext("Your reply to %(name)s is published.") % {"name": comment.name},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(back_to)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reply to %(name)s") % {"name": comment.name},
            "opts": self.opts,
            "comment": comment,
            "form": form,
            "next": back_to,
            "answerable": comment.status in (Comment.Status.PENDING, Comment.Status.APPROVED),
            "decisions": self.decision_buttons(
                request, comment, next_url=request.get_full_path(), with_reply=False
            ),
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            context["decisions"] = self.decision_buttons(
                request, obj, next_url=request.get_full_path()
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("comment"), ordering="status")
    def comment_summary(self, comment):
        return format_html(
            '<span class="comment-status comment-status-{}">{}</span> '
            '<strong class="comment-name">{}</strong>'
            '<span class="comment-excerpt">{}</span>',
            comment.status,
            comment.get_status_display(),
            comment.name,
            Truncator(" ".join(comment.body.split())).chars(110),
        )

    @admin.display(description=_("written"), ordering="created_at")
    def written(self, comment):
        created = timezone.localtime(comment.created_at)
        return format_html(
            '<time datetime="{}">{}<span class="comment-time">{}</span></time>',
            created.isoformat(),
            date_format(created, "DATE_FORMAT"),
            time_format(created, "TIME_FORMAT"),
        )

    @admin.display(description=_("article"), ordering="article__title")
    def article_short(self, comment):
        # Short, so that name, text and date fit beside it on a laptop screen; whole on hover.
        title = comment.article.title
        return format_html('<span title="{}">{}</span>', title, Truncator(title).chars(32))

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


STATUS_ACTIONS = {status: action for action, status in services.MODERATION_RESULT.items()}


def moderation_message(comment: Comment, action: str, changed: bool) -> str:
    """What one click did, naming the comment, so she sees which one it was."""
    values = {
        "name": comment.name,
        "article": Truncator(comment.article.title).chars(60),
        "status": comment.get_status_display(),
    }
    if not changed:
        return (
            gettext("Nothing changed: the comment by %(name)s was already “%(status)s”.") % values
        )
    done = {
        "approve": gettext("Approved: the comment by %(name)s on “%(article)s” is public now."),
        "mark_spam": gettext("Marked as spam: the comment by %(name)s on “%(article)s”."),
        "move_to_trash": gettext("Moved to the trash: the comment by %(name)s on “%(article)s”."),
        "hold": gettext("Held back: the comment by %(name)s on “%(article)s” waits again."),
    }
    return done[action] % values


@admin.register(SpamWord)
class SpamWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_at"]
    search_fields = ["word"]
    fields = ["word"]


@admin.register(CommentSettings)
class CommentSettingsAdmin(admin.ModelAdmin):
    """One row of choices: saving the add form again sets the same row; none is deleted."""

    list_display = ["__str__", "on_erase"]
    fields = ["on_erase"]
    radio_fields = {"on_erase": admin.VERTICAL}

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        return {"on_erase": settings.COMMENTS_ON_ERASE}

    def render_change_form(self, request, context, *args, **kwargs):
        context["show_save_and_add_another"] = False
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.pk = CommentSettings.ROW
        super().save_model(request, obj, form, change)


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
