"""load_demo in two steps: read and check every data file, then create what is missing.

Each subject has its module (site, blog, comments, newsletter) with `read()`, which only reads
and checks, and `load()`, which creates the rows that are missing and never changes existing ones.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from demo.content import CONTENT_DIR
from demo.loaders import blog, comments, newsletter, site


@dataclass(frozen=True)
class DemoContent:
    """Every data file of the demo, read and checked."""

    site: site.SiteContent
    blog: blog.BlogContent
    comments: comments.CommentsContent
    newsletter: newsletter.NewsletterContent


def read_content(directory: Path = CONTENT_DIR) -> DemoContent:
    """Read and check all of content/; a broken file raises DemoContentError naming it."""
    blog_content = blog.read(directory / "blog")
    return DemoContent(
        site=site.read(directory),
        blog=blog_content,
        comments=comments.read(directory / "comments", article_slugs=blog_content.article_slugs),
        newsletter=newsletter.read(directory / "newsletter"),
    )


@transaction.atomic
def load_content(content: DemoContent, *, stdout=None, now: datetime | None = None) -> None:
    """Create what is missing of the demo site, in one transaction."""
    now = now or timezone.now()
    author = site.load(content.site, stdout=stdout)
    blog.load(content.blog, author=author, stdout=stdout, now=now)
    comments.load(content.comments, author=author, stdout=stdout, now=now)
    newsletter.load(content.newsletter, stdout=stdout, now=now)
