"""The admin's start page: what needs the author, one panel per subject.

A panel is a function marked `@panel(template, permission=...)` that takes the request and returns
the context of its template (or None to show nothing). It reads through a selector of its app (a
QuerySet method), in a fixed number of queries, whatever the number of rows. Panels appear in the
order they are defined here, for users with the permission (superusers see all).

To add one (for example new consultation requests of a `contact` app): write its selector in the
app, a function here, and its template in templates/admin/dashboard/. The test of the start
page's query count (tests/feelmove/test_dashboard.py) then needs the panel's queries added.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from comments.admin import decisions_for
from comments.models import Comment
from contact.models import ConsultationRequest
from core.mail import failed_emails
from core.models import OutgoingEmail
from newsletter.models import Guide, Issue, Subscriber

PENDING_COMMENTS_SHOWN = 5
NEW_REQUESTS_SHOWN = 5
ARTICLES_SHOWN = 5


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


@dataclass(frozen=True)
class _Registered:
    function: Callable[[HttpRequest], dict | None]
    template: str
    permission: str


PANELS: list[_Registered] = []


def panel(template: str, *, permission: str):
    """Register a panel function (in definition order) with its template and permission."""

    def register(function):
        PANELS.append(_Registered(function, template, permission))
        return function

    return register


def panels(request: HttpRequest) -> list[Panel]:
    """The panels this user may see, each with its context."""
    shown = []
    for registered in PANELS:
        if not request.user.has_perm(registered.permission):
            continue
        context = registered.function(request)
        if context is not None:
            shown.append(Panel(registered.template, context))
    return shown


def changelist_url(model, **filters) -> str:
    """The admin list of `model`, filtered by `filters` (as the list's own filter links do)."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


# -- panels, in the order they appear -----------------------------------------------------------


@panel("admin/dashboard/pending_comments.html", permission="comments.view_comment")
def pending_comments(request):
    """The newest comments waiting for her decision, each with its buttons (2 queries)."""
    newest = list(Comment.objects.newest_pending()[:PENDING_COMMENTS_SHOWN])
    total = Comment.objects.pending().count()
    return {
        "comments": [{"comment": c, "decisions": decisions_for(c)} for c in newest],
        "total": total,
        "more": total - len(newest),
        "list_url": changelist_url(Comment, status__exact=Comment.Status.PENDING),
        "can_moderate": request.user.has_perm("comments.change_comment"),
        "next": request.get_full_path(),
    }


@panel("admin/dashboard/consultation_requests.html", permission="contact.view_consultationrequest")
def new_consultation_requests(request):
    """The newest requests she has not answered yet, and how many there are (1 query)."""
    newest = list(ConsultationRequest.objects.newest_new_counted()[:NEW_REQUESTS_SHOWN])
    total = newest[0].new_total if newest else 0
    return {
        "requests": newest,
        "total": total,
        "more": total - len(newest),
        "list_url": changelist_url(
            ConsultationRequest, status__exact=ConsultationRequest.Status.NEW
        ),
    }


@panel("admin/dashboard/articles.html", permission="blog.view_article")
def articles_in_the_works(request):
    """Scheduled articles with their dates and the latest drafts (3 queries)."""
    now = timezone.now()
    counts = Article.objects.in_the_works(now=now)
    fields = ("pk", "title", "status", "published_at", "updated_at")
    scheduled = Article.objects.scheduled(now=now).only(*fields).order_by("published_at", "pk")
    drafts = Article.objects.drafts().only(*fields).order_by("-updated_at", "-pk")
    return {
        "scheduled": list(scheduled[:ARTICLES_SHOWN]),
        "drafts": list(drafts[:ARTICLES_SHOWN]),
        "counts": counts,
        "scheduled_url": changelist_url(Article, state="scheduled"),
        "drafts_url": changelist_url(Article, state="draft"),
        "add_url": reverse("admin:blog_article_add")
        if request.user.has_perm("blog.add_article")
        else "",
    }


def _since_days_ago(days: int, now: datetime) -> tuple[datetime, datetime]:
    # The same bounds as the admin's date filter ("Letzte 7 Tage"): from midnight `days` days
    # ago until tomorrow's midnight, so a number and the list behind its link always agree.
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days), today + timedelta(days=1)


@panel("admin/dashboard/subscribers.html", permission="newsletter.view_subscriber")
def new_subscribers(request):
    """New confirmed subscribers (7 and 30 days) by source; guide downloads (2 queries)."""
    now = timezone.now()
    periods = {"week": _since_days_ago(7, now), "month": _since_days_ago(30, now)}
    summary = Subscriber.objects.signup_summary(periods=periods)
    sources = Subscriber.Source
    rows = []
    for source, label in [*sources.choices, ("", None)]:
        cells = []
        for name, (start, end) in periods.items():
            filters = {"status__exact": Subscriber.Status.CONFIRMED}
            if source:
                filters["source__exact"] = source
            filters |= {"confirmed_at__gte": str(start), "confirmed_at__lt": str(end)}
            new = summary["new"][name]
            count = new[source] if source else sum(new.values())
            cells.append({"count": count, "url": changelist_url(Subscriber, **filters)})
        rows.append({"label": label, "cells": cells, "total": not source})
    return {
        "rows": rows,
        "confirmed": summary["confirmed"],
        "pending": summary["pending"],
        "confirmed_url": changelist_url(Subscriber, status__exact=Subscriber.Status.CONFIRMED),
        "pending_url": changelist_url(Subscriber, status__exact=Subscriber.Status.PENDING),
        "guide_downloads": Guide.objects.download_total(),
    }


@panel("admin/dashboard/newsletter.html", permission="newsletter.view_issue")
def last_issue(request):
    """The issue that went out last with its delivery progress, and the newest draft (2 queries)."""
    issue = Issue.objects.with_progress().gone_out().defer("body").first()
    draft = Issue.objects.drafts().order_by("-updated_at", "-pk").only("pk", "subject").first()
    context = {"issue": issue, "draft": draft}
    if issue is not None:
        deliveries = reverse("admin:newsletter_delivery_changelist")
        context |= {
            "change_url": reverse("admin:newsletter_issue_change", args=[issue.pk]),
            "deliveries_url": f"{deliveries}?{urlencode({'issue__id__exact': issue.pk})}",
            "failed_url": f"{deliveries}?"
            + urlencode({"issue__id__exact": issue.pk, "status__exact": "failed"}),
            "unclear_url": f"{deliveries}?"
            + urlencode({"issue__id__exact": issue.pk, "status__exact": "unclear"}),
            "percent": round(100 * issue.deliveries_sent / issue.deliveries_total)
            if issue.deliveries_total
            else 0,
        }
    if draft is not None:
        context |= {
            "draft_url": reverse("admin:newsletter_issue_change", args=[draft.pk]),
            "draft_send_url": reverse("admin:newsletter_issue_send", args=[draft.pk]),
        }
    context["add_url"] = (
        reverse("admin:newsletter_issue_add")
        if request.user.has_perm("newsletter.add_issue")
        else ""
    )
    return context


@panel("admin/dashboard/failed_emails.html", permission="core.view_outgoingemail")
def emails_not_delivered(request):
    """E-mails to readers that failed for good or may not have arrived (1 query); shown only
    when there are some, with the way to send them again."""
    count = failed_emails().count()
    if not count:
        return None
    return {"count": count, "list_url": changelist_url(OutgoingEmail, zustand="attention")}
