"""Sanitising of article HTML: keep what our CKEditor 5 toolbar produces, drop everything else.

`clean_html()` runs when an article is saved (Article.save()), so whatever reaches the database,
from the editor, a paste, the demo loader or a script, is safe to render with `|safe`.

Two link styles of the editor survive (its link dialog's switches, CKEDITOR_5_CONFIGS): the
"Gesprächs-Button" (class="cta-button", a link drawn as a button) and the "Werbelink"
(class="sponsored", a paid or affiliate link). A paid link gets rel="sponsored noopener" and,
right after it, the visible note German law asks for: <span class="paid-note">(Werbung)</span>.
The note is written here, on save, so that every output (article page, feeds, newsletter mails,
their plain text) carries it and none can forget it. Saving again never doubles it: the editor
knows no <span> and hands the note back as text, and a note after a paid link, as element or as
text, is replaced by exactly one.
"""

import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

ALLOWED_TAGS = {
    "p", "br", "hr",
    "h2", "h3", "h4",
    "strong", "b", "em", "i",
    "a",
    "ul", "ol", "li",
    "blockquote",
    "figure", "figcaption", "img",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip

# Removed together with everything inside them; all other unknown tags keep their text.
# Every iframe counts as foreign: the public CSP loads nothing from other hosts anyway.
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
    "form", "input", "button", "select", "textarea", "template", "noscript",
    "svg", "math", "audio", "video", "canvas",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel", "target"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
}

# Attributes with a closed set of values (an attribute here must not be in ALLOWED_ATTRIBUTES).
ALLOWED_ATTRIBUTE_VALUES = {
    "img": {"loading": {"lazy", "eager"}},
}

# The classes CKEditor 5 writes for images (block styles, alignment, resizing) and tables.
IMAGE_CLASSES = {
    "image",
    "image-style-side",
    "image-style-align-left",
    "image-style-align-center",
    "image-style-align-right",
    "image-style-block-align-left",
    "image-style-block-align-right",
    "image-inline",
    "image_resized",
}
# The editor's link styles: a button to the consultation page, a paid (affiliate) link.
CTA_CLASS = "cta-button"
PAID_CLASS = "sponsored"
ALLOWED_CLASSES = {
    "figure": IMAGE_CLASSES | {"table"},
    "img": IMAGE_CLASSES,
    "a": {CTA_CLASS, PAID_CLASS},
}

URL_SCHEMES = {"http", "https", "mailto", "tel"}
REL_TOKENS = {"noopener", "noreferrer", "nofollow", "ugc", "sponsored"}

# nh3 serialises every attribute as name="value" with quotes escaped, and text never contains a
# raw "<", so this matches exactly the opening tags, even when a value contains ">".
_OPENING_TAG = re.compile(r'<([a-z][a-z0-9]*)((?:\s+[^\s=>"/]+(?:="[^"]*")?)*)\s*(/?)>')


def _is_local_url(url: str) -> bool:
    """A path on this site (`/media/...`), not a URL that would load from another host."""
    # Browsers drop tabs and line breaks inside URLs and read "\\" as "/", so "/\\evil.example"
    # or "/\t/evil.example" would load from another host.
    url = re.sub(r"[\t\n\r]", "", url).strip().replace("\\", "/")
    parts = urlsplit(url)
    return bool(url) and not parts.scheme and not parts.netloc and not url.startswith("//")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _is_local_url(value) else None
    if tag == "img" and attribute == "srcset":
        candidates = [c.strip() for c in value.split(",") if c.strip()]
        if candidates and all(_is_local_url(c.split()[0]) for c in candidates):
            return value
        return None
    if tag == "img" and attribute in {"width", "height"}:
        return value if value.isascii() and value.isdigit() and len(value) <= 5 else None
    if tag == "a" and attribute == "target":
        return "_blank" if value == "_blank" else None
    if tag == "a" and attribute == "rel":
        tokens = [t for t in value.lower().split() if t in REL_TOKENS]
        return " ".join(dict.fromkeys(tokens)) or None
    return value


# Headings outside the editor's range (pasted from elsewhere) move into it instead of becoming
# plain text: the page title is the only <h1>.
_HEADING_OUT_OF_RANGE = re.compile(r"<(/?)h([156])\b", re.IGNORECASE)
_HEADING_REPLACEMENT = {"1": "h2", "5": "h4", "6": "h4"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
    allowed_classes=ALLOWED_CLASSES,
    attribute_filter=_filter_attribute,
    url_schemes=URL_SCHEMES,
    # rel is set below, only where it matters (target="_blank"); nh3 would put it on every link.
    link_rel=None,
    strip_comments=True,
)


def _add_noopener(attributes: str) -> str:
    rel = re.search(r' rel="([^"]*)"', attributes)
    if rel is None:
        return f'{attributes} rel="noopener"'
    tokens = rel.group(1).split()
    if "noopener" in tokens:
        return attributes
    new_rel = " ".join([*tokens, "noopener"])
    return f'{attributes[: rel.start()]} rel="{new_rel}"{attributes[rel.end() :]}'


def _set_tokens(attributes: str, name: str, wanted: list[str]) -> str:
    """`attributes` whose attribute `name` holds its own tokens plus `wanted`, each once."""
    found = re.search(rf' {name}="([^"]*)"', attributes)
    tokens = found.group(1).split() if found else []
    value = " ".join(dict.fromkeys([*tokens, *wanted]))
    if found is None:
        return f'{attributes} {name}="{value}"'
    return f'{attributes[: found.start()]} {name}="{value}"{attributes[found.end() :]}'


def _is_paid_link(attributes: str) -> bool:
    classes = re.search(r' class="([^"]*)"', attributes)
    rel = re.search(r' rel="([^"]*)"', attributes)
    return (classes is not None and PAID_CLASS in classes.group(1).split()) or (
        rel is not None and "sponsored" in rel.group(1).split()
    )


def _finish_tag(match: re.Match) -> str:
    tag, attributes, slash = match.groups()
    # allowed_classes leaves class="" behind when no class was allowed.
    attributes = attributes.replace(' class=""', "")
    if tag == "a" and _is_paid_link(attributes):
        # Marked in the editor (class) or pasted with rel="sponsored": both, so that the editor
        # shows the switch on and search engines know it is paid.
        attributes = _set_tokens(attributes, "class", [PAID_CLASS])
        attributes = _set_tokens(attributes, "rel", ["sponsored", "noopener"])
    if tag == "img" and ' src="' not in attributes:
        # Its source was dropped (another host, javascript:, data:): the image goes entirely.
        return ""
    if tag == "img" and ' alt="' not in attributes:
        # An image the author gave no text is announced as decoration, never by its file name
        # (the admin reminds her to describe it).
        attributes += ' alt=""'
    if tag == "a" and ' target="_blank"' in attributes:
        attributes = _add_noopener(attributes)
    return f"<{tag}{attributes}{slash}>"


def paid_note_text() -> str:
    """The note after a paid link, in the site's language (the language of the articles)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("(advertisement)")


_PAID_LINK = re.compile(
    r'(<a\b(?:\s+[^\s=>"/]+(?:="[^"]*")?)*? class="[^"]*\bsponsored\b[^"]*"'
    r'(?:\s+[^\s=>"/]+(?:="[^"]*")?)*\s*>.*?</a>)',
    re.DOTALL,
)


def _add_paid_notes(html: str) -> str:
    note = escape(paid_note_text())
    # A note already there (as text after nh3 dropped its <span>, or typed by the author) goes:
    # every paid link ends up with exactly one.
    old_note = re.compile(r"(?:\s|&nbsp;|\u00a0)*" + re.escape(note))
    parts = _PAID_LINK.split(html)
    for index in range(1, len(parts), 2):
        found = old_note.match(parts[index + 1])
        if found:
            parts[index + 1] = parts[index + 1][found.end() :]
        parts[index] += f' <span class="paid-note">{note}</span>'
    return "".join(parts)


def clean_html(html: str) -> str:
    """Return article HTML reduced to what the editor produces: no scripts, handlers or foreign
    embeds, only http(s)/mailto/tel links, images only from this site."""
    if not html:
        return ""
    html = _HEADING_OUT_OF_RANGE.sub(
        lambda m: f"<{m.group(1)}{_HEADING_REPLACEMENT[m.group(2)]}", html
    )
    cleaned = _OPENING_TAG.sub(_finish_tag, _cleaner.clean(html))
    return _add_paid_notes(cleaned).strip()
