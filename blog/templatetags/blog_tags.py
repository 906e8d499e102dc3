"""Template helpers of the blog: responsive cover pictures, JSON-LD, absolute URLs."""

import json
import re

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog import images
from blog.models import Article

register = template.Library()

# How wide a cover is shown, for the browser to pick a size (see the Bootstrap grid in base.html).
SIZES = {
    "main": (
        "(min-width: 1400px) 848px, (min-width: 1200px) 728px, (min-width: 992px) 608px, "
        "(min-width: 576px) 516px, 100vw"
    ),
    # Beside the text from md up (see .article-card-compact in site.css), full width below.
    "card": (
        "(min-width: 1400px) 305px, (min-width: 1200px) 262px, (min-width: 992px) 219px, "
        "(min-width: 768px) 252px, (min-width: 576px) 516px, 100vw"
    ),
    "related": (
        "(min-width: 1400px) 270px, (min-width: 992px) 200px, (min-width: 768px) 210px, 112px"
    ),
}

# Like django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_IMG_TAG = re.compile(r"<img(?![^>]*\sloading=)", re.IGNORECASE)
# Text saved before the sanitiser added alt="" to images without one.
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\salt=)", re.IGNORECASE)


@register.filter
def absolute(url: str) -> str:
    """A site-relative URL made absolute with settings.SITE_URL."""
    url = str(url or "")
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


@register.inclusion_tag("blog/includes/picture.html")
def article_picture(article, size="main", eager=False):
    """The cover image as <picture>: WebP and JPEG in several widths, with its intrinsic size."""
    return {
        "picture": article.cover_picture,
        "src": article.cover_image.url if article.cover_image else "",
        "alt": article.cover_alt,
        "sizes": SIZES.get(size, SIZES["main"]),
        "eager": eager,
    }


@register.filter(is_safe=True)
def lazy_images(html: str) -> str:
    """Article HTML (already sanitised) whose images load only when scrolled near, each with an
    alt attribute."""
    html = _IMG_WITHOUT_ALT.sub('<img alt=""', str(html or ""))
    return mark_safe(_IMG_TAG.sub('<img loading="lazy" decoding="async"', html))


# Attributes the <picture> sets itself; every other one of the author's image (class) is kept.
_PICTURE_OWN_ATTRIBUTES = {
    "src", "srcset", "sizes", "width", "height", "loading", "decoding", "alt"
}  # fmt: skip


@register.filter(is_safe=True)
def article_body(article) -> str:
    """The article's (sanitised) text with its own images as responsive, lazily loaded pictures.

    Images with sizes in article.body_renditions become a <picture> with WebP and JPEG srcsets and
    their intrinsic width/height; every other image only loads lazily.
    """
    renditions = article.body_renditions or {}

    def replace(match):
        attributes = images.img_attributes(match.group(1))
        picture = images.Picture.from_renditions(renditions.get(attributes.get("src", "")))
        if picture is None:
            return lazy_images(match.group(0))
        return render_to_string(
            "blog/includes/picture.html",
            {
                "picture": picture,
                "alt": attributes.get("alt", ""),
                "attributes": [
                    (name, value)
                    for name, value in attributes.items()
                    if name not in _PICTURE_OWN_ATTRIBUTES
                ],
                "sizes": SIZES["main"],
            },
        )

    return mark_safe(images.IMG_TAG.sub(replace, str(article.body or "")))


@register.simple_tag
def json_ld(data: dict) -> str:
    """A <script type="application/ld+json"> with `data`, safe to put into HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def article_structured_data(article) -> dict:
    """schema.org BlogPosting for an article page."""
    url = absolute(article.get_absolute_url())
    author = article.author.get_full_name() or article.author.get_username()
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": article.title[:110],
        "description": article.description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article.published_at.isoformat(),
        "dateModified": max(article.updated_at, article.published_at).isoformat(),
        "inLanguage": "de-DE",
        "author": {"@type": "Person", "name": author, "url": absolute("/ueber-mich/")},
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute("/"),
        },
        "timeRequired": f"PT{article.reading_time}M",
    }
    picture = article.cover_picture
    if picture:
        data["image"] = {
            "@type": "ImageObject",
            "url": absolute(picture.largest_src),
            "width": picture.width,
            "height": picture.height,
        }
    if article.category:
        data["articleSection"] = article.category.name
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = ", ".join(keywords)
    return data


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current list's URL for page `number`, keeping the other parameters (such as ?q=)."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    if int(number) > 1:
        query["page"] = number
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


@register.simple_tag
def archive_years():
    """The sidebar's years with their article counts, newest first: one query.

    The sidebar is a kept part of every page (core/fragments.py), renewed whenever an article
    changes, so most pages run none.
    """
    return Article.objects.published().year_counts()
