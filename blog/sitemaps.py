"""Sitemaps of the blog: articles, the home page, category, tag and year lists."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from blog.models import Article, Category, Tag


class SiteURLSitemap(Sitemap):
    """Locations under settings.SITE_URL, the same base the canonical links use."""

    def get_urls(self, page=1, site=None, protocol=None):
        base = urlsplit(settings.SITE_URL)
        return self._urls(page, base.scheme or "https", base.netloc + base.path.rstrip("/"))


class ArticleSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, item):
        return item.updated_at


class HomeSitemap(SiteURLSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["blog:home"]

    def location(self, item):
        return reverse(item)


class CategorySitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            Category.objects.filter(articles__in=Article.objects.published())
            .annotate(latest=Max("articles__updated_at"))
            .order_by("name")
        )

    def lastmod(self, item):
        return item.latest


class TagSitemap(CategorySitemap):
    priority = 0.4

    def items(self):
        return (
            Tag.objects.filter(articles__in=Article.objects.published())
            .annotate(latest=Max("articles__updated_at"))
            .order_by("name")
        )


class YearArchiveSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return list(Article.objects.published().dates("published_at", "year"))

    def location(self, item):
        return reverse("blog:archive_year", kwargs={"year": item.year})
