"""The contact page in /sitemap.xml."""

from django.urls import reverse

from blog.sitemaps import SiteURLSitemap


class ContactPageSitemap(SiteURLSitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return ["contact:request"]

    def location(self, item):
        return reverse(item)
