"""The move README describes: the demo site on SQLite with local files, backed up, restored into
PostgreSQL with S3 (moto), and back again. Each step runs `manage.py` as an operator would, in
its own process with its own environment; every page, file and row is compared.

Needs PostgreSQL (RESTORE_TEST_DATABASE_URL, by default a database `feelmove_restore_test_<pid>`
on the local server, which the test creates and drops; one per test process, so that two runs on
one machine never drop each other's). Without it the test is
skipped, except in CI, where that is a failure.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.feelmove.site_snapshot import page_differences

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = f"postgres://postgres@127.0.0.1:5432/feelmove_restore_test_{os.getpid()}"
# What the test sets itself; inherited values would point the steps at the wrong site.
OWN_VARIABLES = {
    "DATABASE_URL",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
    "MEDIA_URL",
    "MEDIA_STORAGE",
    "REDIS_URL",
    "PAGE_CACHE_STATE_DIR",
    "SQLITE_TEST_NAME",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(maintenance, autocommit=True, connect_timeout=5)


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database for the restored site (dropped afterwards)."""
    import psycopg

    url = os.environ.get("RESTORE_TEST_DATABASE_URL", DEFAULT_URL)
    name = urlsplit(url).path.lstrip("/")
    try:
        admin = _admin_connection(url)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed for the backup move test: {error}")
        pytest.skip(f"no PostgreSQL for the backup move test ({error})")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield url
    with _admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict, *args: str) -> str:
    base = {key: value for key, value in os.environ.items() if key not in OWN_VARIABLES}
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, "DEBUG": "1", "TASKS_BACKEND": "immediate", **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def snapshot(env: dict, path: Path) -> dict:
    manage(env, "-m", "tests.feelmove.site_snapshot", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def assert_same_site(expected: dict, found: dict, *, same_database: bool = True) -> None:
    assert found["counts"] == expected["counts"]
    assert found["files"] == expected["files"]
    assert found["guide_download"] == expected["guide_download"]
    expected_pages, found_pages = dict(expected["pages"]), dict(found["pages"])
    if not same_database:
        # Search is PostgreSQL's full-text search there (German stems, ranking) and a plain
        # substring search on SQLite: other hits by design, so only the status is compared.
        for path in [path for path in expected_pages if path.startswith("/suche/")]:
            assert found_pages.pop(path)["status"] == expected_pages.pop(path)["status"] == 200
    assert page_differences(expected_pages, found_pages) == ""


def test_the_demo_site_moves_from_sqlite_to_postgresql_and_s3_and_back(
    tmp_path, postgres_url, s3_server
):
    sqlite_site = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "site" / "media"),
        "PAGE_CACHE_STATE_DIR": str(tmp_path / "state-sqlite"),
    }
    buckets = s3_server.create_buckets()
    postgres_site = {
        "DATABASE_URL": postgres_url,
        **s3_server.env(buckets),
        "MEDIA_ROOT": str(tmp_path / "unused" / "media"),
        "PAGE_CACHE_STATE_DIR": str(tmp_path / "state-postgres"),
    }
    archive = tmp_path / "feelmove.tar.gz"

    manage(sqlite_site, "manage.py", "migrate", "--noinput", "-v0")
    manage(sqlite_site, "manage.py", "load_demo")
    manage(sqlite_site, "manage.py", "backup_site", "--output", str(archive))
    original = snapshot(sqlite_site, tmp_path / "original.json")

    # The three commands of README's move: backup (above), migrate, restore.
    manage(postgres_site, "manage.py", "migrate", "--noinput", "-v0")
    restored = manage(postgres_site, "manage.py", "restore_site", str(archive))
    assert "Restored" in restored
    moved = snapshot(postgres_site, tmp_path / "moved.json")

    article_pages = [path for path in original["pages"] if path.startswith("/blog/")]
    assert len(article_pages) >= 14, "the sitemap lists the demo's articles"
    assert all(
        page["status"] == 200 for path, page in original["pages"].items() if path in article_pages
    )
    assert original["guide_download"].startswith("200 ")
    assert_same_site(original, moved, same_database=False)
    stored = {
        "media": set(s3_server.keys(buckets.public)),
        "private": set(s3_server.keys(buckets.private)),
    }
    assert stored == {folder: set(names) for folder, names in original["files"].items()}
    assert not (tmp_path / "unused").exists(), "nothing was written to a local folder"

    # And back: from PostgreSQL and S3 into a new SQLite site with local files.
    back = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'back.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "back" / "media"),
        "PAGE_CACHE_STATE_DIR": str(tmp_path / "state-back"),
    }
    second_archive = tmp_path / "from-postgres.tar.gz"
    manage(postgres_site, "manage.py", "backup_site", "--output", str(second_archive))
    manage(back, "manage.py", "migrate", "--noinput", "-v0")
    manage(back, "manage.py", "restore_site", str(second_archive))
    assert_same_site(original, snapshot(back, tmp_path / "back.json"))
    s3_server.delete_buckets(buckets)
