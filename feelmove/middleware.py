"""Site-wide middleware."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

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
