"""The page cache serves anonymous readers whole pages, fresh tokens and all, without SQL."""

import gzip
import re

import pytest
from django.middleware.csrf import _unmask_cipher_token

from core import pagecache
from tests.blog.factories import ArticleFactory
from tests.comments.factories import CommentFactory
from tests.newsletter.factories import GuideFactory
from tests.perf.helpers import CSRF_INPUT, FORM_TIME_INPUT, anonymous, cached_page, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    article = ArticleFactory(title="Faszien im Alltag", slug="faszien-im-alltag")
    CommentFactory(article=article, body="Sehr hilfreich, danke!")
    return article


def test_the_second_anonymous_request_for_a_page_comes_from_the_cache(article):
    first = page(article.get_absolute_url())
    second = page(article.get_absolute_url())

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert "Faszien im Alltag" in text(second)
    assert "Sehr hilfreich, danke!" in text(second)


def test_a_page_from_the_cache_runs_no_sql_query(article, django_assert_num_queries):
    url = article.get_absolute_url()
    page(url)
    # A hit must not touch the database at all: not for the article, comments or the sidebar.
    with django_assert_num_queries(0):
        response = page(url)
    assert response["X-Page-Cache"] == "hit"


def test_lists_feeds_search_pages_sitemap_and_signup_pages_are_cached(article):
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    flatpage = FlatPage.objects.create(
        url="/ueber-mich/", title="Über mich", content="<p>Hallo</p>"
    )
    flatpage.sites.add(Site.objects.get_current())
    GuideFactory()
    urls = [
        "/",
        "/?page=1",
        article.category.get_absolute_url(),
        "/feed/",
        "/feed/atom/",
        "/suche/?q=Faszien",
        "/ueber-mich/",
        "/sitemap.xml",
        "/robots.txt",
        "/newsletter/",
        "/gratis-guide/",
    ]
    for url in urls:
        assert page(url)["X-Page-Cache"] == "miss", url
        assert page(url)["X-Page-Cache"] == "hit", url


def test_the_page_from_the_cache_is_the_rendered_page_with_fresh_per_visitor_values(article):
    url = article.get_absolute_url()
    rendered = page(url).content.decode()
    served = page(url).content.decode()

    def without_tokens(content):
        content = CSRF_INPUT.sub("CSRF", content)
        content = FORM_TIME_INPUT.sub("TS", content)
        return re.sub(r'nonce="[^"]+"', "NONCE", content)

    assert without_tokens(served) == without_tokens(rendered)
    assert CSRF_INPUT.findall(served) and CSRF_INPUT.findall(served) != CSRF_INPUT.findall(rendered)
    assert FORM_TIME_INPUT.findall(served) != FORM_TIME_INPUT.findall(rendered)


def test_every_csrf_token_on_a_cached_page_belongs_to_the_visitors_own_cookie(article):
    url = article.get_absolute_url()
    page(url)
    for _visitor in range(2):
        response = page(url)
        secret = response.cookies["csrftoken"].value
        tokens = CSRF_INPUT.findall(response.content.decode())
        assert tokens
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_a_returning_visitor_keeps_her_csrf_cookie_on_a_cached_page(article):
    url = article.get_absolute_url()
    visitor = anonymous()
    first = page(url, visitor)
    secret = first.cookies["csrftoken"].value
    second = page(url, visitor)

    assert second["X-Page-Cache"] == "hit"
    assert second.cookies["csrftoken"].value == secret
    token = CSRF_INPUT.search(second.content.decode()).group(1)
    assert _unmask_cipher_token(token) == secret


def test_the_csp_header_of_a_cached_page_names_the_nonce_in_its_html(article):
    response = cached_page(article.get_absolute_url())
    nonces = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
    header = response["Content-Security-Policy"]

    assert len(nonces) == 1
    assert f"'nonce-{nonces.pop()}'" in header
    assert "script-src 'self'" in header


def test_a_cached_page_keeps_the_security_headers(article):
    rendered = page(article.get_absolute_url())
    served = page(article.get_absolute_url())

    for header in ("X-Frame-Options", "Content-Type", "X-Content-Type-Options", "Referrer-Policy"):
        assert served[header] == rendered[header], header


def test_a_cached_page_is_gzip_compressed_for_browsers_that_accept_it(article):
    url = article.get_absolute_url()
    page(url)
    plain = page(url)
    compressed = page(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert compressed["Content-Encoding"] == "gzip"
    assert int(compressed["Content-Length"]) == len(compressed.content)
    assert "Accept-Encoding" in compressed["Vary"] and "Cookie" in compressed["Vary"]
    unpacked = gzip.decompress(compressed.content).decode()
    assert CSRF_INPUT.sub("", unpacked).count("Faszien im Alltag") == CSRF_INPUT.sub(
        "", plain.content.decode()
    ).count("Faszien im Alltag")
    assert len(unpacked) == len(plain.content.decode())
    assert len(compressed.content) < len(plain.content) / 2


def test_pages_rendered_for_the_cache_are_gzip_compressed_too(article):
    response = page(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Encoding"] == "gzip"
    assert "Faszien im Alltag" in gzip.decompress(response.content).decode()


def test_a_head_request_is_answered_from_the_cache(article):
    page(article.get_absolute_url())
    response = anonymous().head(article.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_the_page_cache_can_be_switched_off(article, settings):
    settings.PAGE_CACHE = False
    page(article.get_absolute_url())
    assert "X-Page-Cache" not in page(article.get_absolute_url())


def test_cached_pages_say_they_are_private_and_must_be_revalidated(article):
    response = cached_page(article.get_absolute_url())
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    # The HTML carries this visitor's CSRF token: no shared cache may keep it.
    assert {"private", "no-cache"} <= directives


def test_a_page_without_per_visitor_values_sets_no_cookie_and_may_be_shared():
    ArticleFactory()
    response = cached_page("/feed/")
    assert "csrftoken" not in response.cookies
    assert "private" not in response["Cache-Control"]


def test_spliced_gzip_unpacks_to_the_page_for_any_slot_values():
    parts = [
        b"<p>" * 300,
        pagecache.CSRF,
        b"</p>Mitte" * 50,
        pagecache.NONCE,
        b"",
        pagecache.FORM_TIME,
        b".",
    ]
    entry = {"parts": parts, "gzip": pagecache._compress_parts(parts)}
    for values in (
        {pagecache.CSRF: b"x" * 64, pagecache.NONCE: b"n" * 22, pagecache.FORM_TIME: b""},
        {pagecache.CSRF: b"", pagecache.NONCE: b"\x00" * 70000, pagecache.FORM_TIME: b"1.5:sig"},
    ):
        plain = pagecache._assemble(entry, values.__getitem__, gzipped=False)
        spliced = pagecache._assemble(entry, values.__getitem__, gzipped=True)
        assert gzip.decompress(spliced) == plain
