"""The site itself: its name, the author's account and the pages (content/site.toml, pages/)."""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile

from blog.models import AuthorProfile
from demo import illustrations
from demo.content import CONTENT_DIR, DemoContentError, check, read_toml
from feelmove.roles import AUTHOR_GROUP, ensure_author_group

SITE_SCHEMA = {
    "site": {"domain": "text", "name": "text"},
    "author": {
        "username": "text",
        "first_name": "text",
        "last_name": "text",
        "bio?": "prose",
        "portrait?": {"palette": ["text"]},
    },
}
# `replaces`: the sha256 of each earlier demo version of `content`. A page still holding one of
# them (nobody edited it) is brought up to date; a page the author changed is left alone.
PAGE_SCHEMA = {"url": "text", "title": "text", "content": "text", "replaces?": ["text"]}
PAGE_URL = re.compile(r"^/(?:[a-z0-9-]+/)+$")


@dataclass(frozen=True)
class SiteContent:
    site: dict
    author: dict
    pages: list[dict]


def read(directory: Path = CONTENT_DIR) -> SiteContent:
    """Read and check site.toml and pages/*.toml."""
    path = directory / "site.toml"
    data = check(path, read_toml(path), SITE_SCHEMA)
    portrait = data["author"].get("portrait")
    if portrait is not None:
        problem = illustrations.palette_problem(portrait["palette"])
        if problem or len(portrait["palette"]) != 4:
            raise DemoContentError(
                f"{path.name}: author.portrait.palette needs four colours "
                f"(skin, hair, background, clothes){': ' + problem if problem else ''}"
            )
    pages = []
    for path in sorted(directory.glob("pages/*.toml")):
        page = check(path, read_toml(path), PAGE_SCHEMA)
        if not PAGE_URL.match(page["url"]):
            raise DemoContentError(f"{path.name}: url {page['url']!r} must look like /ueber-mich/")
        if any(other["url"] == page["url"] for other in pages):
            raise DemoContentError(f"{path.name}: another page already has the url {page['url']}")
        pages.append(page)
    if not pages:
        raise DemoContentError(f"pages: no page files in {directory / 'pages'}")
    return SiteContent(site=data["site"], author=data["author"], pages=pages)


def content_digest(content: str) -> str:
    """The fingerprint of a page's text that `replaces` lists (sha256 of the stripped text)."""
    return hashlib.sha256(content.strip().encode()).hexdigest()


def ensure_author(author: dict | None = None):
    """The author's account, a staff user in the group `Autorin` (not a superuser).

    Created without a usable password if it is missing (`make run` gives it one with
    `ensure_demo_author`); an existing account is left as it is.
    """
    author = author or read().author
    user, created = get_user_model().objects.get_or_create(
        username=author["username"],
        defaults={
            "first_name": author["first_name"],
            "last_name": author["last_name"],
            "email": settings.AUTHOR_EMAIL,
            "is_staff": True,
            "is_superuser": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        group = Group.objects.filter(name=AUTHOR_GROUP).first()
        if group is None:  # removed by hand since `migrate` made it
            ensure_author_group()
            group = Group.objects.get(name=AUTHOR_GROUP)
        user.groups.add(group)
    return user


def ensure_author_box(user, author: dict, *, stdout=None) -> None:
    """Her author box (bio and a drawn portrait), created once; an existing one is left alone."""
    if "bio" not in author or AuthorProfile.objects.filter(user=user).exists():
        return
    profile = AuthorProfile(user=user, bio=author["bio"])
    if "portrait" in author:
        picture = illustrations.portrait_jpeg(palette=tuple(author["portrait"]["palette"]))
        profile.portrait.save(f"{user.get_username()}.jpg", ContentFile(picture), save=False)
    profile.save()
    if stdout is not None:
        stdout.write("Author box created.")


def load(content: SiteContent, *, stdout=None):
    """Name the site, create the author, her author box and the missing pages; returns the
    author."""
    author = ensure_author(content.author)
    ensure_author_box(author, content.author, stdout=stdout)
    domain, name = content.site["domain"], content.site["name"]
    site, _created = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": name}
    )
    if site.domain == "example.com":  # the placeholder of django.contrib.sites' migration
        site.domain, site.name = domain, name
        site.save()
    for entry in content.pages:
        page, created = FlatPage.objects.get_or_create(
            url=entry["url"], defaults={"title": entry["title"], "content": entry["content"]}
        )
        if created:
            page.sites.add(site)
            if stdout is not None:
                stdout.write(f"Page {entry['url']} created.")
        elif content_digest(page.content) in entry.get("replaces", ()):
            page.title, page.content = entry["title"], entry["content"]
            page.save(update_fields=["title", "content"])
            if stdout is not None:
                stdout.write(f"Page {entry['url']} updated to the new demo text.")
    return author
