"""Read-only pages of the blog: lists, the article, search."""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from blog.models import Article, Category, Tag
from blog.search import parse_query, search_articles, with_corrections
from core.params import positive_int


class ArticleListMixin:
    """Published articles, newest first, ten a page, each card's data in one query."""

    model = Article
    paginate_by = 10
    template_name = "blog/article_list.html"
    eyebrow = ""

    def get_queryset(self):
        return Article.objects.published().for_lists()

    def paginate_queryset(self, queryset, page_size):
        # ListView reads ?page= with int(), which takes "١٢" or "1_0" for numbers; a page number
        # here is ASCII digits (or Django's "last"), anything else has no page.
        raw = self.request.GET.get(self.page_kwarg)
        if raw and raw != "last" and positive_int(raw) is None:
            raise Http404("No such page number.")
        return super().paginate_queryset(queryset, page_size)

    def get_heading(self):
        return ""

    def get_intro(self):
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context.update(
            eyebrow=self.eyebrow,
            heading=self.get_heading(),
            intro=self.get_intro(),
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
            if page
            else [],
        )
        return context


class ArticleListView(ArticleListMixin, ListView):
    pass


class CategoryView(ArticleListMixin, ListView):
    eyebrow = _("Category")

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_heading(self):
        return self.category.name

    def get_intro(self):
        return self.category.description or _("All articles in the category “%(name)s”.") % {
            "name": self.category.name
        }


class TagView(ArticleListMixin, ListView):
    eyebrow = _("Tag")

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_heading(self):
        return self.tag.name

    def get_intro(self):
        return self.tag.description or _("All articles tagged “%(name)s”.") % {
            "name": self.tag.name
        }


class YearArchiveView(ArticleListMixin, ListView):
    eyebrow = _("Archive")
    allow_empty = False

    def get_queryset(self):
        # Years far outside the calendar would overflow the date arithmetic: no such archive.
        if not 1000 <= self.kwargs["year"] <= 9998:
            raise Http404
        return super().get_queryset().filter(published_at__year=self.kwargs["year"])

    def get_heading(self):
        return str(self.kwargs["year"])

    def get_intro(self):
        return _("Everything I published in %(year)s.") % {"year": self.kwargs["year"]}

    def get_context_data(self, **kwargs):
        years = Article.objects.published().dates("published_at", "year", order="DESC")
        return super().get_context_data(archive_years=years, **kwargs)


class SearchView(ArticleListMixin, ListView):
    template_name = "blog/article_search.html"

    def get_queryset(self):
        # One query for the corrections, whatever is found: the page's query count stays fixed.
        self.terms = with_corrections(parse_query(self.request.GET.get("q")))
        return search_articles(self.terms, super().get_queryset())

    def get_context_data(self, **kwargs):
        suggestion = self.terms.suggestion
        suggestion_url = (
            f"{reverse('blog:search')}?{urlencode({'q': suggestion})}" if suggestion else ""
        )
        return super().get_context_data(terms=self.terms, suggestion_url=suggestion_url, **kwargs)


class ArticleDetailView(DetailView):
    """One article; staff also open drafts and scheduled articles, marked as a preview."""

    model = Article

    def get_queryset(self):
        return (
            Article.objects.visible_to(self.request.user)
            # The author box (portrait, bio) comes in the same query.
            .select_related("category", "author", "author__author_profile")
            .prefetch_related("tags")
        )

    def get_context_data(self, **kwargs):
        article = self.object
        others = Article.objects.published().only("title", "slug", "published_at")
        older = Q(published_at__lt=article.published_at) | Q(
            published_at=article.published_at, pk__lt=article.pk
        )
        newer = Q(published_at__gt=article.published_at) | Q(
            published_at=article.published_at, pk__gt=article.pk
        )
        # Lazy: the template reads them only when it renders the article afresh, not when it
        # reuses the part of the page that shows them (core/fragments.py).
        return super().get_context_data(
            related_articles=SimpleLazyObject(lambda: Article.objects.related_to(article)),
            previous_article=SimpleLazyObject(
                lambda: others.filter(older).order_by("-published_at", "-id").first()
            ),
            next_article=SimpleLazyObject(
                lambda: others.filter(newer).order_by("published_at", "id").first()
            ),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_public:
            # A preview must never land in a shared cache.
            patch_cache_control(response, private=True, no_store=True)
        return response
