"""A streaming reader of WordPress export files (WXR 1.0 to 1.2, "Alle Inhalte" in WordPress).

The file is fed in small chunks to defusedxml's hardened expat parser: a document type
declaration is refused outright (no WordPress export has one, and entity expansion and external
entities both need one), so are files over `max_bytes`, single texts over MAX_TEXT_CHARS and
nesting deeper than MAX_DEPTH. Each finished <item> is handed out and forgotten, so memory stays
bounded by one item, whatever the size of the file.

WordPress sometimes writes control characters that XML does not allow (pasted from word
processors); they are dropped from the byte stream before parsing and counted, as they never
carry meaning.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_namespaces

from defusedxml import DefusedXmlException
from defusedxml.expatreader import create_parser
from django.utils.translation import gettext as _

CHUNK_BYTES = 64 * 1024
MAX_FILE_BYTES = 512 * 1024 * 1024
# One post's text, one comment: a real one is a few hundred kilobytes at most.
MAX_TEXT_CHARS = 16 * 1024 * 1024
MAX_DEPTH = 24

_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/excerpt/$")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}
# Control characters XML 1.0 forbids even as text (tab, line feed and carriage return are fine).
_INVALID_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32)])
# Meta fields the import uses; all others (builder settings, caches) are not kept in memory.
KEPT_META = {
    "_thumbnail_id",
    "_wp_attached_file",
    "_wp_attachment_metadata",
    "_wp_attachment_image_alt",
    "_wp_old_slug",
    "_yoast_wpseo_primary_category",
    "_yoast_wpseo_metadesc",
    "_et_pb_use_builder",
}


class WXRError(Exception):
    """The file cannot be imported; `message` says why, for the person running the import."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass
class Author:
    id: int = 0
    login: str = ""
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A category, tag or other taxonomy term."""

    taxonomy: str = ""
    id: int = 0
    slug: str = ""
    name: str = ""
    parent_slug: str = ""
    description: str = ""


@dataclass
class WPComment:
    id: int = 0
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: int = 0
    user_id: int = 0


@dataclass
class Item:
    """One post, page, attachment or other entry of the export."""

    title: str = ""
    link: str = ""
    creator: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: int = 0
    post_date: str = ""
    post_date_gmt: str = ""
    comment_status: str = ""
    post_name: str = ""
    status: str = ""
    post_parent: int = 0
    menu_order: int = 0
    post_type: str = ""
    post_password: str = ""
    attachment_url: str = ""
    # (taxonomy, slug, name) in the order WordPress wrote them.
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    comments: list[WPComment] = field(default_factory=list)
    line: int = 0

    def meta_value(self, key: str) -> str:
        values = self.meta.get(key)
        return values[0] if values else ""


def number(text: str) -> int:
    """A WordPress ID or count; anything but plain ASCII digits (also "²") is 0."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else 0


_CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "language": "language",
    "wp:wxr_version": "wxr_version",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
}
_AUTHOR_FIELDS = {
    "wp:author_id": "id",
    "wp:author_login": "login",
    "wp:author_email": "email",
    "wp:author_display_name": "display_name",
    "wp:author_first_name": "first_name",
    "wp:author_last_name": "last_name",
}
_TERM_FIELDS = {
    "wp:term_id": "id",
    "wp:category_nicename": "slug",
    "wp:tag_slug": "slug",
    "wp:term_slug": "slug",
    "wp:cat_name": "name",
    "wp:tag_name": "name",
    "wp:term_name": "name",
    "wp:category_parent": "parent_slug",
    "wp:term_parent": "parent_slug",
    "wp:category_description": "description",
    "wp:tag_description": "description",
    "wp:term_description": "description",
    "wp:term_taxonomy": "taxonomy",
}
_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "dc:creator": "creator",
    "guid": "guid",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_id": "post_id",
    "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:comment_status": "comment_status",
    "wp:post_name": "post_name",
    "wp:status": "status",
    "wp:post_parent": "post_parent",
    "wp:menu_order": "menu_order",
    "wp:post_type": "post_type",
    "wp:post_password": "post_password",
    "wp:attachment_url": "attachment_url",
}
_COMMENT_FIELDS = {
    "wp:comment_id": "id",
    "wp:comment_author": "author",
    "wp:comment_author_email": "email",
    "wp:comment_author_url": "url",
    "wp:comment_author_IP": "ip",
    "wp:comment_date": "date",
    "wp:comment_date_gmt": "date_gmt",
    "wp:comment_content": "content",
    "wp:comment_approved": "approved",
    "wp:comment_type": "type",
    "wp:comment_parent": "parent",
    "wp:comment_user_id": "user_id",
}
_INT_FIELDS = {"id", "post_id", "post_parent", "menu_order", "parent", "user_id"}


def _assign(target, fields: dict, name: str, text: str) -> None:
    attribute = fields.get(name)
    if attribute is None:
        return
    setattr(target, attribute, number(text) if attribute in _INT_FIELDS else text)


class _Handler(ContentHandler):
    """Builds Channel, Author, Term and Item objects from SAX events; collects them in `found`."""

    def __init__(self):
        super().__init__()
        self.found: list = []
        self.channel = Channel()
        self.channel_sent = False
        self.root_seen = False
        self.stack: list[str] = []
        self.text: list[str] = []
        self.text_size = 0
        self.author: Author | None = None
        self.term: Term | None = None
        self.item: Item | None = None
        self.comment: WPComment | None = None
        self.meta: list[str] | None = None  # [key, value] of the postmeta being read
        self.locator = None

    def setDocumentLocator(self, locator):  # noqa: N802 (SAX API)
        self.locator = locator

    def _line(self) -> int:
        return self.locator.getLineNumber() if self.locator else 0

    @staticmethod
    def _name(qualified: tuple[str | None, str]) -> str:
        namespace, local = qualified
        if not namespace:
            return local
        if _WP_NAMESPACE.match(namespace):
            return f"wp:{local}"
        if _EXCERPT_NAMESPACE.match(namespace):
            return f"excerpt:{local}"
        prefix = _PREFIXES.get(namespace)
        return f"{prefix}:{local}" if prefix else f"{{{namespace}}}{local}"

    def _send_channel(self) -> None:
        if self.channel_sent:
            return
        version = self.channel.wxr_version.strip()
        if not version:
            raise WXRError(
                _(
                    "The file is an RSS feed, but not a WordPress export (it has no "
                    "wp:wxr_version). In WordPress, use Tools → Export → All content."
                )
            )
        if version not in SUPPORTED_VERSIONS:
            raise WXRError(
                _("The export has WXR version %(version)s; versions 1.0 to 1.2 can be read.")
                % {"version": version[:20]}
            )
        self.channel_sent = True
        self.found.append(self.channel)

    def startElementNS(self, qualified, qname, attributes):  # noqa: N802 (SAX API)
        name = self._name(qualified)
        depth = len(self.stack)
        if depth >= MAX_DEPTH:
            raise WXRError(
                _("The file nests elements more than %(depth)d levels deep (line %(line)d).")
                % {"depth": MAX_DEPTH, "line": self._line()}
            )
        if depth == 0:
            self.root_seen = True
            if name != "rss":
                raise WXRError(
                    _(
                        "The file is XML, but not a WordPress export (it starts with <%(name)s> "
                        "instead of <rss>)."
                    )
                    % {"name": qualified[1][:40]}
                )
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(name)
        self.text = []
        self.text_size = 0
        if parent == "channel":
            if name == "wp:author":
                self._send_channel()
                self.author = Author()
            elif name in ("wp:category", "wp:tag", "wp:term"):
                self._send_channel()
                taxonomy = {"wp:category": "category", "wp:tag": "post_tag"}.get(name, "")
                self.term = Term(taxonomy=taxonomy)
            elif name == "item":
                self._send_channel()
                self.item = Item(line=self._line())
        elif self.item is not None:
            if name == "wp:comment" and parent == "item":
                self.comment = WPComment()
            elif name == "wp:postmeta" and parent == "item":
                self.meta = ["", ""]
            elif name == "category" and parent == "item":
                self._category = (
                    attributes.get((None, "domain"), "") or "category",
                    attributes.get((None, "nicename"), ""),
                )

    def characters(self, content):
        self.text_size += len(content)
        if self.text_size > MAX_TEXT_CHARS:
            raise WXRError(
                _(
                    "One element of the file holds more than %(size)d MB of text (line %(line)d). "
                    "That is no blog post; the file is refused."
                )
                % {"size": MAX_TEXT_CHARS // (1024 * 1024), "line": self._line()}
            )
        self.text.append(content)

    def endElementNS(self, qualified, qname):  # noqa: N802 (SAX API)
        name = self.stack.pop()
        parent = self.stack[-1] if self.stack else ""
        text = "".join(self.text)
        self.text = []
        self.text_size = 0
        if parent == "channel":
            if name in _CHANNEL_FIELDS:
                setattr(self.channel, _CHANNEL_FIELDS[name], text.strip())
            elif name == "wp:author" and self.author is not None:
                self.found.append(self.author)
                self.author = None
            elif name in ("wp:category", "wp:tag", "wp:term") and self.term is not None:
                self.found.append(self.term)
                self.term = None
            elif name == "item" and self.item is not None:
                self.found.append(self.item)
                self.item = None
        elif parent == "wp:author" and self.author is not None:
            _assign(self.author, _AUTHOR_FIELDS, name, text.strip())
        elif parent in ("wp:category", "wp:tag", "wp:term") and self.term is not None:
            _assign(self.term, _TERM_FIELDS, name, text if "description" in name else text.strip())
        elif parent == "item" and self.item is not None:
            if name == "category":
                taxonomy, slug = self._category
                self.item.terms.append((taxonomy, slug.strip(), text.strip()))
            elif name == "wp:comment" and self.comment is not None:
                self.item.comments.append(self.comment)
                self.comment = None
            elif name == "wp:postmeta" and self.meta is not None:
                key, value = self.meta
                if key in KEPT_META:
                    self.item.meta.setdefault(key, []).append(value)
                self.meta = None
            else:
                keep_spaces = name in ("content:encoded", "excerpt:encoded", "title")
                _assign(self.item, _ITEM_FIELDS, name, text if keep_spaces else text.strip())
        elif parent == "wp:comment" and self.comment is not None:
            keep_spaces = name == "wp:comment_content"
            _assign(self.comment, _COMMENT_FIELDS, name, text if keep_spaces else text.strip())
        elif parent == "wp:postmeta" and self.meta is not None:
            if name == "wp:meta_key":
                self.meta[0] = text.strip()
            elif name == "wp:meta_value" and self.meta[0] in KEPT_META:
                self.meta[1] = text

    def endDocument(self):  # noqa: N802 (SAX API)
        if self.root_seen:
            self._send_channel()


class WXRReader:
    """Reads one export file from start to end; iterate `read()` for its parts in file order.

    `read()` yields the Channel first, then Author, Term and Item objects as the file has them.
    Any problem (not XML, not an export, cut off, hostile) raises WXRError with a message for
    the person running the import. `bytes_read`/`size` tell how far it got.
    """

    def __init__(self, path, *, max_bytes: int = MAX_FILE_BYTES):
        self.path = path
        self.max_bytes = max_bytes
        self.size = 0
        self.bytes_read = 0
        self.removed_control_characters = 0

    def _check_file(self) -> None:
        try:
            self.size = os.path.getsize(self.path)
        except OSError as error:
            raise WXRError(
                _("The file %(path)s cannot be read: %(error)s")
                % {"path": self.path, "error": error.strerror or error}
            ) from error
        if self.size == 0:
            raise WXRError(_("The file is empty."))
        if self.size > self.max_bytes:
            raise WXRError(
                _(
                    "The file is %(size)s MB large; at most %(limit)s MB are read. A WordPress "
                    "export of a blog is far smaller: is it the right file? (A larger limit: "
                    "--max-size.)"
                )
                % {"size": self.size // (1024 * 1024), "limit": self.max_bytes // (1024 * 1024)}
            )

    def read(self) -> Iterator[Channel | Author | Term | Item]:
        self._check_file()
        handler = _Handler()
        parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        parser.setFeature(feature_namespaces, True)
        parser.setFeature(feature_external_ges, False)
        parser.setContentHandler(handler)
        at_end = False
        try:
            with open(self.path, "rb") as handle:
                while True:
                    chunk = handle.read(CHUNK_BYTES)
                    if not chunk:
                        break
                    self.bytes_read += len(chunk)
                    if self.bytes_read > self.max_bytes:
                        raise WXRError(_("The file grew while it was being read."))
                    cleaned = chunk.translate(None, delete=_INVALID_BYTES)
                    self.removed_control_characters += len(chunk) - len(cleaned)
                    parser.feed(cleaned)
                    yield from handler.found
                    handler.found.clear()
                at_end = True
                parser.close()
        except WXRError:
            raise
        except DefusedXmlException as error:
            raise WXRError(
                _(
                    "The file declares a document type or entities (%(what)s). A WordPress "
                    "export never does; the file is refused to protect the server."
                )
                % {"what": type(error).__name__}
            ) from error
        except SAXParseException as error:
            raise self._parse_error(error, handler, at_end=at_end) from error
        except OSError as error:
            raise WXRError(
                _("The file %(path)s cannot be read: %(error)s")
                % {"path": self.path, "error": error.strerror or error}
            ) from error
        yield from handler.found
        if not handler.channel_sent:
            raise WXRError(_("The file is not a WordPress export: it has no channel."))

    def _parse_error(self, error: SAXParseException, handler: _Handler, *, at_end: bool):
        where = {"line": error.getLineNumber(), "column": error.getColumnNumber()}
        if not handler.root_seen:
            return WXRError(
                _(
                    "The file is not a WordPress export: it is not XML (line %(line)d, column "
                    "%(column)d). In WordPress, use Tools → Export → All content."
                )
                % where
            )
        if at_end:
            return WXRError(
                _(
                    "The file ends in the middle (line %(line)d): the export is incomplete, "
                    "perhaps cut off while downloading or uploading. Please export it again."
                )
                % where
            )
        return WXRError(
            _(
                "The file is damaged at line %(line)d, column %(column)d (%(reason)s). Nothing "
                "was imported."
            )
            % {**where, "reason": error.getMessage()}
        )
