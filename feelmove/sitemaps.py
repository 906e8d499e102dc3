"""The sitemaps behind /sitemap.xml."""

from django.contrib.flatpages.sitemaps import FlatPageSitemap

sitemaps = {
    "pages": FlatPageSitemap,
}
