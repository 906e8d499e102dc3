"""Signal receivers that keep the page cache fresh (see feelmove/cache.py).

Whenever something a public page shows is saved, deleted or re-linked, the site-wide page
generation is bumped, so the next request for any page renders it anew. Article changes also
record the upcoming scheduled publications, so no cached page outlives the moment a scheduled
article becomes visible.

The bump happens at once and again when the transaction commits: the first makes the change
visible inside the transaction (and in tests, which never commit), the second makes sure that a
page rendered from the old data by another process between the two is not served afterwards.
"""

import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from feelmove import cache

logger = logging.getLogger(__name__)

# Every model of these apps shows up on public pages.
WATCHED_APPS = ("blog",)
# Single models elsewhere that public pages show (label: app_label.ModelName).
WATCHED_MODELS = (
    "flatpages.FlatPage",
    "feelmove.Page",  # the admin saves pages through this proxy, which sends its own signals
    "sites.Site",
    "newsletter.Guide",
    "comments.Comment",
)

_watched: set = set()


def _refresh_state(*, schedule: bool) -> None:
    times = None
    if schedule:
        article_model = apps.get_model("blog", "Article")
        times = list(
            article_model.objects.filter(
                status=article_model.Status.PUBLISHED, published_at__gt=timezone.now()
            )
            .order_by("published_at")
            .values_list("published_at", flat=True)[: cache.SCHEDULE_LENGTH + 1]
        )
    try:
        if times is None:
            cache.bump_generation()
        else:
            cache.record_schedule(times)
    except Exception:
        # The author's save must not fail because Redis is away; cached pages then live out
        # their PAGE_CACHE_SECONDS at most.
        logger.exception("Page cache: could not mark cached pages as stale")


def invalidate_pages(*, schedule: bool = False) -> None:
    """Make every cached page stale now and again after the current transaction commits."""
    if connection.in_atomic_block:
        _refresh_state(schedule=schedule)
    transaction.on_commit(lambda: _refresh_state(schedule=schedule))


def _touches_schedule(model) -> bool:
    return model._meta.label == "blog.Article"


def page_content_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if sender._meta.label == "comments.Comment":
        # A new comment waiting for moderation (or caught as spam) changes no public page.
        approved = getattr(instance, "status", None) == "approved"
        if created and not approved:
            return
    invalidate_pages(schedule=_touches_schedule(sender))


def page_content_deleted(sender, instance, **kwargs):
    invalidate_pages(schedule=_touches_schedule(sender))


def page_links_changed(sender, instance, action, model, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if type(instance) in _watched or model in _watched:
        invalidate_pages()


def author_saved(sender, instance, created=False, update_fields=None, **kwargs):
    # Logging in only stamps last_login; the author's name on articles stays the same.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    if created:
        return
    invalidate_pages()


def watched_models() -> list:
    models = []
    for app_label in WATCHED_APPS:
        if apps.is_installed(app_label):
            models.extend(apps.get_app_config(app_label).get_models())
    for label in WATCHED_MODELS:
        try:
            models.append(apps.get_model(label))
        except LookupError:
            continue
    return models


def connect() -> None:
    """Connect the receivers; called from FeelmoveConfig.ready()."""
    for model in watched_models():
        _watched.add(model)
        post_save.connect(page_content_saved, sender=model, dispatch_uid=f"pagecache-save-{model}")
        post_delete.connect(
            page_content_deleted, sender=model, dispatch_uid=f"pagecache-delete-{model}"
        )
    m2m_changed.connect(page_links_changed, dispatch_uid="pagecache-m2m")
    post_save.connect(author_saved, sender=get_user_model(), dispatch_uid="pagecache-author")
