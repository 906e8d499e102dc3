"""WordPress post content turned into the HTML our editor writes and our sanitiser keeps.

The steps, in WordPress's own order where it matters:

1. Gutenberg block comments (<!-- wp:... -->) and <!--more--> go; the blocks' HTML stays. A
   dynamic block that had no HTML of its own (latest posts, archives) is noted as removed.
2. Shortcodes are read into a tree and resolved: [caption] becomes a <figure> with its caption,
   [gallery] its images, [embed] and video URLs a plain link (nothing loads from other hosts),
   page-builder layout (Divi, WPBakery) is unwrapped, a Divi button becomes a link. Any other
   shortcode is removed (its text kept) and noted.
3. Classic-editor text gets WordPress's paragraph rules (wordpress.autop); block content does not,
   as WordPress does not apply them there either.
4. One pass over the HTML rewrites every link and image of the old site: posts and pages to
   their new addresses, uploads to the imported files (size variants to the original), embeds
   and iframes to links; gallery and button wrappers are unwrapped.
5. The sanitiser (blog.sanitize.clean_html) keeps what our editor produces; an image alone in a
   paragraph becomes a figure as the editor makes it; empty wrappers go.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from blog.sanitize import clean_html
from wordpress.autop import autop
from wordpress.wxr import number

# -- step 1: blocks ---------------------------------------------------------------------------

_BLOCK_COMMENT = re.compile(
    r"<!--\s+(/?)wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)(\s+\{.*?\})?\s+(/?)-->",
    re.DOTALL,
)
_MORE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL | re.IGNORECASE)
# Blocks that are meant to leave nothing behind.
_SILENT_BLOCKS = {"more", "nextpage", "spacer", "separator"}


def has_blocks(content: str) -> bool:
    return "<!-- wp:" in content


def strip_blocks(content: str, removed: Counter) -> str:
    """Remove block comments and <!--more-->; count self-closing (dynamic) blocks as removed."""

    def replace(match):
        closing, name, _attributes, self_closing = match.groups()
        if self_closing and name.removeprefix("core/") not in _SILENT_BLOCKS:
            removed[f"wp:{name}"] += 1
        return ""

    return _MORE.sub("", _BLOCK_COMMENT.sub(replace, content))


# -- step 2: shortcodes -----------------------------------------------------------------------

_SHORTCODE_TOKEN = re.compile(
    r"\[(\[?)(/?)([A-Za-z][\w-]*)((?:[^\[\]'\"]|\"[^\"]*\"|'[^']*')*?)(/?)\](\]?)"
)
_ATTRIBUTE = re.compile(
    r"([\w-]+)\s*=\s*\"([^\"]*)\"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'\"]+)"
    r"|\"([^\"]*)\"|'([^']*)'|(\S+)"
)
_SHORTCODE_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass
class Shortcode:
    name: str
    attributes: dict[str, str]
    children: list | None  # None: no closing tag
    raw: str = ""


def parse_attributes(text: str) -> dict[str, str]:
    """Shortcode attributes as WordPress reads them (quoted, unquoted, or positional)."""
    attributes: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTE.finditer(text.replace("\u201c", '"').replace("\u201d", '"')):
        groups = match.groups()
        if groups[0]:
            attributes[groups[0].lower()] = groups[1]
        elif groups[2]:
            attributes[groups[2].lower()] = groups[3]
        elif groups[4]:
            attributes[groups[4].lower()] = groups[5]
        else:
            value = next(g for g in groups[6:] if g is not None)
            if value != "/":
                attributes[str(position)] = value
                position += 1
    return {name: html.unescape(value) for name, value in attributes.items()}


@dataclass
class _Token:
    start: int
    end: int
    name: str
    closing: bool
    self_closing: bool
    attributes: str
    escaped: bool


def _tokens(text: str) -> list[_Token]:
    found = []
    for match in _SHORTCODE_TOKEN.finditer(text):
        open_escape, closing, name, attributes, self_closing, close_escape = match.groups()
        found.append(
            _Token(
                match.start(),
                match.end(),
                name,
                bool(closing),
                bool(self_closing),
                attributes,
                bool(open_escape and close_escape),
            )
        )
    names_with_close = {t.name for t in found if t.closing}
    # "[Werbung]" or "[1]" in running text is not a shortcode: a shortcode has a lower-case
    # ASCII name, attributes, a closing tag or a closing slash.
    return [
        t
        for t in found
        if t.escaped
        or t.closing
        or t.self_closing
        or "=" in t.attributes
        or t.name in names_with_close
        or _SHORTCODE_NAME.match(t.name)
    ]


def parse_shortcodes(text: str) -> list:
    """The text as a list of strings and Shortcode nodes (enclosing ones with children)."""
    tokens = _tokens(text)
    later_closes: dict[str, list[int]] = {}
    for index, token in enumerate(tokens):
        if token.closing:
            later_closes.setdefault(token.name, []).append(index)

    def build(index: int, position: int, until: str | None):
        nodes: list = []
        while index < len(tokens):
            token = tokens[index]
            if token.start < position:
                index += 1
                continue
            if token.start > position:
                nodes.append(text[position : token.start])
            position = token.end
            index += 1
            if token.escaped:
                nodes.append(text[token.start + 1 : token.end - 1])
                continue
            if token.closing:
                if token.name == until:
                    return nodes, index, position
                continue  # a closing tag without its opening: dropped
            encloses = not token.self_closing and any(
                close >= index for close in later_closes.get(token.name, ())
            )
            node = Shortcode(
                token.name.lower(),
                parse_attributes(token.attributes),
                None,
                raw=text[token.start : token.end],
            )
            if encloses:
                node.children, index, position = build(index, position, token.name)
            nodes.append(node)
        if position < len(text):
            nodes.append(text[position:])
        return nodes, index, len(text)

    return build(0, 0, None)[0]


# -- context: what the converter asks the importer -------------------------------------------


class Context(Protocol):
    """What the converter needs to know about the rest of the export."""

    def gallery_images(self, attributes: dict[str, str]) -> list[dict]:
        """Images of a [gallery]: dicts with url, alt, caption."""

    def resolve_url(self, url: str) -> Resolved | None:
        """Where a URL of the old site leads now (None: not a URL of the old site)."""

    def rewrite_text(self, text: str) -> str:
        """Text with the old site's URLs written as the new site's."""


@dataclass
class Resolved:
    """A URL of the old site: its new address, or None when it leads nowhere now."""

    url: str | None
    title: str = ""
    kind: str = "link"  # link, file, attachment_page
    missing: bool = False


@dataclass
class Converted:
    html: str
    unknown_shortcodes: Counter = field(default_factory=Counter)
    removed_blocks: Counter = field(default_factory=Counter)
    external_images: list[str] = field(default_factory=list)


# Layout shortcodes of page builders: only their content counts.
_LAYOUT = re.compile(
    r"^(?:et_pb_(?:section|fullwidth_section|row|row_inner|column|column_inner|text|"
    r"specialty_column|accordion|tabs|toggle_group|group)|vc_(?:row|row_inner|column|"
    r"column_inner|column_text|section|text_separator_group)|fusion_(?:builder_container|"
    r"builder_row|builder_column|text))$"
)
# Shortcodes that decorate and say nothing: removed without a note.
_DECORATION = re.compile(r"^(?:et_pb_divider|vc_separator|vc_empty_space|fusion_separator)$")
_VIDEO_ATTRIBUTES = ("src", "url", "mp4", "m4v", "webm", "ogv", "mp3", "m4a", "ogg", "wav")


def _divi_value(value: str) -> str:
    # Divi writes quotes and brackets inside attribute values as %22, %91 and %93.
    return value.replace("%22", '"').replace("%91", "[").replace("%93", "]")


def _link_paragraph(url: str, text: str | None = None) -> str:
    url = url.strip()
    label = html.escape(text if text else url)
    return f'<p><a href="{html.escape(url)}">{label}</a></p>'


def _figure(src: str, alt: str = "", caption_html: str = "", link: str = "") -> str:
    image = f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'
    if link:
        image = f'<a href="{html.escape(link)}">{image}</a>'
    caption = f"<figcaption>{caption_html}</figcaption>" if caption_html.strip() else ""
    return f'<figure class="image">{image}{caption}</figure>'


_CAPTION_IMAGE = re.compile(
    r"^\s*(?:<p>\s*)?((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL | re.IGNORECASE
)


class _Renderer:
    def __init__(self, context: Context, result: Converted):
        self.context = context
        self.result = result

    def document(self, nodes: list, *, paragraphs: bool) -> str:
        """Nodes as HTML; block output is kept out of the paragraph rules."""
        kept: list[str] = []
        parts: list[str] = []
        for node in nodes:
            if isinstance(node, str):
                parts.append(node)
                continue
            output, block = self.shortcode(node)
            if block:
                kept.append(output)
                parts.append(f'\n\n<div data-kept="{len(kept) - 1}"></div>\n\n')
            else:
                parts.append(output)
        text = "".join(parts)
        if paragraphs:
            text = autop(text)
        return re.sub(
            r'(?:<p>\s*)?<div data-kept="(\d+)"></div>(?:\s*</p>)?',
            lambda m: kept[int(m.group(1))],
            text,
        )

    def children(self, node: Shortcode, *, paragraphs: bool = True) -> str:
        return self.document(node.children or [], paragraphs=paragraphs)

    def shortcode(self, node: Shortcode) -> tuple[str, bool]:
        """(HTML, whether it is a block) for one shortcode."""
        name, attributes = node.name, node.attributes
        if name in ("caption", "wp_caption"):
            return self.caption(node), True
        if name == "gallery":
            images = self.context.gallery_images(attributes)
            return "".join(
                _figure(i["url"], i["alt"], html.escape(i["caption"])) for i in images
            ), True
        if name in ("embed", "video", "audio", "et_pb_video"):
            url = (
                "".join(c for c in node.children or [] if isinstance(c, str)).strip()
                if node.children
                else ""
            )
            url = url or next((attributes[a] for a in _VIDEO_ATTRIBUTES if attributes.get(a)), "")
            if url.startswith(("http://", "https://")):
                return _link_paragraph(url), True
            self.result.unknown_shortcodes[name] += 1
            return "", False
        if _LAYOUT.match(name):
            return self.children(node), True
        if _DECORATION.match(name):
            return "", False
        if name == "et_pb_button":
            url = _divi_value(attributes.get("button_url", ""))
            text = _divi_value(attributes.get("button_text", "")).strip()
            if url and text:
                return _link_paragraph(url, text), True
            return "", False
        if name in ("et_pb_image", "et_pb_fullwidth_image"):
            src = attributes.get("src", "")
            if not src:
                return "", False
            return _figure(src, _divi_value(attributes.get("alt", ""))), True
        if name in ("et_pb_blurb", "et_pb_cta", "et_pb_toggle", "et_pb_accordion_item", "et_pb_tab",
                    "et_pb_fullwidth_header"):  # fmt: skip
            return self.titled_module(node), True
        if name == "et_pb_testimonial":
            author = _divi_value(attributes.get("author", "")).strip()
            quote = self.children(node)
            signature = f"<p>{html.escape(author)}</p>" if author else ""
            return f"<blockquote>{quote}{signature}</blockquote>", True
        self.result.unknown_shortcodes[name] += 1
        if node.children is None:
            return "", False
        return self.children(node, paragraphs=False), False

    def titled_module(self, node: Shortcode) -> str:
        attributes = node.attributes
        parts = []
        title = _divi_value(attributes.get("title", "")).strip()
        if title:
            parts.append(f"<h3>{html.escape(title)}</h3>")
        image = attributes.get("image", "")
        if image:
            parts.append(_figure(image, _divi_value(attributes.get("alt", ""))))
        parts.append(self.children(node))
        url = _divi_value(attributes.get("button_url", "") or attributes.get("url", ""))
        text = _divi_value(attributes.get("button_text", "")).strip()
        if url and text:
            parts.append(_link_paragraph(url, text))
        return "".join(parts)

    def caption(self, node: Shortcode) -> str:
        inner = self.children(node, paragraphs=False)
        match = _CAPTION_IMAGE.match(inner)
        if match is None:
            return inner
        image, rest = match.groups()
        caption = node.attributes.get("caption", "") or rest
        caption = re.sub(r"^(?:\s|<br\s*/?>|</?p>)+|(?:\s|<br\s*/?>|</?p>)+$", "", caption)
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f'<figure class="image">{image}{figcaption}</figure>'


# -- step 4: links and images -----------------------------------------------------------------

_VOID = {"img", "br", "hr", "input", "meta", "link", "source", "area", "col", "wbr", "embed"}
_BARE_URL_PARAGRAPH = re.compile(r"<p>\s*(https?://[^\s<>\"]+)\s*</p>")
_UNWRAP_CLASSES = (
    "wp-block-gallery",
    "blocks-gallery-grid",
    "blocks-gallery-item",
    "wp-block-buttons",
    "wp-block-group",
    "wp-block-columns",
    "wp-block-column",
)
_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-orig-file")


def _classes(attributes: dict) -> set[str]:
    return set((attributes.get("class") or "").split())


def _video_link(src: str) -> str:
    """The page of an embedded player (a YouTube or Vimeo iframe) rather than the player."""
    parts = urlsplit(src)
    host = parts.netloc.lower()
    if "youtube" in host or "youtube-nocookie" in host:
        match = re.match(r"^/embed/([\w-]+)", parts.path)
        if match:
            return f"https://www.youtube.com/watch?v={match.group(1)}"
    if host == "player.vimeo.com":
        match = re.match(r"^/video/(\d+)", parts.path)
        if match:
            return f"https://vimeo.com/{match.group(1)}"
    return src


class _Rewriter(HTMLParser):
    """Rewrites the HTML token by token; see step 4 of the module docstring."""

    def __init__(self, context: Context, result: Converted):
        super().__init__(convert_charrefs=True)
        self.context = context
        self.result = result
        self.out: list[str] = []
        # For every open element: the end tag to write ("" to drop it).
        self.stack: list[tuple[str, str]] = []
        self.skip_depth = 0  # inside an element whose content is collected instead of written
        self.collected: list[str] = []
        self.link_texts: list[tuple[int, str, str]] = []  # (out index, old href, new text)

    # Writing -----------------------------------------------------------------------------

    @staticmethod
    def _tag(tag: str, attributes: dict, *, close: bool = False) -> str:
        text = "".join(
            f' {name}="{html.escape(value, quote=True)}"'
            for name, value in attributes.items()
            if value is not None
        )
        return f"<{tag}{text}{' /' if close else ''}>"

    def handle_starttag(self, tag, attrs):
        self._start(tag, dict(attrs), void=tag in _VOID)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, dict(attrs), void=True)

    def _start(self, tag: str, attributes: dict, *, void: bool) -> None:
        if self.skip_depth:
            if not void:
                self.skip_depth += 1
            return
        classes = _classes(attributes)
        if tag == "figure" and classes & {"wp-block-embed", "wp-block-video", "wp-block-audio"}:
            self.skip_depth, self.collected = 1, []
            self.stack.append((tag, "embed"))
            return
        if tag == "iframe":
            src = attributes.get("src") or ""
            if src.startswith(("http://", "https://", "//")):
                src = "https:" + src if src.startswith("//") else src
                self.out.append(_link_paragraph(_video_link(src)))
            self.skip_depth = 1
            self.stack.append((tag, ""))
            return
        if tag == "div" and "wp-block-button" in classes:
            self.out.append("<p>")
            self.stack.append((tag, "</p>"))
            return
        if tag in ("figure", "ul", "li", "div") and classes & set(_UNWRAP_CLASSES):
            self.stack.append((tag, ""))
            return
        if tag == "img":
            self._image(attributes)
            return
        if tag == "a":
            self._link(attributes)
            return
        if tag == "cite":
            # A quote's source: a line of its own, as our editor has no <cite>.
            tag = "p"
        if tag == "figure":
            if "wp-block-table" in classes:
                attributes = {"class": "table"}
            else:
                attributes = {"class": "image"}
        elif tag in ("td", "th", "ol"):
            attributes = {
                k: v for k, v in attributes.items() if k in ("colspan", "rowspan", "scope", "start")
            }
        else:
            attributes = {}
        self.out.append(self._tag(tag, attributes))
        if not void:
            self.stack.append((tag, f"</{tag}>"))

    def _image(self, attributes: dict) -> None:
        if _classes(attributes) & {"wp-smiley", "emoji"}:
            # WordPress's emoticon images: the character or text they stand for.
            self.out.append(html.escape(attributes.get("alt") or "", quote=False))
            return
        src = attributes.get("src") or ""
        if not src or src.startswith("data:"):
            src = next((attributes[a] for a in _LAZY_SOURCES if attributes.get(a)), src)
        resolved = self.context.resolve_url(src) if src else None
        if resolved is None:
            if src.startswith(("http://", "https://", "//")):
                self.result.external_images.append(src)
            elif src and not src.startswith("data:"):
                self.out.append(self._tag("img", {"src": src, "alt": attributes.get("alt", "")}))
            return
        if resolved.url is None:
            return  # a missing file: the importer has listed it
        if resolved.kind != "file":
            self.result.external_images.append(src)
            return
        self.out.append(self._tag("img", {"src": resolved.url, "alt": attributes.get("alt") or ""}))

    def _link(self, attributes: dict) -> None:
        href = (attributes.get("href") or "").strip()
        new = {}
        resolved = self.context.resolve_url(href) if href else None
        if resolved is not None and (resolved.url is None or resolved.kind == "attachment_page"):
            # A link to an attachment page or to a file that did not come along: keep the text.
            self.stack.append(("a", ""))
            return
        if resolved is not None:
            new["href"] = resolved.url
            self.link_texts.append((len(self.out) + 1, href, resolved.title or resolved.url))
        elif href:
            new["href"] = href
        if attributes.get("target") == "_blank":
            new["target"] = "_blank"
        self.out.append(self._tag("a", new))
        self.stack.append(("a", "</a>"))

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if self.skip_depth:
            # Inside an embed or iframe: only the end of that element counts.
            self.skip_depth -= 1
            if self.skip_depth == 0:
                _tag, end = self.stack.pop()
                words = "".join(self.collected).split()
                if end == "embed" and words and words[0].startswith(("http://", "https://")):
                    self.out.append(_link_paragraph(words[0]))
            return
        # Close up to the matching open element; unmatched end tags are dropped.
        for position in range(len(self.stack) - 1, -1, -1):
            if self.stack[position][0] == tag:
                break
        else:
            return
        while len(self.stack) > position:
            self.out.append(self.stack.pop()[1])

    def handle_data(self, data):
        if self.skip_depth:
            self.collected.append(data)
            return
        self.out.append(html.escape(self.context.rewrite_text(data), quote=False))

    def handle_comment(self, data):
        pass

    def result_html(self) -> str:
        self.close()
        if self.skip_depth:
            self.skip_depth = 1
            self.handle_endtag("")
        while self.stack:
            self.out.append(self.stack.pop()[1])
        # A link whose text was its old address shows the new one (or the article's title).
        for index, old_href, new_text in self.link_texts:
            if index < len(self.out) and html.unescape(self.out[index]).strip() == old_href:
                self.out[index] = html.escape(new_text, quote=False)
        return "".join(self.out)


# -- step 5: the finish -----------------------------------------------------------------------

_IMAGE_PARAGRAPH = re.compile(r"<p>\s*((?:<a [^>]*>)?<img [^>]*>(?:</a>)?)\s*</p>")
_EMPTY = re.compile(
    r"<(p|figure|figcaption|blockquote|strong|em|b|i|li|ul|ol|h2|h3|h4|a)(?: [^>]*)?>"
    r"(?:\s|&nbsp;|\u00a0|<br>)*</\1>"
)
_EDGE_BREAKS = re.compile(r"(<p>)(?:\s*<br>)+|(?:<br>\s*)+(</p>)")


def _finish(text: str) -> str:
    text = clean_html(text)
    text = _IMAGE_PARAGRAPH.sub(r'<figure class="image">\1</figure>', text)
    previous = None
    while previous != text:
        previous = text
        text = _EDGE_BREAKS.sub(lambda m: m.group(1) or m.group(2), text)
        text = _EMPTY.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def convert(content: str, *, context: Context) -> Converted:
    """Convert one post's content; see the module docstring for the steps."""
    result = Converted(html="")
    blocks = has_blocks(content)
    text = strip_blocks(content, result.removed_blocks)
    text = _Renderer(context, result).document(parse_shortcodes(text), paragraphs=not blocks)
    text = _BARE_URL_PARAGRAPH.sub(lambda m: _link_paragraph(html.unescape(m.group(1))), text)
    rewriter = _Rewriter(context, result)
    rewriter.feed(text)
    result.html = _finish(rewriter.result_html())
    return result


def plain_text(content: str) -> str:
    """An old comment's HTML as the plain text our comments are: tags gone, links' URLs kept."""

    def link(match):
        href, label = match.group(1), re.sub(r"<[^>]*>", "", match.group(2)).strip()
        href = html.unescape(href).strip()
        if not href.startswith(("http://", "https://")) or label in (href, ""):
            return label or href
        return f"{label} ({href})"

    text = content.replace("\r\n", "\n")
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(
        r"<a\b[^>]*?href=[\"']([^\"']*)[\"'][^>]*>(.*?)</a>", link, text, flags=re.I | re.S
    )
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</(?:p|div|blockquote|li|h\d)>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<li\b[^>]*>", "- ", text, flags=re.IGNORECASE)
    text = re.sub(r"<!--.*?-->|<[^>]*>", "", text, flags=re.DOTALL)
    text = html.unescape(text).replace("\u00a0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def query_id(url: str, *names: str) -> int | None:
    """The number in ?p=, ?page_id= or ?attachment_id= of a URL, if any."""
    query = parse_qs(urlsplit(url).query)
    for name in names:
        values = query.get(name)
        if values and number(values[0]):
            return number(values[0])
    return None
