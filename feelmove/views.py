"""Site-wide views: health check, robots.txt and the error pages."""

import logging

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, Min, When
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.cache import cache_answers

logger = logging.getLogger(__name__)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database did not answer")
        return False
    return True


def _uses_redis() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _redis_answers() -> bool:
    # Asks Redis now, even while this process pauses after a failure (core/cache.py).
    return cache_answers("default")


def _uses_task_queue() -> bool:
    return any(
        backend["BACKEND"].startswith("django_tasks_db.") for backend in settings.TASKS.values()
    )


def _oldest_task_wait() -> float:
    """Seconds the longest-waiting runnable task has waited for the worker (0 if none waits)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    # A task waits from when it was queued, or from when it was due if it was scheduled.
    waiting_since = (
        DBTaskResult.objects.ready()
        .aggregate(
            oldest=Min(
                Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
            )
        )
        .get("oldest")
    )
    if waiting_since is None:
        return 0.0
    return max(0.0, (timezone.now() - waiting_since).total_seconds())


def health_report() -> tuple[dict, bool, bool]:
    """What the health check found; whether this server can serve; whether all is well."""
    report: dict = {"database": "ok" if _database_answers() else "unavailable"}
    if _uses_redis():
        report["redis"] = "ok" if _redis_answers() else "unavailable"
    if _uses_task_queue() and report["database"] == "ok":
        try:
            wait = _oldest_task_wait()
        except Exception:
            logger.exception("Health check: the task queue could not be read")
            report["queue"] = "unavailable"
        else:
            report["queue_wait_seconds"] = round(wait)
            # The worker is down or far behind: e-mails wait.
            report["queue"] = "ok" if wait <= settings.HEALTHZ_QUEUE_MAX_AGE else "stale"
    serving = report["database"] == "ok"
    all_well = all(value == "ok" for key, value in report.items() if key != "queue_wait_seconds")
    status = "ok" if all_well else ("degraded" if serving else "error")
    return {"status": status, **report}, serving, all_well


@never_cache
def healthz(request):
    """200 while this app server can serve (its database answers), 503 when it cannot.

    Redis and the worker are checked and reported too, but without Redis the site still serves
    (more slowly) and without the worker only e-mails wait: for them the answer is 200 with
    "status": "degraded", so a load balancer does not take every server out at once because of
    something no server can mend. `/healthz?strict` (for monitoring that should alert) answers
    503 for any of them.

    HealthCheckMiddleware calls this for /healthz before any other middleware, so a load
    balancer's probe by IP address over plain HTTP is neither redirected nor refused.
    """
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
        return response
    report, serving, all_well = health_report()
    healthy = all_well if "strict" in request.GET else serving
    return JsonResponse(report, status=200 if healthy else 503)


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /ckeditor5/",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context on purpose: whatever broke may break again.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render(), status=500)
