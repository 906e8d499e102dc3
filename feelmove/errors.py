"""Server errors reported to the people who run the site, without the visitors' personal data.

Two optional channels, each switched on by the environment:
- `ADMINS`: Django mails each server error (500) to these addresses. What a visitor sent (form
  fields, cookies, her address) is left out of the mail, and one error is mailed at most once
  every ten minutes per process, so an outage does not fill the mailbox.
- `SENTRY_DSN`: errors go to Sentry (sentry-sdk) with no personal data: no request bodies,
  cookies, query strings, IP addresses or users; e-mail addresses and IP addresses in messages
  are masked, and signed tokens in link paths (which grant what the link does) are cut out.
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time

from django.conf import settings
from django.utils.log import AdminEmailHandler
from django.views.debug import SafeExceptionReporterFilter

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6_CANDIDATE = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
# A path segment with a colon is a signed token (core.signing: value:timestamp:signature).
SIGNED_SEGMENT = re.compile(r"(?<=/)[^/?#]*:[^/?#]*")
MASK = "[entfernt]"
# Request headers Sentry may see; all others (cookies, forwarded addresses, referrers) are dropped.
SAFE_HEADERS = {"host", "user-agent", "accept", "accept-encoding", "content-type", "content-length"}
# Visitor addresses in the request information of an error mail.
ADDRESS_META = {"REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_REFERER"}


def _mask_ipv6(match: re.Match) -> str:
    try:
        ipaddress.IPv6Address(match.group(0))
    except ValueError:
        return match.group(0)  # a time of day or the like
    return MASK


def mask_personal_data(text: str) -> str:
    """`text` with e-mail and IP addresses replaced."""
    return IPV6_CANDIDATE.sub(_mask_ipv6, IPV4.sub(MASK, EMAIL.sub(MASK, text)))


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports without what the visitor sent: no form values, no addresses, no cookies."""

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return {key: self.cleansed_substitute for key in request.POST}

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if not self.is_active(request):
            return meta
        return {
            key: self.cleansed_substitute if key in ADDRESS_META else value
            for key, value in meta.items()
        }

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        # Local variables hold whatever the view was working on: a comment, an address.
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class ThrottledAdminEmailHandler(AdminEmailHandler):
    """Django's error mail to ADMINS, at most once per error and THROTTLE_SECONDS."""

    THROTTLE_SECONDS = 600

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sent: dict[str, float] = {}
        self._lock = threading.Lock()

    def emit(self, record):
        if not settings.ADMINS:
            return
        signature = f"{record.name}:{record.levelno}:{record.pathname}:{record.lineno}"
        if record.exc_info and record.exc_info[0] is not None:
            signature += f":{record.exc_info[0].__qualname__}"
        now = time.monotonic()
        with self._lock:
            last = self._sent.get(signature)
            if last is not None and now - last < self.THROTTLE_SECONDS:
                return
            if len(self._sent) > 1000:
                self._sent.clear()
            self._sent[signature] = now
        super().emit(record)

    def send_mail(self, subject, message, *args, **kwargs):
        # Exception messages may quote a value (a database error naming the duplicate address).
        super().send_mail(mask_personal_data(subject), mask_personal_data(message), *args, **kwargs)

    def forget(self) -> None:
        """Mail the next error again at once (tests)."""
        with self._lock:
            self._sent.clear()


# -- Sentry -----------------------------------------------------------------------------------


def _scrub(value):
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_url(url: str) -> str:
    """A URL without its query string and with signed tokens in its path cut out."""
    without_query = url.split("?", 1)[0].split("#", 1)[0]
    scheme, separator, rest = without_query.partition("://")
    if not separator:
        return SIGNED_SEGMENT.sub(MASK, without_query)
    host, slash, path = rest.partition("/")
    return f"{scheme}://{host}{slash}{SIGNED_SEGMENT.sub(MASK, '/' + path)[1:]}"


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's before_send: the event without anything that could name a visitor."""
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = scrub_url(request["url"])
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() in SAFE_HEADERS
            }
    for key in ("exception", "logentry", "message", "extra", "breadcrumbs", "tags", "request"):
        if key in event:
            event[key] = _scrub(event[key])
    if isinstance(event.get("transaction"), str):
        event["transaction"] = scrub_url(event["transaction"])
    return event


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    """Sentry's before_breadcrumb: log lines and URLs without personal data."""
    crumb = _scrub(crumb)
    data = crumb.get("data")
    if isinstance(data, dict) and isinstance(data.get("url"), str):
        data["url"] = scrub_url(data["url"])
    return crumb


def sentry_init(*, dsn: str, environment: str, release: str | None = None, **options) -> None:
    """Report errors to Sentry, without personal data (see the module docstring).

    `options` go to sentry_sdk.init() as they are (tests give a transport that keeps events).
    """
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        **options,
    )
