"""Site-wide middleware."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

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
