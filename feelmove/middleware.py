"""Site-wide middleware."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponseRedirect

from core.params import positive_int
from feelmove.views import healthz

HEALTH_PATH = "/healthz"

# The admin gets the public policy plus one loosening, as tight as CKEditor 5 allows (checked in
# Chromium by tests/browser/test_blog_admin.py, which fails on any CSP violation): style-src-attr,
# because CKEditor 5 writes style="" attributes into its editing view and UI (sizes, positions of
# balloons), and the Django admin's widgets do too. Inline <style> and <script> elements, eval and
# other hosts stay forbidden.
ADMIN_ADDITIONS = {"style-src-attr": ["'unsafe-inline'"]}


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's additions under CSP_ADMIN_PATH_PREFIX."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.CSP_ADMIN_PATH_PREFIX):
            parts.replace = {**ADMIN_ADDITIONS, **(parts.replace or {})}
        return parts


class HealthCheckMiddleware:
    """Answer /healthz before anything else looks at the request.

    A load balancer probes each app server by its IP address, over plain HTTP, with whatever
    Host header it likes. Placed first in MIDDLEWARE, this answers that one path itself: before
    SecurityMiddleware could redirect it to HTTPS and before anything calls request.get_host(),
    which would refuse a Host outside ALLOWED_HOSTS. Every other path goes through all checks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return healthz(request)
        return self.get_response(request)


# Parts of an admin filter that take a date's year, month, ... as a number. Django builds dates
# from them (date_hierarchy, the year lookup's bounds) and fails with a 500 on a year such as
# -5 or 99999999999; other numbers in filters it refuses cleanly with its "?e=1" redirect.
DATE_PARTS = {
    "year",
    "iso_year",
    "quarter",
    "month",
    "week",
    "week_day",
    "iso_week_day",
    "day",
    "hour",
    "minute",
    "second",
}
YEAR_PARTS = {"year", "iso_year"}
# The years a date in the admin can have (as the public year archive; the time zone must still
# fit around them).
ADMIN_YEARS = range(1000, 9999)


def _date_part_acceptable(key: str, value: str) -> bool:
    parts = key.split("__")[1:]
    date_parts = DATE_PARTS.intersection(parts)
    if not date_parts:
        return True
    for piece in value.split(","):
        number = positive_int(piece, max_digits=4)
        if number is None:
            return False
        if date_parts & YEAR_PARTS and number not in ADMIN_YEARS:
            return False
    return True


def _usable_ids(model, values: list[str]) -> list[str]:
    """The selected ids that can be ids of `model`; the others could only cause a 500."""
    pk = model._meta.pk
    try:
        low, high = connection.ops.integer_field_range(pk.get_internal_type())
    except KeyError:  # not an integer key (a UUID, a text key)
        low = high = None
    usable = []
    for value in values:
        if low is not None:
            number = positive_int(value)
            if number is None or not low <= number <= high:
                continue
        else:
            try:
                pk.to_python(value)
            except ValidationError:
                continue
        usable.append(value)
    return usable


class AdminInputGuard:
    """Numbers in the admin's filters and selections that Django itself would answer with a 500.

    A filter on a date part that is no sensible number (`?created_at__year=-5`), or any filter
    with a NUL character (PostgreSQL refuses it in a query), redirects to the unfiltered list
    with `?e=1`, as Django does for other filters it cannot apply. Selected rows
    of a bulk action that cannot be ids (`_selected_action=abc`) are left out of the selection; an
    empty selection gets Django's own "no items selected" message. Placed after the CSRF
    middleware, so that only a genuine admin form is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = getattr(view_func, "model_admin", None)
        if model_admin is None:
            return None
        if view_func.__name__ == "changelist_view" and not all(
            "\x00" not in key + value and _date_part_acceptable(key, value)
            for key, values in request.GET.lists()
            for value in values
        ):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        if request.method == "POST" and ACTION_CHECKBOX_NAME in request.POST:
            selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
            usable = _usable_ids(model_admin.model, selected)
            if usable != selected:
                data = request.POST.copy()
                data.setlist(ACTION_CHECKBOX_NAME, usable)
                data._mutable = False
                request.POST = data
        return None
