"""A small HTTP client for the deployment test: cookies, forms, multipart, a chosen source address.

The test talks to nginx over TLS (trusting the certificate it made) and to each gunicorn directly,
as a browser would, from an address of the loopback range it picks, so that nginx sees different
visitors.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import ssl
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class Server:
    """Where requests go: nginx (https), nginx (http) or one gunicorn (http, told it is https)."""

    scheme: str
    host: str
    port: int
    behind_tls_proxy: bool = False  # a direct gunicorn: say what nginx would say

    @property
    def origin(self) -> str:
        scheme = "https" if self.behind_tls_proxy else self.scheme
        return f"{scheme}://{self.host}:{self.port}"


@dataclass
class Browser:
    """One visitor: her cookies (shared by every server of the site) and her address."""

    source: str = "127.0.0.1"
    tls: ssl.SSLContext | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, server: Server, method: str, path: str, *, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if server.behind_tls_proxy:
            headers.setdefault("X-Forwarded-Proto", "https")
        if server.scheme == "https":
            connection = http.client.HTTPSConnection(
                server.host,
                server.port,
                context=self.tls,
                source_address=(self.source, 0),
                timeout=30,
            )
        else:
            connection = http.client.HTTPConnection(
                server.host, server.port, source_address=(self.source, 0), timeout=30
            )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return answer

    def get(self, server: Server, path: str, **headers) -> Answer:
        return self.request(server, "GET", path, headers=headers)

    def post(self, server: Server, path: str, data, *, files=None, headers=None) -> Answer:
        headers = {"Origin": server.origin, "Referer": f"{server.origin}{path}", **(headers or {})}
        if files:
            body, content_type = multipart(data, files)
        else:
            body, content_type = urlencode(data, doseq=True), "application/x-www-form-urlencoded"
        headers["Content-Type"] = content_type
        return self.request(server, "POST", path, body=body, headers=headers)

    def submit(self, server: Server, path: str, changes: dict, *, form_index=0) -> Answer:
        """Load the page, take the form's fields as they are, change some, send it."""
        page = self.get(server, path)
        assert page.status == 200, (page.status, path)
        form = forms_in(page.text)[form_index]
        data = {**form.fields, **changes}
        return self.post(server, form.action or path, data)


def multipart(data: dict, files: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = []
    for name, value in data.items():
        header = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{header}{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Form:
    action: str
    fields: dict


class _FormParser(HTMLParser):
    """The forms of a page with the values a browser would send without any change."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_multiple = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(Form(action=attrs.get("action") or "", fields={}))
        if not self.forms:
            return
        fields = self.forms[-1].fields
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select, self._select_multiple = name, "multiple" in attrs
            if not self._select_multiple:
                fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            value = attrs.get("value", "")
            if self._select_multiple:
                fields.setdefault(self._select, [])
                fields[self._select].append(value)
            else:
                fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")
