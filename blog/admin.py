"""The author's admin for articles, categories, tags and her author box."""

import re

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from blog.forms import ArticleAdminForm, AuthorProfileAdminForm, LabelledSplitDateTime
from blog.models import Article, AuthorProfile, Category, Tag
from blog.publishing import publication_date_for, publish_articles, unpublish_articles

# The body is sanitised HTML (blog.sanitize), so attributes are always name="value".
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_ALT_TEXT = re.compile(r'\salt="[^"]*\S[^"]*"')

# The comments app names its reverse relation "comments"; blog does not import from it.
APPROVED_COMMENTS = Count("comments", filter=Q(comments__status="approved"), distinct=True)


def _local_datetime(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


class PublicationStateFilter(admin.SimpleListFilter):
    """Status as the author thinks of it: online, scheduled for later, or draft."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("public", _("Online")),
            ("scheduled", _("Scheduled")),
            ("draft", _("Draft")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "public":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "draft":
            return queryset.drafts()
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = (
        "title",
        "state",
        "publication_date",
        "category",
        "approved_comments",
        "site_link",
    )
    list_filter = (
        PublicationStateFilter,
        "category",
        "tags",
        "published_at",
    )
    list_select_related = ("category",)
    list_per_page = 50
    search_fields = ("title", "teaser", "body")
    search_help_text = _("Searches title, teaser and text.")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("tags",)
    # The admin's split date and time inputs, each with a name for screen readers.
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    autocomplete_fields = ("related",)
    readonly_fields = ("preview", "reading_time", "created_at", "updated_at")
    actions = ("publish", "unpublish")
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("title", "slug", "teaser", "body")}),
        (
            _("Publishing"),
            {
                "fields": ("status", "published_at", "preview", "author", "comments_open"),
                "description": _(
                    "Readers see an article once it is published and its date has come. "
                    "A date in the future schedules it."
                ),
            },
        ),
        (
            _("Cover image"),
            {
                "fields": ("cover_image", "cover_alt", "cover_credit"),
                "description": _(
                    "Shown above the article and in lists. The credit names the photographer "
                    "and the licence, for example CC BY 3.0."
                ),
            },
        ),
        (_("Topics and related articles"), {"fields": ("category", "tags", "related")}),
        (
            _("Search engines"),
            {"fields": ("meta_description",), "classes": ("collapse",)},
        ),
        (
            _("Details"),
            {"fields": ("reading_time", "created_at", "updated_at"), "classes": ("collapse",)},
        ),
    )

    class Media:
        css = {"all": ["blog/admin/admin.css"]}
        js = ["admin/js/urlify.js", "blog/admin/german-slugs.js"]  # wraps urlify's URLify()

    def get_queryset(self, request):
        # A GROUP BY query ignores Meta.ordering, so it is given back explicitly (the autocomplete
        # of related articles pages through this queryset).
        return (
            super()
            .get_queryset(request)
            .annotate(approved_comment_count=APPROVED_COMMENTS)
            .order_by(*Article._meta.ordering)
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        return initial

    # -- list columns --------------------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def state(self, article):
        if article.is_scheduled:
            label, css = _("Scheduled"), "scheduled"
        elif article.is_public:
            label, css = _("Online"), "public"
        else:
            label, css = _("Draft"), "draft"
        return format_html('<span class="blog-badge blog-badge--{}">{}</span>', css, label)

    @admin.display(description=_("date"), ordering="published_at")
    def publication_date(self, article):
        date = _local_datetime(article.published_at)
        if article.published_at > timezone.now():
            return format_html(
                '{} <span class="blog-badge blog-badge--scheduled">{}</span>', date, _("scheduled")
            )
        return date

    @admin.display(description=_("comments"), ordering="approved_comment_count")
    def approved_comments(self, article):
        # The label shows only on phones, where the list has no column headings.
        return format_html(
            '<span class="list-label">{} </span>{}', _("comments:"), article.approved_comment_count
        )

    @admin.display(description=_("on the site"))
    def site_link(self, article):
        label = _("View") if article.is_public else _("Preview")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', article.get_absolute_url(), label
        )

    # -- change form ---------------------------------------------------------------------------

    @admin.display(description=_("preview"))
    def preview(self, article):
        if not article.pk:
            return _("Save the article once to get a preview.")
        if article.is_public:
            note = _("Online: everybody can read it.")
        elif article.is_scheduled:
            note = _("Scheduled: only you can see it until %(date)s.") % {
                "date": _local_datetime(article.published_at)
            }
        else:
            note = _("Draft: only you can see it.")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a> <span class="blog-note">{}</span>',
            article.get_absolute_url(),
            _("Open the article as readers will see it"),
            note,
        )

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data and obj.status == Article.Status.PUBLISHED:
            obj.published_at = publication_date_for(
                obj, date_set_by_hand="published_at" in form.changed_data, now=timezone.now()
            )
        super().save_model(request, obj, form, change)

    def _notes_after_save(self, request, article):
        self._warn_about_images_without_alt_text(request, article)
        self._warn_about_date(request, article)

    def _warn_about_images_without_alt_text(self, request, article):
        missing = sum(1 for tag in _IMG_TAG.findall(article.body) if not _ALT_TEXT.search(tag))
        if missing:
            self.message_user(
                request,
                ngettext(
                    "%(count)d image in the text has no alternative text. Click the image in the "
                    "editor and then “Change image text alternative” to describe it.",
                    "%(count)d images in the text have no alternative text. Click each image in "
                    "the editor and then “Change image text alternative” to describe it.",
                    missing,
                )
                % {"count": missing},
                messages.WARNING,
            )

    def _warn_about_date(self, request, article):
        if article.published_at <= timezone.now():
            return
        date = _local_datetime(article.published_at)
        if article.status == Article.Status.PUBLISHED:
            self.message_user(
                request,
                _(
                    "Scheduled: “%(title)s” appears on %(date)s. Until then readers cannot see "
                    "it, not even with the link."
                )
                % {"title": article.title, "date": date},
                messages.WARNING,
            )
        else:
            self.message_user(
                request,
                _(
                    "“%(title)s” is a draft with a date in the future (%(date)s). Readers will "
                    "see it from that date once you publish it."
                )
                % {"title": article.title, "date": date},
                messages.INFO,
            )

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._notes_after_save(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self._notes_after_save(request, obj)
        return response

    # -- actions -------------------------------------------------------------------------------

    @admin.action(description=_("Publish selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        # A fresh queryset: the list's comment count annotation cannot be locked for update.
        counts = publish_articles(
            Article.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        )
        if counts["published"]:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article is now online.",
                    "%(count)d articles are now online.",
                    counts["published"],
                )
                % {"count": counts["published"]},
                messages.SUCCESS,
            )
        if counts["scheduled"]:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article is scheduled: it appears on its date in the future.",
                    "%(count)d articles are scheduled: they appear on their dates in the future.",
                    counts["scheduled"],
                )
                % {"count": counts["scheduled"]},
                messages.WARNING,
            )
        if counts["unchanged"]:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article was already published.",
                    "%(count)d articles were already published.",
                    counts["unchanged"],
                )
                % {"count": counts["unchanged"]},
                messages.INFO,
            )

    @admin.action(
        description=_("Unpublish selected articles (back to draft)"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        changed = unpublish_articles(
            Article.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d article is a draft again.",
                "%(count)d articles are drafts again.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS if changed else messages.INFO,
        )


class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "article_count")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}

    class Media:
        js = ["admin/js/urlify.js", "blog/admin/german-slugs.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(Category)
class CategoryAdmin(TaxonomyAdmin):
    pass


@admin.register(Tag)
class TagAdmin(TaxonomyAdmin):
    pass


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    """Portrait and short bio under the articles; an author edits only her own."""

    form = AuthorProfileAdminForm
    list_display = ("__str__", "has_portrait")
    readonly_fields = ("portrait_preview",)

    class Media:
        css = {"all": ["blog/admin/admin.css"]}

    @admin.display(description=_("as readers see it"))
    def portrait_preview(self, profile):
        picture = profile.portrait_picture
        if picture is None:
            return "–"
        return format_html(
            '<img src="{}" width="96" height="96" alt="" class="blog-portrait-preview">',
            picture.src,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One box per author: "save and add another" would lead nowhere.
        extra_context = {**(extra_context or {}), "show_save_and_add_another": False}
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(boolean=True, description=_("portrait"))
    def has_portrait(self, profile):
        return bool(profile.portrait)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user=request.user)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return [name for name in fields if name != "user"]

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.user = request.user
        super().save_model(request, obj, form, change)

    def add_view(self, request, form_url="", extra_context=None):
        # One box per author: a second "add" opens the one she has (checked here, not in
        # has_add_permission(), which the start page would ask with a query per visit).
        if not request.user.is_superuser:
            own = AuthorProfile.objects.filter(user=request.user).only("pk").first()
            if own is not None:
                return redirect(reverse("admin:blog_authorprofile_change", args=[own.pk]))
        return super().add_view(request, form_url, extra_context)

    def get_urls(self):
        mine = path(
            "mein-profil/",
            self.admin_site.admin_view(self.own_profile_view),
            name="blog_authorprofile_mine",
        )
        return [mine, *super().get_urls()]

    def own_profile_view(self, request):
        """Her own author box: its change page, or the page to add it when she has none yet."""
        profile = AuthorProfile.objects.filter(user=request.user).only("pk").first()
        if profile is None:
            return redirect(reverse("admin:blog_authorprofile_add"))
        return redirect(reverse("admin:blog_authorprofile_change", args=[profile.pk]))
