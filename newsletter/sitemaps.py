"""The two signup pages in /sitemap.xml."""

from django.urls import reverse

from blog.sitemaps import SiteURLSitemap


class SignupPagesSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return ["newsletter:guide", "newsletter:signup"]

    def location(self, item):
        return reverse(item)
