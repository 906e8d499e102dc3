"""The sitemaps behind /sitemap.xml."""

from django.contrib.flatpages.sitemaps import FlatPageSitemap

from blog.sitemaps import (
    ArticleSitemap,
    CategorySitemap,
    HomeSitemap,
    SiteURLSitemap,
    TagSitemap,
    YearArchiveSitemap,
)
from contact.sitemaps import ContactPageSitemap
from newsletter.sitemaps import SignupPagesSitemap


class PageSitemap(SiteURLSitemap, FlatPageSitemap):
    """The flat pages (Über mich, Impressum ...), under the same base URL as everything else."""

    changefreq = "yearly"
    priority = 0.3


sitemaps = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "archive": YearArchiveSitemap,
    "pages": PageSitemap,
    "signup": SignupPagesSitemap,
    "contact": ContactPageSitemap,
}
