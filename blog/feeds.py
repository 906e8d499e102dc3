"""The latest articles as RSS 2.0 (/feed/) and Atom (/feed/atom/), with their full text."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from blog.models import Article

FEED_LENGTH = 20
# Links and images in article HTML are site-relative; a feed reader needs them absolute.
_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def absolute_html(html: str) -> str:
    return _RELATIVE_URL.sub(rf"\1{settings.SITE_URL}/", html)


class FullTextAtomFeed(Atom1Feed):
    """Atom with the teaser as <summary> and the whole article as <content>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestArticlesFeed(Feed):
    feed_type = Rss201rev2Feed
    title = f"{settings.SITE_NAME} – {settings.SITE_TAGLINE}"
    description = _("New articles on back pain, fascia, stretching and movement in everyday life.")
    language = "de"

    def link(self):
        return absolute(reverse("blog:home"))

    def feed_url(self):
        return absolute(reverse("blog:feed"))

    def items(self):
        return (
            Article.objects.published()
            .select_related("author", "category")
            .prefetch_related("tags")
            .order_by("-published_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_description(self, item):
        # The teaser leads in, the whole article follows: readers can read it in their reader.
        teaser = f"<p>{escape(item.teaser)}</p>" if item.teaser else ""
        return teaser + absolute_html(item.body)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.get_full_name() or item.author.get_username()

    def item_categories(self, item):
        names = [item.category.name] if item.category else []
        return names + [tag.name for tag in item.tags.all()]

    def item_guid(self, item):
        return absolute(item.get_absolute_url())

    def item_guid_is_permalink(self, item):
        return True


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = FullTextAtomFeed
    subtitle = LatestArticlesFeed.description

    def feed_url(self):
        return absolute(reverse("blog:feed_atom"))

    def item_description(self, item):
        return item.description

    def item_extra_kwargs(self, item):
        return {"content": absolute_html(item.body)}
