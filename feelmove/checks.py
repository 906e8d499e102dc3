"""`manage.py check --deploy`: what the production shape needs, said with the reason."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.database, deploy=True)
def check_production_database(app_configs, **kwargs):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return []
    return [
        checks.Warning(
            "Production runs on SQLite.",
            hint=(
                "Fine for one app server on one machine (README: 'One machine'). A second "
                "server cannot share the database file, so every server would keep its own "
                "articles, comments and subscribers. Before adding one, move to PostgreSQL with "
                "backup_site and restore_site and set DATABASE_URL."
            ),
            id="feelmove.W001",
        )
    ]


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    if settings.REDIS_URL or settings.WEB_CONCURRENCY <= 1:
        return []
    return [
        checks.Warning(
            f"WEB_CONCURRENCY={settings.WEB_CONCURRENCY} processes serve the site, but "
            "REDIS_URL is not set.",
            hint=(
                "Without Redis each process keeps its own copy of every cached page and "
                "renders each page again after every change, and what makes cached pages "
                "stale is shared through a file that only this machine sees "
                "(PAGE_CACHE_STATE_DIR), so a second machine would serve outdated pages. "
                "Set REDIS_URL, or serve with one process (WEB_CONCURRENCY=1, with threads)."
            ),
            id="feelmove.W002",
        )
    ]
