"""Keep the page cache (core/pagecache.py) fresh: each app names the models its pages show.

An app calls `watch()` from its AppConfig.ready() for every model whose rows appear on public
pages. Whenever such a row is saved, deleted or re-linked (many-to-many), the site-wide page
generation is bumped, so the next request for any page renders it anew. A model that can be
scheduled (articles) also hands over where its upcoming publication times come from, so no cached
page outlives the moment a scheduled row becomes visible.

The bump happens at once and again when the transaction commits: the first makes the change
visible inside the transaction (and in tests, which never commit), the second makes sure that a
page rendered from the old data by another process between the two is not served afterwards.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core import pagecache
from core.cache import on_recovery

logger = logging.getLogger(__name__)

# (instance, created, update_fields) -> whether this save changes what a public page shows.
ChangesPages = Callable[..., bool]
# () -> upcoming publication times, ascending.
Schedule = Callable[[], Iterable[datetime]]


@dataclass(frozen=True)
class Watched:
    """How one model's changes reach the page cache."""

    changes_pages: ChangesPages | None = None
    schedule: Schedule | None = None


_watched: dict[type, Watched] = {}


def watch(model, *, changes_pages: ChangesPages | None = None, schedule: Schedule | None = None):
    """Refresh cached pages whenever a row of `model` changes.

    `changes_pages(instance, created=..., update_fields=...)` may say that a save changes no
    public page (a comment waiting for moderation); `schedule()` returns the upcoming times at
    which rows of the model become public by themselves.
    """
    _watched[model] = Watched(changes_pages=changes_pages, schedule=schedule)
    uid = f"{model._meta.label}"
    post_save.connect(_saved, sender=model, dispatch_uid=f"pagecache-save-{uid}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"pagecache-delete-{uid}")
    m2m_changed.connect(_links_changed, dispatch_uid="pagecache-m2m")


def _upcoming_times() -> list[datetime]:
    times = []
    for watched in _watched.values():
        if watched.schedule is not None:
            times.extend(watched.schedule())
    return sorted(times)[: pagecache.SCHEDULE_LENGTH + 1]


# A change this process could not announce while the cache was failing; announced once it answers.
_missed = {"schedule": False, "generation": False}


def _refresh_state(*, schedule: bool) -> None:
    try:
        if schedule:
            pagecache.record_schedule(_upcoming_times())
        else:
            pagecache.bump_generation()
    except Exception:
        # The author's save must not fail because Redis is away. Pages cached before the
        # outage are marked stale as soon as the cache answers again in this process (and
        # live out their PAGE_CACHE_SECONDS at most).
        _missed["schedule" if schedule else "generation"] = True
        logger.warning("Page cache: could not mark cached pages as stale", exc_info=True)


def _catch_up() -> None:
    schedule, generation = _missed["schedule"], _missed["generation"]
    _missed["schedule"] = _missed["generation"] = False
    if schedule or generation:
        _refresh_state(schedule=schedule)


on_recovery(_catch_up)


_deferred = threading.local()


@contextmanager
def invalidation_deferred():
    """Within this block, changes mark cached pages stale only once, when it ends.

    For bulk work that saves thousands of rows one by one (the WordPress import): each save
    would otherwise replace the shared generation, a file write or a Redis call every time.
    """
    if getattr(_deferred, "pending", None) is not None:
        yield
        return
    _deferred.pending = set()
    try:
        yield
    finally:
        pending, _deferred.pending = _deferred.pending, None
        if pending:
            invalidate_pages(schedule=True in pending)


def invalidate_pages(*, schedule: bool = False) -> None:
    """Make every cached page stale now and again after the current transaction commits."""
    pending = getattr(_deferred, "pending", None)
    if pending is not None:
        pending.add(schedule)
        return
    if connection.in_atomic_block:
        _refresh_state(schedule=schedule)
    transaction.on_commit(lambda: _refresh_state(schedule=schedule))


def _saved(sender, instance, created=False, update_fields=None, **kwargs):
    watched = _watched[sender]
    if watched.changes_pages is not None and not watched.changes_pages(
        instance, created=created, update_fields=update_fields
    ):
        return
    invalidate_pages(schedule=watched.schedule is not None)


def _deleted(sender, instance, **kwargs):
    invalidate_pages(schedule=_watched[sender].schedule is not None)


def _links_changed(sender, instance, action, model, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if type(instance) in _watched or model in _watched:
        invalidate_pages()
