"""Several app processes share what keeps the page cache correct: with Redis, and without.

The other process is a real one (a Python subprocess on the same test database), as a second
gunicorn worker or a second app server would be.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from core import pagecache
from tests.blog.factories import ArticleFactory
from tests.perf.helpers import REDIS_URL, page, text

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    return "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
        **{key: database.get(key) or "" for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
    )


def in_other_process(code: str, **environment) -> str:
    """Run `code` with Django set up on this test's database, in a new Python process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "feelmove.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "testserver",
        "TASKS_BACKEND": "immediate",
        **environment,
    }
    if "REDIS_URL" not in environment:
        env.pop("REDIS_URL", None)
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


EDIT_TITLE = """
from blog.models import Article
article = Article.objects.get(slug="{slug}")
article.title = "{title}"
article.save()
"""

FETCH_PAGE = """
from django.test import Client
response = Client().get("{url}")
print(response.status_code, response["X-Page-Cache"])
"""


@pytest.mark.django_db(transaction=True)
def test_with_redis_an_edit_in_another_process_is_fresh_here_on_the_next_request(redis_pages):
    article = ArticleFactory(title="Alter Titel", slug="alter-titel")
    url = article.get_absolute_url()
    page(url)
    assert page(url)["X-Page-Cache"] == "hit"

    in_other_process(
        EDIT_TITLE.format(slug="alter-titel", title="Titel aus dem anderen Prozess"),
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=redis_pages,
    )

    response = page(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Titel aus dem anderen Prozess" in text(response)


@pytest.mark.django_db(transaction=True)
def test_with_redis_a_page_rendered_by_another_process_is_served_here(redis_pages):
    article = ArticleFactory(title="Ein Artikel", slug="ein-artikel")
    output = in_other_process(
        FETCH_PAGE.format(url=article.get_absolute_url()),
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=redis_pages,
    )
    assert output.split() == ["200", "miss"]

    assert page(article.get_absolute_url())["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_with_redis_two_cache_connections_see_one_generation(redis_pages):
    ArticleFactory(title="Ein Artikel", slug="ein-artikel")
    page("/")
    assert page("/")["X-Page-Cache"] == "hit"
    # A second connection, as another app server has it, bumps the generation.
    other_server = RedisCache(REDIS_URL, {"KEY_PREFIX": redis_pages})
    other_server.set(pagecache.GENERATION_KEY, "von-einem-anderen-server", timeout=None)

    assert page("/")["X-Page-Cache"] == "miss"
    assert pagecache.state().read()[0] == "von-einem-anderen-server"


@pytest.mark.django_db(transaction=True)
def test_without_redis_an_edit_in_another_worker_is_fresh_here_on_the_next_request(settings):
    article = ArticleFactory(title="Alter Titel", slug="alter-titel")
    url = article.get_absolute_url()
    page(url)
    assert page(url)["X-Page-Cache"] == "hit"

    # Each worker keeps its own pages in local memory; the generation file is shared.
    in_other_process(
        EDIT_TITLE.format(slug="alter-titel", title="Titel aus dem anderen Worker"),
        PAGE_CACHE_STATE_DIR=settings.PAGE_CACHE_STATE_DIR,
    )

    response = page(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Titel aus dem anderen Worker" in text(response)


@pytest.mark.django_db
def test_when_redis_is_away_pages_are_served_uncached_and_saves_still_work(settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: every cache call fails at once.
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.PAGE_CACHE_STATE_ALIAS = "default"
    article = ArticleFactory(title="Trotzdem lesbar", slug="trotzdem-lesbar")

    response = page(article.get_absolute_url())
    article.title = "Trotzdem gespeichert"
    article.save()

    assert response.status_code == 200
    assert "Trotzdem lesbar" in text(response)
    assert "Trotzdem gespeichert" in text(page(article.get_absolute_url()))
    assert "Page cache unavailable" in caplog.text
