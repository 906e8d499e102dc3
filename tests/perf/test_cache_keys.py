"""What a cached page's key holds: the release, and only the query parameters its view reads.

And the pages each process keeps in front of the shared store: served without fetching the page
again, made stale by the shared generation like every other cached page.
"""

import json
import re

import pytest

from core import pagecache
from tests.blog.factories import ArticleFactory
from tests.perf.helpers import REDIS_URL, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return [
        ArticleFactory(title=f"Faszien Teil {number}", slug=f"faszien-teil-{number}")
        for number in range(12)
    ]


def test_parameters_no_page_reads_share_the_entry_of_the_plain_page(articles):
    page("/")
    for junk in ("utm_source=newsletter", "fbclid=IwAR0abc", "_=1732951234", "x=1&y=2"):
        response = page(f"/?{junk}")
        assert response["X-Page-Cache"] == "hit", junk
        assert response.status_code == 200


def stored_pages() -> int:
    return sum(":pagecache:page:" in key for key in pagecache.page_store()._cache)


def test_unique_junk_parameters_never_make_new_entries(articles):
    for number in range(30):
        page(f"/?nocache={number}")
    # One page for all of them: the first stored it, the other 29 were served from it.
    assert stored_pages() == 1


def test_the_view_renders_a_page_without_the_parameters_it_does_not_read(articles):
    response = page("/?page=2&utm_source=spam")
    assert response["X-Page-Cache"] == "miss"
    assert "utm_source" not in text(response)
    # The pager's links keep the parameters the list reads, and only those.
    assert 'href="/"' in text(response) or 'href="/?page=1"' in text(response)


def test_a_junk_parameter_cannot_put_its_value_into_a_page_for_others(articles):
    page('/suche/?q=Faszien&evil="><script>alert(1)</script>')
    served = page("/suche/?q=Faszien")
    assert served["X-Page-Cache"] == "hit"
    assert "evil" not in text(served)
    assert "alert(1)" not in text(served)


def test_parameters_a_page_reads_make_their_own_entries(articles):
    assert page("/suche/?q=Faszien")["X-Page-Cache"] == "miss"
    assert page("/suche/?q=Teil")["X-Page-Cache"] == "miss"
    assert page("/?page=2")["X-Page-Cache"] == "miss"
    assert "Faszien Teil 0" in text(page("/?page=2"))
    assert "Faszien Teil 0" not in text(page("/"))


def test_the_order_of_the_parameters_does_not_matter(articles):
    page("/suche/?q=Faszien&page=2")
    assert page("/suche/?page=2&q=Faszien")["X-Page-Cache"] == "hit"


def test_the_comment_page_parameter_of_an_article_is_part_of_its_key(articles):
    url = articles[0].get_absolute_url()
    page(url)
    assert page(f"{url}?kommentare=2")["X-Page-Cache"] == "miss"
    assert page(f"{url}?kommentare=2&ref=twitter")["X-Page-Cache"] == "hit"


def test_a_page_of_another_release_is_never_served(articles, settings):
    settings.PAGE_CACHE_RELEASE = "release-1"
    page("/")
    assert page("/")["X-Page-Cache"] == "hit"

    settings.PAGE_CACHE_RELEASE = "release-2"  # a server of the next release
    assert page("/")["X-Page-Cache"] == "miss"


def manifest_storage(settings, tmp_path, paths: dict) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT.mkdir(exist_ok=True)
    manifest = {"paths": paths, "version": "1.1", "hash": "x"}
    (settings.STATIC_ROOT / "staticfiles.json").write_text(json.dumps(manifest))


def test_the_release_changes_with_the_static_files_manifest(settings, tmp_path):
    manifest_storage(settings, tmp_path, {"feelmove/css/site.css": "feelmove/css/site.aaa.css"})
    before = pagecache._compute_release()
    assert pagecache._compute_release() == before  # the same files, the same release

    manifest_storage(settings, tmp_path, {"feelmove/css/site.css": "feelmove/css/site.bbb.css"})
    assert pagecache._compute_release() != before


def test_the_release_is_short_and_fits_in_a_key():
    assert re.fullmatch(r"[0-9a-f]{12}", pagecache._compute_release())


@pytest.fixture
def shared_store(settings):
    """A page store that is not this process's own memory (as Redis), without a Redis."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    settings.PAGE_CACHE_ALIAS = "shared"


def test_the_local_pages_keep_the_most_recently_used_ones(settings, shared_store):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 2
    pages = pagecache.LocalPages()
    for key in ("a", "b"):
        pages.put(key, "g1", {"page": key})
    pages.get("a", "g1")
    pages.put("c", "g1", {"page": "c"})

    assert pages.get("b", "g1") is None  # least recently used: dropped
    assert pages.get("a", "g1") == {"page": "a"}
    assert pages.get("c", "g1") == {"page": "c"}


def test_the_local_pages_are_dropped_when_the_generation_moves_on(shared_store):
    pages = pagecache.LocalPages()
    pages.put("a", "g1", {"page": "a"})
    assert pages.get("a", "g2") is None
    assert pages.get("a", "g1") is None


def test_with_a_local_memory_store_pages_are_not_kept_twice():
    pages = pagecache.LocalPages()
    pages.put("a", "g1", {"page": "a"})
    assert pages.get("a", "g1") is None


def test_with_redis_a_hit_is_served_from_the_processs_own_pages(redis_pages):
    article = ArticleFactory(title="Ein Artikel", slug="ein-artikel")
    url = article.get_absolute_url()
    page(url)
    # Redis loses the page (evicted under memory pressure): this process still has it.
    from django.core.cache import cache

    cache.delete_many([k for k in pagecache.local_pages._entries])
    assert page(url)["X-Page-Cache"] == "hit"


def test_with_redis_the_processs_own_pages_go_stale_with_the_shared_generation(redis_pages):
    from django.core.cache.backends.redis import RedisCache

    article = ArticleFactory(title="Ein Artikel", slug="ein-artikel")
    url = article.get_absolute_url()
    page(url)
    assert page(url)["X-Page-Cache"] == "hit"

    other_server = RedisCache(REDIS_URL, {"KEY_PREFIX": redis_pages})
    other_server.set(pagecache.GENERATION_KEY, "nach-einer-aenderung-anderswo", timeout=None)

    assert page(url)["X-Page-Cache"] == "miss"
