"""A Redis that is down or hangs: pages still render, every form still works, nothing typed is lost.

Two kinds of failure, each through the test client: REDIS_URL pointing at a closed port (refused
at once) and at a server that accepts connections and never answers (each call waits for the
read timeout). How fast a page answers then is measured by hand (README, "When something
fails"), not here; these tests pin the timeouts that make it fast and that requests complete.
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from comments.models import Comment
from core import cache as core_cache
from core.cache import CacheUnavailable, RedisCache, cache_answers
from core.models import RateLimitCounter
from core.ratelimit import rate_limit_hit
from newsletter.models import Subscriber
from tests.blog.factories import ArticleFactory
from tests.comments.factories import comment_post_data
from tests.newsletter.factories import GuideFactory, SubscriberFactory
from tests.servers import closed_port, hanging_server

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 0.2


def use_redis_at(settings, port: int) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/10",
            "KEY_PREFIX": "feelmove-outage-test",
            "OPTIONS": {
                "socket_connect_timeout": TIMEOUT,
                "socket_timeout": TIMEOUT,
                "retry_after": 10,
            },
        }
    }
    settings.PAGE_CACHE_STATE_ALIAS = "default"
    settings.RATE_LIMITS = True


@pytest.fixture(params=["closed port", "hanging"])
def broken_redis(request, settings):
    """REDIS_URL at a closed port, or at a server that never answers."""
    if request.param == "closed port":
        use_redis_at(settings, closed_port())
        yield None
    else:
        with hanging_server() as server:
            use_redis_at(settings, server.port)
            yield server


@pytest.fixture
def article():
    return ArticleFactory(title="Faszien einfach erklärt", slug="faszien-einfach-erklaert")


def test_pages_are_rendered_without_the_cache(client, broken_redis, article, caplog):
    for url in ("/", article.get_absolute_url(), "/newsletter/", "/feed/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response  # neither served from nor stored in the cache
    warnings = [
        record.getMessage()
        for when in ("setup", "call")
        for record in caplog.get_records(when)
        if record.levelno == logging.WARNING and record.name == "core.cache"
    ]
    assert len(warnings) == 1  # once when Redis failed, not for every page
    assert "unavailable" in warnings[0]


def test_a_comment_is_stored_and_counted_in_the_database(client, broken_redis, article):
    body = "Meine Frage zur Faszienrolle: wie lange am Stück?"
    response = client.post(
        reverse("comments:post", args=[article.slug]), comment_post_data(article, body=body)
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == body
    assert RateLimitCounter.objects.get(key__startswith="comments:submit:")


def test_a_form_token_used_for_a_comment_is_refused_the_second_time(client, broken_redis, article):
    url = reverse("comments:post", args=[article.slug])
    first = comment_post_data(article)
    assert client.post(url, first).status_code == 302

    again = client.post(url, {**first, "body": "Noch eine Frage mit demselben Formular."})

    assert again.status_code == 400
    assert "Mit diesem Formular wurde schon ein Kommentar geschickt." in again.content.decode()
    assert Comment.objects.count() == 1


def test_a_newsletter_signup_is_stored(client, broken_redis):
    response = client.post(
        "/newsletter/", {"email": "lena@example.de", "first_name": "Lena", "consent": "on"}
    )
    assert response.status_code == 302
    assert Subscriber.objects.get().email == "lena@example.de"
    assert RateLimitCounter.objects.filter(key__startswith="newsletter:signup:").exists()


def test_a_guide_signup_is_stored(client, broken_redis):
    GuideFactory()
    response = client.post(
        "/gratis-guide/", {"email": "lena@example.de", "first_name": "", "consent": "on"}
    )
    assert response.status_code == 302
    assert Subscriber.objects.get().source == Subscriber.Source.GUIDE


def test_a_fresh_guide_link_can_be_asked_for(client, broken_redis, mailoutbox):
    GuideFactory()
    SubscriberFactory(email="lena@example.de", confirmed=True)
    response = client.post(reverse("newsletter:guide_link_request"), {"email": "lena@example.de"})
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:guide_link_sent")


def test_the_rate_limit_still_holds_when_it_counts_in_the_database(broken_redis, caplog):
    hits = [rate_limit_hit(key="test:outage", limit=3, period=60) for _ in range(5)]
    assert hits == [False, False, False, True, True]
    assert "counted in the database" in caplog.text


def test_the_authors_changes_are_saved_while_the_page_cache_cannot_be_told(
    client, broken_redis, article, settings
):
    article.title = "Faszien neu erklärt"
    article.save()  # the page cache cannot be told; the save goes through anyway
    assert ArticleFactory._meta.model.objects.get(pk=article.pk).title == "Faszien neu erklärt"


def test_after_a_failure_redis_is_left_alone_for_a_while(broken_redis):
    with pytest.raises(core_cache.CACHE_ERRORS):
        cache.get("anything")
    connections = broken_redis.connections if broken_redis else None
    # Within the pause, no call touches the network: it fails at once.
    for _ in range(20):
        with pytest.raises(CacheUnavailable):
            cache.get("anything")
    if broken_redis is not None:
        assert broken_redis.connections == connections


def test_redis_is_asked_again_after_the_pause(broken_redis):
    backend = caches["default"]
    with pytest.raises(core_cache.CACHE_ERRORS):
        backend.get("anything")
    backend.outage.until = 1  # the pause is over
    with pytest.raises(core_cache.CACHE_ERRORS) as raised:
        backend.get("anything")
    assert not isinstance(raised.value, CacheUnavailable)  # it asked Redis, which failed again


def test_the_health_check_function_says_whether_the_cache_answers(broken_redis):
    assert cache_answers() is False


def test_the_health_check_function_asks_a_local_memory_cache_too():
    assert cache_answers() is True


@pytest.fixture
def real_redis(settings):
    from tests.perf.helpers import REDIS_URL, redis_answers

    if not redis_answers():
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "feelmove-outage-test",
            "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT},
        }
    }
    settings.PAGE_CACHE_STATE_ALIAS = "default"
    backend = caches["default"]
    yield backend
    backend.outage.until = 0
    backend.clear()


def test_a_redis_that_answers_again_ends_the_outage_and_refreshes_cached_pages(
    client, real_redis, article, caplog
):
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    # Redis goes away while the author renames the article: the page cache cannot be told.
    real_redis.outage.failed(ConnectionError("test: Redis away"))
    article.title = "Faszien neu erklärt"
    article.save()
    assert "Faszien neu erklärt" in client.get(article.get_absolute_url()).content.decode()

    # Redis is back: the first call that reaches it marks the pages cached before as stale.
    real_redis.outage.until = 1
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        client.get("/")
    assert "answers again" in caplog.text
    response = client.get(article.get_absolute_url())
    assert "Faszien neu erklärt" in response.content.decode()
    assert response["X-Page-Cache"] == "miss"


def test_with_redis_url_the_cache_gives_up_after_a_fraction_of_a_second():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "o = settings.CACHES['default']; "
        "print(o['BACKEND'], o['OPTIONS']['socket_connect_timeout'], "
        "o['OPTIONS']['socket_timeout'], o['OPTIONS']['retry_after'])"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "feelmove.settings",
        "DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/10",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    backend, connect, read, pause = result.stdout.split()
    assert backend == "core.cache.RedisCache"
    assert 0 < float(connect) <= 0.5 and 0 < float(read) <= 0.5
    assert float(pause) >= 5


def test_a_redis_cache_backend_passes_its_timeouts_to_the_connection_pool(settings):
    use_redis_at(settings, closed_port())
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    pool = backend._cache._client._get_connection_pool(write=True)
    assert pool.connection_kwargs["socket_connect_timeout"] == TIMEOUT
    assert pool.connection_kwargs["socket_timeout"] == TIMEOUT
    assert "retry_after" not in pool.connection_kwargs
