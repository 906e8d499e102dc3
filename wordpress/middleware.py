"""301s for the addresses of the old WordPress site.

The redirects are django.contrib.redirects rows: the author sees and edits them in the admin
(Weiterleitungen); the import writes one per old address. They are looked up in one query, and
only where no page answers:

- a request that ends in a 404 (after the flatpages had their turn, since
  FlatpageFallbackMiddleware sits further in) looks up its path, the path with a slash added,
  and the address WordPress derived it from: a feed, trackback, embed, AMP or comment-page
  address of a post leads to the post, `/page/N/` of a list to the list's page N, a day archive
  to its month, a size variant of an uploaded image (`bild-300x200.jpg`) to the image;
- the home page with `?p=`, `?page_id=`, `?attachment_id=` or `?cat=` (WordPress's addresses
  without pretty permalinks; they reach our home page, which is no 404) looks up that one
  parameter; `?s=` (WordPress's search) goes to our search without a lookup. Other requests for
  the home page cost nothing.

This middleware sits outside the page cache: a `/?p=12` is answered before the cache would
store the home page under that address, and a 301 or 404 is never cached, so a redirect edited
in the admin counts at once.
"""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.http import HttpResponseGone, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.encoding import escape_uri_path

from wordpress.media import original_of

QUERY_PARAMETERS = ("p", "page_id", "attachment_id", "cat")
HOME_PATHS = ("/", "/index.php")
_SUFFIX = re.compile(
    r"^(?P<base>.*/)(?:feed(?:/(?:rss2|rss|atom|rdf))?|trackback|embed|amp|comment-page-\d+"
    r"|page/(?P<page>\d+))/?$"
)
_HOME_PAGE = re.compile(r"^/page/(\d+)/?$")
_DAY_ARCHIVE = re.compile(r"^(/\d{4}/\d{2}/)\d{2}/$")
_UPLOADS = "/wp-content/uploads/"


def candidates(path: str) -> list[tuple[str, str]]:
    """(old path to look up, query to add to its target) for a path that found no page."""
    found = [(path, "")]
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
        found.append((path, ""))
    match = _SUFFIX.match(path)
    if match:
        page = match.group("page")
        path = match.group("base")
        found.append((path, f"page={page}" if page else ""))
    match = _DAY_ARCHIVE.match(path)
    if match:
        found.append((match.group(1), found[-1][1]))
    if path.startswith(_UPLOADS):
        original = original_of(path[len(_UPLOADS) :])
        if original:
            found.append((_UPLOADS + original, ""))
    return found


class OldAddressRedirectMiddleware:
    """Answer the old site's addresses with a 301 (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path_info in HOME_PATHS and request.GET:
            if request.GET.get("s", "").strip():
                # WordPress's search: our search page, no lookup needed.
                query = urlencode({"q": request.GET["s"].strip()[:200]})
                return HttpResponsePermanentRedirect(f"{reverse('blog:search')}?{query}")
            for name in QUERY_PARAMETERS:
                value = request.GET.get(name, "")
                if value.isascii() and value.isdigit() and len(value) <= 19:
                    response = self._redirect([(f"/?{name}={int(value)}", "")])
                    if response is not None:
                        return response
                    break
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        path = escape_uri_path(request.path)
        home_page = _HOME_PAGE.match(path)
        if home_page:
            # WordPress's /page/2/ of the home page is our home page 2: no lookup needed.
            return HttpResponsePermanentRedirect(f"/?page={home_page.group(1)}")
        return self._redirect(candidates(path)) or response

    @staticmethod
    def _redirect(found: list[tuple[str, str]]):
        rows = dict(
            Redirect.objects.filter(
                site_id=settings.SITE_ID, old_path__in=[old for old, _query in found]
            )
            .order_by()
            .values_list("old_path", "new_path")
        )
        for old, query in found:
            if old not in rows:
                continue
            new = rows[old]
            if new == "":
                return HttpResponseGone()
            if query and "?" not in new:
                new = f"{new}?{query}"
            return HttpResponsePermanentRedirect(new)
        return None
