"""Publishing and unpublishing articles from the admin (the list actions and the change form)."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from blog.models import Article


def publication_date_for(article: Article, *, date_set_by_hand: bool, now: datetime) -> datetime:
    """The date an article gets when it goes from draft to published.

    A draft keeps the date it was created with until someone sets one; publishing it should not
    bury it under that old date, so a past date that nobody chose becomes "now". A date in the
    future (scheduled) or one chosen by hand stays.
    """
    if date_set_by_hand or article.published_at > now:
        return article.published_at
    return now


@transaction.atomic
def publish_articles(articles: QuerySet[Article], *, now: datetime | None = None) -> dict:
    """Publish the drafts among `articles`; return counts: published now, scheduled, unchanged."""
    now = now or timezone.now()
    counts = {"published": 0, "scheduled": 0, "unchanged": 0}
    # save(), not update(): whoever listens to post_save (page caches, search) must hear it.
    for article in articles.select_for_update():
        if article.status == Article.Status.PUBLISHED:
            counts["unchanged"] += 1
            continue
        article.status = Article.Status.PUBLISHED
        article.published_at = publication_date_for(article, date_set_by_hand=False, now=now)
        article.save(update_fields=["status", "published_at", "updated_at"])
        counts["scheduled" if article.published_at > now else "published"] += 1
    return counts


@transaction.atomic
def unpublish_articles(articles: QuerySet[Article]) -> int:
    """Turn published (or scheduled) articles back into drafts; return how many changed."""
    changed = 0
    for article in articles.select_for_update().filter(status=Article.Status.PUBLISHED):
        article.status = Article.Status.DRAFT
        article.save(update_fields=["status", "updated_at"])
        changed += 1
    return changed
