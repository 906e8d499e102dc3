"""Read-only pages of the blog. (Placeholder views; the blog issue replaces them.)"""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from blog.models import Article, Category, Tag


class PublishedArticlesMixin:
    paginate_by = 10

    def get_queryset(self):
        return Article.objects.published().select_related("category", "author")


class ArticleListView(PublishedArticlesMixin, ListView):
    template_name = "blog/article_list.html"


class CategoryView(PublishedArticlesMixin, ListView):
    template_name = "blog/article_list.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)


class TagView(PublishedArticlesMixin, ListView):
    template_name = "blog/article_list.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)


class ArticleDetailView(DetailView):
    template_name = "blog/article_detail.html"

    def get_queryset(self):
        return Article.objects.published().select_related("category", "author")
