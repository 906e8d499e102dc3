"""Site-wide middleware."""

from csp.constants import NONCE, NONE, SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

# The admin with CKEditor 5, as tight as the editor allows (checked in Chromium by
# tests/browser/test_blog_admin.py, which fails on any CSP violation). Scripts only from our own
# files (or inline with the request's nonce); stylesheets only from files; no eval. The one
# loosening is style-src-attr: CKEditor 5 writes style="" attributes into its editing view and UI
# (sizes, positions of balloons), and the Django admin's widgets do too. Inline <style> and
# <script> elements stay forbidden. img-src needs data: for CKEditor's upload placeholder images
# (blob: is not needed). Public pages keep the strict policy from settings.
ADMIN_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the looser admin policy under CSP_ADMIN_PATH_PREFIX."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.CSP_ADMIN_PATH_PREFIX):
            parts.config = ADMIN_POLICY["DIRECTIVES"]
        return parts
