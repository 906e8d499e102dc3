"""WordPress's paragraph rules for classic-editor text, as WordPress applies them when it shows it.

Text written in the classic editor is stored without <p> tags: an empty line starts a paragraph,
a single line break is a <br>. Block elements (headings, lists, tables, figures, ...) are left as
they are and never wrapped in a paragraph; text inside <pre> is not touched.
"""

import re

BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|"
    "area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|"
    "hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
_COMMENT_OR_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_P_AROUND_BLOCK_OPEN = re.compile(rf"<p>\s*(</?(?:{BLOCK_TAGS})[^>]*>)", re.IGNORECASE)
_P_AROUND_BLOCK_CLOSE = re.compile(rf"(</?(?:{BLOCK_TAGS})[^>]*>)\s*</p>", re.IGNORECASE)
_P_AROUND_ONE_BLOCK = re.compile(rf"<p>\s*(</?(?:{BLOCK_TAGS})[^>]*>)\s*</p>", re.IGNORECASE)
_BR_AFTER_BLOCK = re.compile(rf"(</?(?:{BLOCK_TAGS})[^>]*>)\s*<br />", re.IGNORECASE)
_BR_BEFORE_BLOCK = re.compile(
    r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", re.IGNORECASE
)
_EMPTY_P = re.compile(r"<p>\s*</p>")


def _protect_newlines_in_tags(text: str) -> str:
    """Line breaks inside a tag (between attributes) or a comment are not text."""
    return _COMMENT_OR_TAG.sub(lambda m: m.group(0).replace("\n", " "), text)


def autop(text: str, *, line_breaks: bool = True) -> str:
    """`text` with paragraphs (<p>) for empty lines and <br /> for single line breaks."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []

    def keep(match):
        kept.append(match.group(0))
        # A <pre> placeholder is a block, so it is never wrapped in a paragraph.
        return f'<pre data-kept="{len(kept) - 1}"></pre>'

    text = _PRE.sub(keep, text)
    text = _DOUBLE_BR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _protect_newlines_in_tags(text)
    text = re.sub(r"\n\s*\n+", "\n\n", text.strip("\n") + "\n")

    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    text = "".join(f"<p>{part}</p>\n" for part in paragraphs)
    text = _EMPTY_P.sub("", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = _P_AROUND_ONE_BLOCK.sub(r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    # Text in a quote is a paragraph of the quote, not the quote inside a paragraph.
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = re.sub(r"</blockquote></p>", "</p></blockquote>", text, flags=re.IGNORECASE)
    text = _P_AROUND_BLOCK_OPEN.sub(r"\1", text)
    text = _P_AROUND_BLOCK_CLOSE.sub(r"\1", text)
    if line_breaks:
        text = re.sub(r"<br\s*/?>\s*\n", "<br />\n", text)
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    text = re.sub(r'<pre data-kept="(\d+)"></pre>', lambda m: kept[int(m.group(1))], text)
    return text.strip()
