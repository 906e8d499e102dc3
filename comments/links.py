"""What in a reader's text becomes a link: one urlizer for the page and for the link hold.

The comment list turns web addresses into links with Django's urlize, which links `https://…`,
`www.…` and also bare domains such as `casino.com` (the endings .com, .net, .org, .edu, .gov,
.int and .mil). The moderation's link hold counts with the same urlizer, so whatever the page
will show as a link counts, and nothing else.
"""

import re

from django.utils.html import Urlizer, escape


class _NoEmailUrlizer(Urlizer):
    # Addresses in a comment stay plain text: a mailto link would only feed address harvesters.
    @staticmethod
    def is_email_simple(value):
        return False


_urlize = _NoEmailUrlizer()
# Every word urlize links contains one of these (its patterns, with the same case rules): text
# without any of them comes out of urlize merely escaped, so it can skip urlize's per-word work.
_MAYBE_URL = re.compile(r"http|www\.|\.(?:com|edu|gov|int|mil|net|org)", re.IGNORECASE)
# Reader text is escaped before urlize adds its anchors, so each of these is one link it made.
_ANCHOR = '<a href="'


def linked_text(text: str) -> str:
    """`text` escaped, with its web addresses as nofollow links (HTML, without line breaks)."""
    text = str(text)
    if not _MAYBE_URL.search(text):
        return escape(text)
    linked = _urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    # urlize writes rel="nofollow"; any such text typed by a reader was escaped above.
    return linked.replace(' rel="nofollow"', ' rel="nofollow ugc"')


def count_links(text: str) -> int:
    """How many links `text` would show on the page."""
    return linked_text(text).count(_ANCHOR) if text else 0
