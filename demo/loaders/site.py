"""The site itself: its name, the author's account and the pages (content/site.toml, pages/)."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from demo.content import CONTENT_DIR, DemoContentError, check, read_toml
from feelmove.roles import AUTHOR_GROUP, ensure_author_group

SITE_SCHEMA = {
    "site": {"domain": "text", "name": "text"},
    "author": {"username": "text", "first_name": "text", "last_name": "text"},
}
PAGE_SCHEMA = {"url": "text", "title": "text", "content": "text"}
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


def load(content: SiteContent, *, stdout=None):
    """Name the site, create the author and the missing pages; returns the author."""
    author = ensure_author(content.author)
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
    return author
