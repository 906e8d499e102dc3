"""The first pass over a WordPress export: the whole file checked, a small index kept.

The index holds what the second pass needs before it writes anything: every post's, page's and
attachment's ID, type, status, slug and address, the attachments' files, authors and terms.
Content and comments are not kept, so the index stays small for any size of blog.
"""

from __future__ import annotations

import html
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from wordpress import media
from wordpress.wxr import Author, Channel, Item, Term, WXRReader, number

# Post types that are content; all others (menus, revisions, builder layouts) are counted only.
CONTENT_TYPES = {"post", "page", "attachment"}
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}


@dataclass
class Entry:
    """What the first pass keeps of one item: enough to plan addresses and find files."""

    id: int
    type: str
    status: str
    slug: str
    link: str
    title: str
    parent: int
    date: datetime
    creator: str
    password: bool
    comment_count: int = 0
    attached_file: str = ""
    attachment_url: str = ""
    alt: str = ""
    caption: str = ""
    thumbnail_id: int = 0
    menu_order: int = 0
    old_slugs: list[str] = field(default_factory=list)


@dataclass
class Index:
    channel: Channel
    authors: dict[str, Author] = field(default_factory=dict)
    terms: dict[tuple[str, str], Term] = field(default_factory=dict)
    entries: dict[int, Entry] = field(default_factory=dict)
    attachments_of: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    attachment_by_file: dict[str, int] = field(default_factory=dict)
    type_counts: Counter = field(default_factory=Counter)
    comment_count: int = 0
    creators: set[str] = field(default_factory=set)


def parse_wp_date(gmt: str, local: str) -> datetime | None:
    """A WordPress date: the GMT one if set, else the local one in the site's time zone."""
    for text, zone in ((gmt, UTC), (local, ZoneInfo(settings.TIME_ZONE))):
        text = (text or "").strip()
        if not text or text.startswith("0000"):
            continue
        try:
            return datetime.fromisoformat(text[:19]).replace(tzinfo=zone)
        except ValueError:
            continue
    return None


def text_of(value: str) -> str:
    """A title or name as plain text: tags and entities gone, one line."""
    return " ".join(html.unescape(strip_tags(value or "")).split())


def build_index(reader: WXRReader, progress=None) -> Index:
    index: Index | None = None
    last = time.monotonic()
    for part in reader.read():
        if isinstance(part, Channel):
            index = Index(channel=part)
        elif isinstance(part, Author):
            index.authors[part.login] = part
        elif isinstance(part, Term):
            if part.taxonomy and part.slug:
                index.terms[(part.taxonomy, part.slug)] = part
        elif isinstance(part, Item):
            _index_item(index, part)
            if progress and time.monotonic() - last > 2:
                last = time.monotonic()
                progress(
                    _("Checking the file: %(percent)d %%")
                    % {"percent": 100 * reader.bytes_read // max(reader.size, 1)}
                )
    return index


def _index_item(index: Index, item: Item) -> None:
    index.type_counts[item.post_type] += 1
    index.comment_count += len(item.comments)
    for taxonomy, slug, name in item.terms:
        if slug and (taxonomy, slug) not in index.terms:
            index.terms[(taxonomy, slug)] = Term(taxonomy=taxonomy, slug=slug, name=name)
    if item.post_type not in CONTENT_TYPES or not item.post_id:
        return
    date = parse_wp_date(item.post_date_gmt, item.post_date) or timezone.now()
    entry = Entry(
        id=item.post_id,
        type=item.post_type,
        status=item.status,
        slug=item.post_name,
        link=item.link,
        title=text_of(item.title),
        parent=item.post_parent,
        date=date,
        creator=item.creator,
        password=bool(item.post_password),
        comment_count=len(item.comments),
        menu_order=item.menu_order,
        thumbnail_id=number(item.meta_value("_thumbnail_id")),
        old_slugs=[s for s in item.meta.get("_wp_old_slug", []) if s],
    )
    if item.post_type in ("post", "page") and item.status not in SKIPPED_STATUSES:
        index.creators.add(item.creator)
    if item.post_type == "attachment":
        path = item.meta_value("_wp_attached_file").strip() or (
            media.uploads_path(item.attachment_url) or ""
        )
        entry.attached_file = path
        entry.attachment_url = item.attachment_url
        entry.alt = text_of(item.meta_value("_wp_attachment_image_alt"))
        entry.caption = text_of(item.excerpt)
        if path:
            index.attachment_by_file[path] = item.post_id
            original = re.search(
                r'"original_image";s:\d+:"([^"]+)"', item.meta_value("_wp_attachment_metadata")
            )
            if original:
                folder = path.rpartition("/")[0]
                index.attachment_by_file[f"{folder}/{original.group(1)}".lstrip("/")] = item.post_id
        index.attachments_of[item.post_parent].append(item.post_id)
    index.entries[item.post_id] = entry
