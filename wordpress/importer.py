"""Moving a WordPress site in: articles, pages, files, comment threads and the old addresses.

The export is read twice, streaming. The first pass checks the whole file (a cut-off, hostile or
foreign file stops here, before anything is written) and keeps a small index: every item's ID,
type, status, slug and address, the attachments' files, authors and terms. From the index the
new address of every post and page is planned, so that links between posts can be rewritten
whatever their order in the file. The second pass writes, item by item, inside one transaction:
an error half-way leaves the database as it was and removes the files stored so far. A dry run
is the same run, with files checked but not stored, rolled back at the end.

Rows remember their WordPress IDs in wordpress.models.ImportedItem, with a checksum of what the
export said: a second run with the same file changes nothing (and leaves the author's own edits
alone); a newer export updates what changed in WordPress since.
"""

from __future__ import annotations

import hashlib
import html
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _

from blog.models import Article, Category, Tag, german_slugify
from comments.models import Comment
from comments.services import ANONYMOUS_NAME, author_reply_fields
from core.invalidation import invalidate_pages, invalidation_deferred
from core.ratelimit import valid_ip
from newsletter.consent import PRIVACY_URL
from wordpress import media
from wordpress.content import Resolved, convert, plain_text, query_id
from wordpress.index import (
    CONTENT_TYPES,
    SKIPPED_STATUSES,
    Entry,
    build_index,
    parse_wp_date,
    text_of,
)
from wordpress.models import ImportedFile, ImportedItem
from wordpress.report import Report
from wordpress.wxr import MAX_FILE_BYTES, Author, Channel, Item, Term, WXRError, WXRReader, number

AUTHOR_GROUP = "Autorin"
_PRIVACY_SLUGS = {"datenschutzerklaerung", "datenschutz", "privacy-policy"}
IP_KEPT_DAYS = 30  # as comments.services.comment_ips_anonymise
_ASCII_SLUG = re.compile(r"^[a-z0-9_-]+$")
_REDIRECT_QUERY_PARAMETERS = ("p", "page_id", "attachment_id", "cat")
_COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
_TEXT_URL = re.compile(r"https?://[^\s<>\"']+")
_url_validator = URLValidator(schemes=["http", "https"])


class ImportStopped(Exception):
    """The import cannot start (a wrong option); `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _DryRunDone(Exception):
    pass


@dataclass
class ImportOptions:
    path: Path
    uploads: Path | None = None
    media_base_url: str | None = None
    dry_run: bool = False
    author: str | None = None
    max_bytes: int = MAX_FILE_BYTES
    category_base: str = "category"
    tag_base: str = "tag"
    progress: Callable[[str], None] | None = None
    now: datetime | None = None


# -- addresses ----------------------------------------------------------------------------------


def _host(netloc: str) -> str:
    host = netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0]
    return host.removeprefix("www.")


def old_path(url: str) -> str:
    """The path of an old address as a request shows it (percent-encoded like Django does)."""
    path = unquote(urlsplit(url).path or "/")
    if not path.startswith("/"):
        path = "/" + path
    return escape_uri_path(path)


def _path_key(path: str) -> str:
    return unquote(path).rstrip("/").lower() or "/"


@dataclass
class Target:
    url: str
    title: str = ""
    kind: str = "link"


# -- pass 2: writing ----------------------------------------------------------------------------


def _checksum(*values) -> str:
    return hashlib.sha256(repr(values).encode()).hexdigest()


def _article_status(entry: Entry) -> tuple[str, str | None]:
    """(Article status, a note for the report or None) for a post's WordPress status."""
    if entry.password:
        return Article.Status.DRAFT, _("password-protected: imported as a draft")
    if entry.status in ("publish", "future"):
        return Article.Status.PUBLISHED, None
    if entry.status == "private":
        return Article.Status.DRAFT, _("private: imported as a draft")
    return Article.Status.DRAFT, None


class WordPressImport:
    """One run of the import (see the module docstring)."""

    def __init__(self, options: ImportOptions):
        self.options = options
        self.report = Report(dry_run=options.dry_run)
        self.now = options.now or timezone.now()
        self.storage = media.DryRunStorage(default_storage) if options.dry_run else default_storage
        self.source = media.UploadsSource(folder=options.uploads, base_url=options.media_base_url)
        self.new_files: list[str] = []
        self.files: dict[str, str | None] = {}  # uploads path -> new URL (None: missing)
        self.stored_names: dict[str, str] = {}  # uploads path -> storage name
        self.file_problems: dict[str, list] = {}  # uploads path -> [report list, path, text]
        self.file_notes: list = []  # the problems of the files of the item being converted
        self.targets: dict[str, Target] = {}  # path key -> where it leads now
        self.by_id: dict[int, Target] = {}
        self.redirects: dict[str, str] = {}
        self.users: dict[str, object] = {}  # WordPress login -> user
        self.author_users: dict[int, object] = {}  # WordPress user ID -> user
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        self.category_ids: dict[int, str] = {}
        self.article_slugs: dict[int, str] = {}
        self.page_paths: dict[int, str] = {}
        self.current_title = ""
        self.current_id = 0
        self.attachment_pages: dict[str, Entry] = {}
        self.term_redirects: list[tuple[str, str]] = []
        self.done = Counter()
        self._last_progress = 0.0

    # -- running --------------------------------------------------------------------------

    def run(self) -> Report:
        self._check_options()
        reader = WXRReader(self.options.path, max_bytes=self.options.max_bytes)
        self.index = build_index(reader, self._progress)
        self.site = self._site_key(self.index.channel)
        if reader.removed_control_characters:
            self.report.note(
                _("Control characters that XML does not allow were removed from the file"),
                str(reader.removed_control_characters),
            )
        try:
            with invalidation_deferred(), transaction.atomic():
                self._write()
                if self.options.dry_run:
                    raise _DryRunDone
        except _DryRunDone:
            pass
        except BaseException:
            self._remove_new_files()
            raise
        return self.report

    def _check_options(self) -> None:
        options = self.options
        if options.uploads is not None and not Path(options.uploads).is_dir():
            raise ImportStopped(
                _("The uploads folder %(path)s does not exist.") % {"path": options.uploads}
            )
        if options.media_base_url:
            parts = urlsplit(options.media_base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ImportStopped(_("--media-base-url must be an http:// or https:// address."))
        if options.author:
            user = get_user_model().objects.filter(username=options.author).first()
            if user is None:
                raise ImportStopped(
                    _("There is no user %(name)s. Create her first or leave --author out.")
                    % {"name": options.author}
                )
            self.forced_author = user
        else:
            self.forced_author = None

    def _progress(self, message: str, *, force: bool = False) -> None:
        if self.options.progress is None:
            return
        moment = time.monotonic()
        if force or moment - self._last_progress > 2:
            self._last_progress = moment
            self.options.progress(message)

    def _site_key(self, channel: Channel) -> str:
        base = channel.base_blog_url or channel.base_site_url or channel.link
        parts = urlsplit(base)
        return (_host(parts.netloc) + parts.path.rstrip("/"))[:200] or "wordpress"

    def _remove_new_files(self) -> None:
        for name in self.new_files:
            try:
                default_storage.delete(name)
            except OSError:
                pass

    def _write(self) -> None:
        index = self.index
        hosts = {
            _host(urlsplit(u).netloc)
            for u in (index.channel.base_site_url, index.channel.base_blog_url, index.channel.link)
            if u
        }
        self.old_hosts = {h for h in hosts if h}
        self._map_authors()
        self._map_terms()
        self._plan_addresses()
        reader = WXRReader(self.options.path, max_bytes=self.options.max_bytes)
        total_posts = index.type_counts.get("post", 0)
        for part in reader.read():
            if not isinstance(part, Item):
                continue
            self._import_item(part)
            self._progress(
                _("Articles %(posts)d/%(total)d, comments %(comments)d/%(all)d, files %(files)d")
                % {
                    "posts": self.done["posts"],
                    "total": total_posts,
                    "comments": self.done["comments"],
                    "all": index.comment_count,
                    "files": len(self.stored_names),
                }
            )
        self._write_redirects()
        invalidate_pages(schedule=True)
        self.report.summary = [
            _("WordPress site %(site)s, export version %(version)s.")
            % {
                "site": index.channel.base_blog_url or self.site,
                "version": index.channel.wxr_version,
            }
        ]

    def _import_item(self, item: Item) -> None:
        kind = item.post_type
        if kind not in CONTENT_TYPES:
            self.report.skip("other", _("%(type)s (not content of the blog)") % {"type": kind})
            return
        if item.status in SKIPPED_STATUSES and kind != "attachment":
            reason = {
                "trash": _("in WordPress's trash"),
                "auto-draft": _("an empty automatic draft"),
            }.get(item.status, _("a revision"))
            self.report.skip("articles" if kind == "post" else "pages", reason, text_of(item.title))
            return
        self.current_title = text_of(item.title) or str(item.post_id)
        self.current_id = item.post_id  # a [gallery] without ids shows this post's images
        if kind == "attachment":
            self._import_attachment(item)
        elif kind == "post":
            self._import_article(item)
            self.done["posts"] += 1
        else:
            self._import_page(item)

    # -- authors and terms ----------------------------------------------------------------

    def _map_authors(self) -> None:
        User = get_user_model()
        logins = sorted(self.index.creators)
        group = Group.objects.filter(name=AUTHOR_GROUP).first()
        for login in logins:
            author = self.index.authors.get(login) or Author(login=login)
            if self.forced_author is not None:
                user = self.forced_author
                self.report.count("authors", "unchanged")
            else:
                user = self._author_user(User, author, group)
            self.users[login] = user
            if author.id:
                self.author_users[author.id] = user

    def _author_user(self, User, author: Author, group):
        mapping = self._mapping(ImportedItem.Kind.AUTHOR, author.id) if author.id else None
        user = User.objects.filter(pk=mapping.object_id).first() if mapping else None
        user = user or User.objects.filter(username__iexact=author.login).first()
        if user is None and author.email:
            user = User.objects.filter(email__iexact=author.email).first()
        if user is not None:
            self.report.count("authors", "unchanged")
        else:
            first, last = author.first_name, author.last_name
            if not first and not last:
                first, _space, last = text_of(author.display_name or author.login).partition(" ")
            username = re.sub(r"[^\w.@+-]", "_", author.login)[:150] or "autorin"
            user = User(
                username=username,
                email=author.email if _valid_email(author.email) else "",
                first_name=text_of(first)[:150],
                last_name=text_of(last)[:150],
                is_staff=True,
            )
            user.set_unusable_password()
            user.save()
            if group is not None:
                user.groups.add(group)
            self.report.count("authors", "imported")
            self.report.created_users.append(username)
        if author.id and mapping is None:
            self._remember(ImportedItem.Kind.AUTHOR, author.id, user.pk, "")
        return user

    def _mapping(self, kind: str, wp_id: int) -> ImportedItem | None:
        return ImportedItem.objects.filter(site=self.site, kind=kind, wp_id=wp_id).first()

    def _remember(
        self, kind: str, wp_id: int, object_id: int, checksum: str, details: dict | None = None
    ) -> None:
        ImportedItem.objects.update_or_create(
            site=self.site,
            kind=kind,
            wp_id=wp_id,
            defaults={"object_id": object_id, "checksum": checksum, "details": details or {}},
        )

    def _map_terms(self) -> None:
        terms = self.index.terms
        # Categories of WordPress can nest; ours cannot: every one becomes a category of its
        # own, a name used under two parents gets the parent's name added.
        names = Counter(
            text_of(t.name).lower() for (tax, _s), t in terms.items() if tax == "category"
        )
        for (taxonomy, slug), term in sorted(terms.items()):
            if taxonomy == "category":
                name = text_of(term.name) or slug
                if names[name.lower()] > 1 and term.parent_slug:
                    parent = terms.get(("category", term.parent_slug))
                    name = f"{name} ({text_of(parent.name) if parent else term.parent_slug})"
                self.categories[slug] = self._term_row(
                    Category, ImportedItem.Kind.CATEGORY, term, name, 80, "categories"
                )
                if term.id:
                    self.category_ids[term.id] = slug
            elif taxonomy == "post_tag":
                self.tags[slug] = self._term_row(
                    Tag, ImportedItem.Kind.TAG, term, text_of(term.name) or slug, 60, "tags"
                )

    def _term_row(self, model, kind, term: Term, name: str, length: int, report_kind: str):
        name = name[:length]
        slug = self._slug(term.slug)[:length].strip("-") or german_slugify(name)[:length]
        mapping = self._mapping(kind, term.id) if term.id else None
        row = model.objects.filter(pk=mapping.object_id).first() if mapping else None
        row = row or model.objects.filter(slug=slug).first()
        row = row or model.objects.filter(name__iexact=name).first()
        if row is not None:
            self.report.count(report_kind, "unchanged")
        else:
            taken = set(
                model.objects.filter(name__istartswith=name[: length - 4]).values_list(
                    "name", flat=True
                )
            )
            unique, number = name, 1
            while unique.lower() in {t.lower() for t in taken}:
                number += 1
                unique = f"{name[: length - 4]} {number}"
            row = model.objects.create(
                name=unique,
                slug=self._unique(model, slug, length),
                description=text_of(term.description),
            )
            self.report.count(report_kind, "imported")
        if term.id and mapping is None:
            self._remember(kind, term.id, row.pk, "")
        return row

    @staticmethod
    def _slug(slug: str) -> str:
        """A WordPress slug as ours: kept exactly when it is plain ASCII, else spelt anew."""
        slug = (slug or "").strip()
        if _ASCII_SLUG.match(slug):
            return slug
        return german_slugify(unquote(slug))

    @staticmethod
    def _unique(model, slug: str, length: int, taken: set | None = None) -> str:
        taken = (
            taken
            if taken is not None
            else set(model.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
        )
        unique, number = slug, 1
        while unique in taken:
            number += 1
            suffix = f"-{number}"
            unique = slug[: length - len(suffix)] + suffix
        return unique

    # -- planning addresses ---------------------------------------------------------------

    def _plan_addresses(self) -> None:
        """Decide every new address before writing, so that links can point forward."""
        entries = self.index.entries
        mapped = {
            m.wp_id: m.object_id
            for m in ImportedItem.objects.filter(site=self.site, kind=ImportedItem.Kind.ARTICLE)
        }
        existing = dict(Article.objects.filter(pk__in=mapped.values()).values_list("pk", "slug"))
        taken = set(Article.objects.values_list("slug", flat=True))
        for entry in entries.values():
            if entry.type != "post" or entry.status in SKIPPED_STATUSES:
                continue
            slug = existing.get(mapped.get(entry.id))
            if slug is None:
                wanted = (
                    self._slug(entry.slug) or german_slugify(entry.title) or f"artikel-{entry.id}"
                )
                slug = self._unique(Article, wanted[:200], 200, taken)
                if entry.slug and slug != entry.slug:
                    self.report.note(
                        _("Article address changed (the old one redirects)"), entry.title
                    )
                taken.add(slug)
            self.article_slugs[entry.id] = slug
            target = Target(reverse("blog:article_detail", kwargs={"slug": slug}), entry.title)
            self._add_target(entry, target)
        for entry in entries.values():
            if entry.type != "page" or entry.status in SKIPPED_STATUSES:
                continue
            path = self._page_path(entry)
            self.page_paths[entry.id] = path
            self._add_target(entry, Target(path, entry.title))
        for entry in entries.values():
            if (
                entry.type == "attachment"
                and entry.link
                and not query_id(entry.link, "attachment_id", "p")
            ):
                self.attachment_pages[_path_key(old_path(entry.link))] = entry
        terms = [
            (self.options.category_base, "category", self.categories),
            (self.options.tag_base, "post_tag", self.tags),
        ]
        for base, taxonomy, rows in terms:
            for slug, row in rows.items():
                target = Target(row.get_absolute_url(), row.name)
                for path in self._term_paths(base, taxonomy, slug):
                    self.targets[_path_key(path)] = target
                    self.term_redirects.append((path, target.url))

    def _add_target(self, entry: Entry, target: Target) -> None:
        self.by_id[entry.id] = target
        if entry.link and not query_id(entry.link, "p", "page_id"):
            self.targets[_path_key(old_path(entry.link))] = target

    def _page_path(self, entry: Entry) -> str:
        if entry.link and not query_id(entry.link, "page_id", "p"):
            return old_path(entry.link)
        slugs, seen, current = [], set(), entry
        while current is not None and current.id not in seen:
            seen.add(current.id)
            slugs.append(self._slug(current.slug) or f"seite-{current.id}")
            current = self.index.entries.get(current.parent)
        return "/" + "/".join(reversed(slugs)) + "/"

    def _term_paths(self, base: str, taxonomy: str, slug: str) -> list[str]:
        base = "/" + base.strip("/") + "/"
        paths = [f"{base}{slug}/"]
        chain, seen = [slug], {slug}
        term = self.index.terms.get((taxonomy, slug))
        while term is not None and term.parent_slug and term.parent_slug not in seen:
            seen.add(term.parent_slug)
            chain.append(term.parent_slug)
            term = self.index.terms.get((taxonomy, term.parent_slug))
        if len(chain) > 1:
            paths.append(base + "/".join(reversed(chain)) + "/")
        return [escape_uri_path(unquote(p)) for p in paths]

    # -- the converter's questions --------------------------------------------------------

    def resolve_url(self, url: str) -> Resolved | None:
        url = html.unescape(url).strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", ""):
            return None
        host = _host(parts.netloc)
        path = parts.path
        if host and host not in self.old_hosts:
            # Jetpack's image CDN serves the old site's files as i0.wp.com/<old host>/<path>.
            jetpack = re.match(r"^i[0-3]\.wp\.com$", host)
            inner_host, _slash, inner_path = path.lstrip("/").partition("/")
            if not jetpack or _host(inner_host) not in self.old_hosts:
                return None
            path = "/" + inner_path
        if not host and not url.startswith("/"):
            return None
        upload = media.uploads_path(path)
        if upload is not None:
            new = self.file_url(upload)
            return Resolved(new, kind="file", missing=new is None)
        wp_id = query_id(url, "p", "page_id", "attachment_id")
        target = self.by_id.get(wp_id) if wp_id else self.targets.get(_path_key(path))
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if target is None and wp_id:
            entry = self.index.entries.get(wp_id)
            if entry is not None and entry.type == "attachment":
                return Resolved(None, kind="attachment_page")
        if target is None:
            attachment = self._attachment_page(path)
            if attachment is not None:
                return Resolved(None, kind="attachment_page")
            # Another address of the old site: kept as a path, the redirects answer it.
            query = f"?{parts.query}" if parts.query else ""
            return Resolved((path or "/") + query + fragment)
        return Resolved(target.url + fragment, title=target.title, kind=target.kind)

    def rewrite_text(self, text: str) -> str:
        if "://" not in text:
            return text

        def replace(match):
            url = match.group(0).rstrip(".,;:!?)")
            rest = match.group(0)[len(url) :]
            resolved = self.resolve_url(url)
            if resolved is None or resolved.url is None:
                return match.group(0)
            new = resolved.url
            return (new if "://" in new else settings.SITE_URL + new) + rest

        return _TEXT_URL.sub(replace, text)

    def _attachment_page(self, path: str) -> Entry | None:
        return self.attachment_pages.get(_path_key(path))

    def gallery_images(self, attributes: dict[str, str]) -> list[dict]:
        entries = self.index.entries
        ids_text = attributes.get("ids") or attributes.get("include") or ""
        if ids_text:
            ids = [int(i) for i in re.findall(r"\d+", ids_text)]
        else:
            parent = number(attributes.get("id", "")) or self.current_id
            ids = sorted(
                self.index.attachments_of.get(parent, []),
                key=lambda i: (entries[i].menu_order, i),
            )
            exclude = {int(i) for i in re.findall(r"\d+", attributes.get("exclude", ""))}
            ids = [i for i in ids if i not in exclude]
        images = []
        for wp_id in ids:
            entry = entries.get(wp_id)
            if entry is None or entry.type != "attachment":
                self.report.missing_files[f"ID {wp_id}"] = _("gallery image not in the export")
                continue
            if media.extension_of(entry.attached_file) not in ("jpg", "jpeg", "png", "gif", "webp"):
                continue
            images.append(
                {
                    "url": entry.attachment_url or f"/wp-content/uploads/{entry.attached_file}",
                    "alt": entry.alt or entry.caption,
                    "caption": entry.caption,
                }
            )
        return images

    # -- files ----------------------------------------------------------------------------

    def file_url(self, path: str) -> str | None:
        """The new URL of an old upload (a size variant gives its original), imported once."""
        path = self._original_path(path)
        if path in self.files:
            if path in self.file_problems:
                self.file_notes.append(self.file_problems[path])
            return self.files[path]
        url = self._import_file(path)
        self.files[path] = url
        if path in self.file_problems:
            self.file_notes.append(self.file_problems[path])
        return url

    def _original_path(self, path: str) -> str:
        known = self.index.attachment_by_file
        if path in known:
            return self.index.entries[known[path]].attached_file or path
        original = media.original_of(path)
        while original is not None:
            if original in known:
                return self.index.entries[known[original]].attached_file or original
            stem, dot, extension = original.rpartition(".")
            if f"{stem}-scaled.{extension}" in known:
                return self.index.entries[known[f"{stem}-scaled.{extension}"]].attached_file
            deeper = media.original_of(original)
            if deeper is None:
                break
            original = deeper
        if original is not None and self.source.folder is not None:
            if (self.source.folder / original).is_file():
                return original
        return path

    def _import_file(self, path: str) -> str | None:
        row = ImportedFile.objects.filter(site=self.site, path=path).first()
        if row is not None and self.storage.exists(row.stored_name):
            self.stored_names[path] = row.stored_name
            self.report.count("files", "unchanged")
            return self.storage.url(row.stored_name)
        where = self.current_title
        if not media.is_importable(path):
            text = _("file type not taken over (.%(ext)s), in: %(where)s") % {
                "ext": media.extension_of(path),
                "where": where,
            }
            self._file_problem("refused_files", path, text)
            return None
        try:
            data = self.source.read(path)
            content, extension, kind = media.clean_file(path, data)
        except media.FileUnavailable as problem:
            listing = "missing_files" if problem.missing else "refused_files"
            self._file_problem(listing, path, f"{problem.reason}, {_('in')}: {where}")
            return None
        name = self.storage.save(media.storage_name(path, extension), ContentFile(content))
        if not self.options.dry_run:
            self.new_files.append(name)
        if row is None:
            ImportedFile.objects.create(site=self.site, path=path, stored_name=name, kind=kind)
        else:
            row.stored_name, row.kind = name, kind
            row.save(update_fields=["stored_name", "kind"])
        self.stored_names[path] = name
        self.report.count("files", "imported")
        return self.storage.url(name)

    def _file_problem(self, listing: str, path: str, text: str) -> None:
        self.file_problems[path] = [listing, path, text]
        getattr(self.report, listing)[path] = text
        self.report.count("files", "skipped")

    def _import_attachment(self, item: Item) -> None:
        entry = self.index.entries.get(item.post_id)
        if entry is None or not entry.attached_file:
            self.report.skip("files", _("attachment without a file"), self.current_title)
            return
        self.file_url(entry.attached_file)

    # -- articles -------------------------------------------------------------------------

    def _import_article(self, item: Item) -> None:
        entry = self.index.entries[item.post_id]
        mapping = self._mapping(ImportedItem.Kind.ARTICLE, item.post_id)
        checksum = _checksum(
            item.title, item.content, item.excerpt, item.status, item.post_date_gmt,
            item.post_date, item.post_name, item.terms, item.comment_status,
            bool(item.post_password), item.creator, item.meta.get("_thumbnail_id"),
            item.meta.get("_yoast_wpseo_metadesc"), item.meta.get("_yoast_wpseo_primary_category"),
        )  # fmt: skip
        article = Article.objects.filter(pk=mapping.object_id).first() if mapping else None
        if mapping is not None and article is None:
            self.report.skip("articles", _("deleted here after an earlier import"), entry.title)
            self.report.count("comments", "skipped", len(item.comments))
            return
        if article is not None and mapping.checksum == checksum:
            self.report.count("articles", "unchanged")
            self._note(mapping.details.get("notes", {}), entry.title)
        else:
            details = mapping.details if mapping is not None else {}
            article = self._save_article(item, entry, article, checksum, details)
        self._import_comments(article, item)

    def _save_article(
        self, item: Item, entry: Entry, article: Article | None, checksum: str, details: dict
    ):
        status, note = _article_status(entry)
        if note:
            self.report.note(note, entry.title)
        converted, notes = self._convert(item.content, entry.title)
        category, extra_tags = self._article_terms(item)
        created = article is None
        article = article or Article(slug=self.article_slugs[item.post_id])
        article.title = (entry.title or _("(untitled)"))[:200]
        article.author = (
            self.users.get(item.creator) or self.forced_author or self._fallback_author()
        )
        article.status = status
        article.published_at = entry.date
        article.teaser = plain_text(item.excerpt)
        article.body = converted.html
        article.category = category
        article.comments_open = item.comment_status == "open"
        description = item.meta_value("_yoast_wpseo_metadesc")
        article.meta_description = text_of(description)[:300] if "%%" not in description else ""
        # A second copy of the same cover is made only when WordPress has another one now.
        if created or details.get("thumbnail") != entry.thumbnail_id:
            cover = self._cover(entry)
            # A dry run stores no file, so there is no cover to make sizes of.
            if cover is not None and not self.options.dry_run:
                article.cover_image, article.cover_alt, article.cover_credit = cover
        earlier = set() if created else set(_rendition_names(article))
        article.save()
        # Only sizes made now are removed again if the import fails; earlier ones stay in use.
        self.new_files.extend(n for n in _rendition_names(article) if n not in earlier)
        article.tags.set(extra_tags)
        self._remember(
            ImportedItem.Kind.ARTICLE,
            item.post_id,
            article.pk,
            checksum,
            {"thumbnail": entry.thumbnail_id, "notes": notes},
        )
        self.report.count("articles", "imported" if created else "updated")
        return article

    def _fallback_author(self):
        User = get_user_model()
        user = User.objects.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise ImportStopped(_("No author could be found; name one with --author."))
        return user

    def _article_terms(self, item: Item) -> tuple[Category | None, list[Tag]]:
        categories = [s for tax, s, _n in item.terms if tax == "category" and s in self.categories]
        tags = [self.tags[s] for tax, s, _n in item.terms if tax == "post_tag" and s in self.tags]
        primary_id = item.meta_value("_yoast_wpseo_primary_category")
        primary = self.category_ids.get(number(primary_id))
        if primary not in categories:
            # WordPress lists a post's categories by name; its default one says least.
            ordinary = [s for s in categories if s not in ("uncategorized", "allgemein")]
            primary = (ordinary or categories or [None])[0]
        extra = [s for s in categories if s != primary]
        if extra:
            self.report.note(
                _("Articles with more than one category: the others became tags"),
                text_of(item.title),
            )
            for slug in extra:
                tags.append(self._tag_for_category(self.categories[slug]))
        return (self.categories.get(primary) if primary else None), tags

    def _tag_for_category(self, category: Category) -> Tag:
        tag = Tag.objects.filter(slug=category.slug[:60]).first()
        tag = tag or Tag.objects.filter(name__iexact=category.name[:60]).first()
        if tag is None:
            tag = Tag.objects.create(name=category.name[:60], slug=category.slug[:60])
            self.report.count("tags", "imported")
        return tag

    def _cover(self, entry: Entry) -> tuple[str, str, str] | None:
        """(storage name, alt text, credit) of a featured image, stored as its own copy."""
        attachment = self.index.entries.get(entry.thumbnail_id) if entry.thumbnail_id else None
        if attachment is None or not attachment.attached_file:
            if entry.thumbnail_id:
                self.report.missing_files[f"ID {entry.thumbnail_id}"] = _(
                    "featured image not in the export, in: %(where)s"
                ) % {"where": entry.title}
            return None
        if self.file_url(attachment.attached_file) is None:
            return None
        stored = self.stored_names.get(self._original_path(attachment.attached_file))
        if stored is None or media.extension_of(stored) not in (
            "jpg",
            "jpeg",
            "png",
            "gif",
            "webp",
        ):
            return None
        name = f"covers/{stored.rsplit('/', 1)[-1]}"
        if not self.options.dry_run:
            with default_storage.open(stored, "rb") as handle:
                name = default_storage.save(name, ContentFile(handle.read()))
            self.new_files.append(name)
        alt = attachment.alt or attachment.caption or attachment.title or entry.title
        return name, alt[:250], attachment.caption[:250]

    def _convert(self, content: str, title: str):
        """Convert a post's content; returns it and what the report says about it."""
        self.file_notes = []
        converted = convert(content, context=self)
        notes = {
            "shortcodes": sorted(converted.unknown_shortcodes),
            "blocks": sorted(converted.removed_blocks),
            "external": [src[:200] for src in converted.external_images],
            "files": self.file_notes,
        }
        self._note(notes, title)
        return converted, notes

    def _note(self, notes: dict, title: str) -> None:
        """Put what a conversion found into the report (again, for an unchanged item)."""
        for name in notes.get("shortcodes", []):
            self.report.unknown_shortcodes[f"[{name}]"].append(title)
        for name in notes.get("blocks", []):
            self.report.removed_blocks[name].append(title)
        for src in notes.get("external", []):
            self.report.external_images[src] = title
        for listing, path, text in notes.get("files", []):
            getattr(self.report, listing).setdefault(path, text)

    # -- comments -------------------------------------------------------------------------

    def _import_comments(self, article: Article, item: Item) -> None:
        wanted = {}
        for comment in item.comments:
            kind = comment.type or "comment"
            if kind in ("pingback", "trackback"):
                self.report.skip("comments", _("pingbacks and trackbacks"))
            elif kind != "comment":
                self.report.skip("comments", _("comment type %(type)s") % {"type": kind})
            elif comment.id:
                wanted[comment.id] = comment
        if not wanted:
            return
        mappings = {
            m.wp_id: m
            for m in ImportedItem.objects.filter(
                site=self.site, kind=ImportedItem.Kind.COMMENT, wp_id__in=list(wanted)
            )
        }
        alive = set(
            Comment.objects.filter(pk__in=[m.object_id for m in mappings.values()]).values_list(
                "pk", flat=True
            )
        )

        def depth(wp_id: int) -> int:
            level, seen = 0, {wp_id}
            parent = wanted[wp_id].parent
            while parent in wanted and parent not in seen:
                seen.add(parent)
                level += 1
                parent = wanted[parent].parent
            return level

        pk_of: dict[int, int | None] = {}
        new_mappings = []
        for _level, group in sorted(_group_by(wanted, depth).items()):
            rows, keys = [], []
            for comment in group:
                parent_pk = self._parent_pk(comment, wanted, pk_of)
                checksum = _checksum(
                    comment.author, comment.email, comment.url, comment.ip, comment.date,
                    comment.date_gmt, comment.content, comment.approved, comment.parent,
                    comment.user_id, parent_pk,
                )  # fmt: skip
                mapping = mappings.get(comment.id)
                if mapping is not None:
                    if mapping.object_id not in alive:
                        pk_of[comment.id] = None
                        self.report.skip("comments", _("deleted here after an earlier import"))
                        continue
                    pk_of[comment.id] = mapping.object_id
                    if mapping.checksum == checksum:
                        self.report.count("comments", "unchanged")
                        continue
                fields = self._comment_fields(comment, article, parent_pk)
                if fields is None:
                    pk_of[comment.id] = None
                    self.report.skip("comments", _("empty"))
                    continue
                if mapping is not None:
                    Comment.objects.filter(pk=mapping.object_id).update(**fields)
                    mapping.checksum = checksum
                    mapping.save(update_fields=["checksum", "updated_at"])
                    self.report.count("comments", "updated")
                    continue
                rows.append(Comment(**fields))
                keys.append((comment.id, checksum))
            for (wp_id, checksum), row in zip(
                keys, Comment.objects.bulk_create(rows, batch_size=500), strict=True
            ):
                pk_of[wp_id] = row.pk
                new_mappings.append(
                    ImportedItem(
                        site=self.site,
                        kind=ImportedItem.Kind.COMMENT,
                        wp_id=wp_id,
                        object_id=row.pk,
                        checksum=checksum,
                    )
                )
            self.report.count("comments", "imported", len(rows))
            self.done["comments"] += len(group)
        ImportedItem.objects.bulk_create(new_mappings, batch_size=500)

    @staticmethod
    def _parent_pk(comment, wanted: dict, pk_of: dict) -> int | None:
        """The nearest ancestor that is here (a skipped one hands its replies up)."""
        parent, seen = comment.parent, set()
        while parent and parent not in seen:
            seen.add(parent)
            if pk_of.get(parent):
                return pk_of[parent]
            parent = wanted[parent].parent if parent in wanted else 0
        return None

    def _comment_fields(self, comment, article: Article, parent_pk: int | None) -> dict | None:
        body = plain_text(comment.content)
        if not body:
            return None
        created = parse_wp_date(comment.date_gmt, comment.date) or article.published_at
        status = _COMMENT_STATUS.get(comment.approved.strip().lower(), Comment.Status.PENDING)
        fields = {
            "article": article,
            "parent_id": parent_pk,
            "body": body,
            "status": status,
            "created_at": created,
        }
        author = self.author_users.get(comment.user_id) if comment.user_id else None
        if author is not None:
            fields.update(author_reply_fields(author=author, at=created))
            return fields
        recent = created >= self.now - timedelta(days=IP_KEPT_DAYS)
        url = comment.url.strip()
        fields.update(
            {
                "name": text_of(comment.author)[:100] or ANONYMOUS_NAME,
                "email": comment.email.strip() if _valid_email(comment.email.strip()) else "",
                "url": url if len(url) <= 200 and _valid_url(url) else "",
                "ip_address": valid_ip(comment.ip) if recent else None,
            }
        )
        return fields

    # -- pages ----------------------------------------------------------------------------

    def _import_page(self, item: Item) -> None:
        entry = self.index.entries[item.post_id]
        path = self.page_paths[item.post_id]
        if item.comments:
            for _comment in item.comments:
                self.report.skip("comments", _("on a page (pages have no comments here)"))
        if len(path) > 100:
            self.report.skip("pages", _("address longer than 100 characters"), entry.title)
            return
        mapping = self._mapping(ImportedItem.Kind.PAGE, item.post_id)
        page = FlatPage.objects.filter(pk=mapping.object_id).first() if mapping else None
        if mapping is not None and page is None:
            self.report.skip("pages", _("deleted here after an earlier import"), entry.title)
            return
        if page is None:
            if FlatPage.objects.filter(url=path).exists():
                self.report.skip("pages", _("a page with this address exists already (kept)"), path)
                return
            try:
                resolve(path)
            except Resolver404:
                pass
            else:
                self.report.skip("pages", _("the new site has its own page at this address"), path)
                return
        checksum = _checksum(item.title, item.content, item.status, bool(item.post_password), path)
        if page is not None and mapping.checksum == checksum:
            self.report.count("pages", "unchanged")
            self._note(mapping.details.get("notes", {}), entry.title)
            return
        public = entry.status == "publish" and not entry.password
        if not public:
            self.report.note(_("Pages not public in WordPress: only visible when logged in"), path)
        converted, notes = self._convert(item.content, entry.title)
        created = page is None
        page = page or FlatPage(url=path)
        page.title = (entry.title or path)[:200]
        page.content = converted.html
        page.registration_required = not public
        page.save()
        page.sites.add(settings.SITE_ID)
        self._remember(ImportedItem.Kind.PAGE, item.post_id, page.pk, checksum, {"notes": notes})
        self.report.count("pages", "imported" if created else "updated")

    # -- redirects ------------------------------------------------------------------------

    def _write_redirects(self) -> None:
        wanted: dict[str, str] = {}

        def add(old: str, new: str | None) -> None:
            if not new or not old or old == new or len(old) > 200 or len(new) > 200:
                return
            wanted.setdefault(old, new)

        entries = self.index.entries
        for entry in entries.values():
            target = self.by_id.get(entry.id)
            public = entry.status in ("publish", "future") and not entry.password
            if entry.type in ("post", "page") and target is not None and public:
                if entry.link and not query_id(entry.link, "p", "page_id"):
                    path = old_path(entry.link)
                    add(path, target.url)
                    for old_slug in entry.old_slugs:
                        if entry.slug and path.rstrip("/").endswith("/" + entry.slug):
                            add(path.rstrip("/")[: -len(entry.slug)] + old_slug + "/", target.url)
                parameter = "p" if entry.type == "post" else "page_id"
                add(f"/?{parameter}={entry.id}", target.url)
                if entry.type == "page":
                    add(f"/?p={entry.id}", target.url)
            elif entry.type == "attachment":
                new = None
                parent = self.by_id.get(entry.parent)
                parent_entry = entries.get(entry.parent)
                if parent is not None and parent_entry and parent_entry.status == "publish":
                    new = parent.url
                elif entry.attached_file:
                    new = self.files.get(self._original_path(entry.attached_file))
                if entry.link and not query_id(entry.link, "attachment_id", "p"):
                    add(old_path(entry.link), new)
                add(f"/?attachment_id={entry.id}", new)
        for path, url in self.files.items():
            if url:
                add(escape_uri_path(f"/wp-content/uploads/{path}"), url)
        for attached in self.index.attachment_by_file:
            url = self.files.get(self._original_path(attached))
            if url:
                add(escape_uri_path(f"/wp-content/uploads/{attached}"), url)
        for path, url in self.term_redirects:
            add(path, url)
        for term_id, slug in self.category_ids.items():
            add(f"/?cat={term_id}", self.categories[slug].get_absolute_url())
        home = reverse("blog:home")
        for login in self.index.authors:
            add(f"/author/{german_slugify(login) or login}/", home)
        for years in self._archive_paths():
            add(*years)
        privacy = next(
            (path for wp_id, path in self.page_paths.items()
             if entries[wp_id].slug in _PRIVACY_SLUGS and entries[wp_id].status == "publish"),
            None,
        )  # fmt: skip
        if privacy and not FlatPage.objects.filter(url=PRIVACY_URL).exists():
            # The signup forms link the privacy policy at PRIVACY_URL.
            add(PRIVACY_URL, privacy)
        feed = reverse("blog:feed")
        for old in ("/feed/rss2/", "/feed/rss/", "/feed/rdf/", "/comments/feed/", "/rss/"):
            add(old, feed)
        self._save_redirects(wanted)

    def _archive_paths(self):
        seen = set()
        for entry in self.index.entries.values():
            if entry.type == "post" and entry.status == "publish" and not entry.password:
                local = timezone.localtime(entry.date)
                archive = reverse("blog:archive_year", kwargs={"year": local.year})
                for path in (f"/{local.year}/", f"/{local.year}/{local.month:02d}/"):
                    if path not in seen:
                        seen.add(path)
                        yield path, archive

    def _save_redirects(self, wanted: dict[str, str]) -> None:
        site_id = settings.SITE_ID
        existing = {}
        olds = list(wanted)
        for start in range(0, len(olds), 500):
            existing.update(
                Redirect.objects.filter(
                    site_id=site_id, old_path__in=olds[start : start + 500]
                ).values_list("old_path", "new_path")
            )
        new_rows = []
        for old, new in wanted.items():
            if old in existing:
                if existing[old] == new:
                    self.report.count("redirects", "unchanged")
                else:
                    self.report.skip("redirects", _("changed here by hand (kept)"), old)
            else:
                new_rows.append(Redirect(site_id=site_id, old_path=old, new_path=new))
        Redirect.objects.bulk_create(new_rows, batch_size=500)
        self.report.count("redirects", "imported", len(new_rows))


def _group_by(wanted: dict, key) -> dict[int, list]:
    groups: dict[int, list] = defaultdict(list)
    for wp_id, comment in wanted.items():
        groups[key(wp_id)].append(comment)
    return groups


def _rendition_names(article: Article) -> list[str]:
    names = []
    for meta in [article.cover_renditions, *(article.body_renditions or {}).values()]:
        for kind in ("jpeg", "webp"):
            names.extend(name for _width, name in (meta or {}).get(kind, []))
    return names


def _valid_email(value: str) -> bool:
    if not value or len(value) > 254:
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _valid_url(value: str) -> bool:
    if not value:
        return False
    try:
        _url_validator(value)
    except ValidationError:
        return False
    return True


def import_wordpress(options: ImportOptions) -> Report:
    """Run the import with `options`; raises WXRError or ImportStopped with a message."""
    return WordPressImport(options).run()


__all__ = ["ImportOptions", "ImportStopped", "WXRError", "import_wordpress"]
