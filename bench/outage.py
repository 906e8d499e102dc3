"""How feelmove answers while Redis is down or hangs: page latency and every public form.

Starts gunicorn (2 sync workers, production settings) three times on one database, with
REDIS_URL pointing at a working Redis, at a closed port, and at a server that accepts
connections and never answers. Each time it requests five pages sequentially (p50 and maximum
latency over the requests) and sends each public form once as a browser would (GET the page, the
form's minimum time, POST with the page's tokens), noting the status and the time of the POST.

    .venv/bin/python bench/outage.py                       # a temporary SQLite database
    .venv/bin/python bench/outage.py --redis redis://127.0.0.1:6379/10 --requests 100
    DATABASE_URL=postgres://... .venv/bin/python bench/outage.py --keep-database

Without --keep-database (or DATABASE_URL) it builds a temporary SQLite database with the demo.
Rate limits stay on: with Redis failing they count in the database.
"""

import argparse
import http.client
import os
import re
import secrets
import socket
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PAGES = ["/", "/blog/{slug}/", "/newsletter/", "/gratis-guide/", "/feed/"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Hanging(socketserver.BaseRequestHandler):
    def handle(self):
        try:
            while self.request.recv(65536):
                pass
        except OSError:
            pass


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def fetch(port, path, *, method="GET", body=None, cookies=None):
    headers = {"Host": "127.0.0.1"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode(body)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    elapsed = (time.perf_counter() - started) * 1000
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        if cookies is not None:
            cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, response.headers, content.decode("utf-8", "replace"), elapsed


def environment(database_url: str, tmp: Path, redis_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL", "RATE_LIMITS")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(tmp / "static"),
        PAGE_CACHE_STATE_DIR=str(tmp / "page-state"),
        TASKS_BACKEND="database",  # e-mails wait for a worker, which is not started here
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CACHE_KEY_PREFIX=f"outage-bench-{secrets.token_hex(4)}",
    )
    env.setdefault("MEDIA_ROOT", str(tmp / "media"))  # where the demo's uploads were put
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def start_gunicorn(env, port, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "feelmove.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/robots.txt")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}")


def form_fields(html: str, action: str) -> dict:
    """The hidden inputs of the form posting to `action`."""
    start = html.index(f'action="{action}"')
    form = html[start : html.index("</form>", start)]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def send_form(port, page, action, data, *, wait: float) -> tuple[int, float]:
    cookies = {}
    _status, _headers, html, _ms = fetch(port, page, cookies=cookies)
    fields = {**form_fields(html, action), **data}
    time.sleep(wait)
    status, _headers, _html, ms = fetch(port, action, method="POST", body=fields, cookies=cookies)
    return status, ms


def run_case(name, env, args, tmp: Path, slug: str, results: list) -> None:
    port = free_port()
    server = start_gunicorn(env, port, tmp / f"gunicorn-{name}.log")
    try:
        pages = {}
        for template in PAGES:
            path = template.format(slug=slug)
            times = [fetch(port, path)[3] for _ in range(args.requests)]
            pages[path] = (statistics.median(times), max(times))
        stamp = secrets.token_hex(3)
        forms = {
            "comment": send_form(
                port,
                f"/blog/{slug}/",
                f"/blog/{slug}/kommentieren/",
                {
                    "name": "Bench Leserin",
                    "email": f"bench-{stamp}@example.de",
                    "body": f"Frage während des Ausfalls ({name}, {stamp})",
                    "url": "",
                },
                wait=3.1,
            ),
            "newsletter signup": send_form(
                port,
                "/newsletter/",
                "/newsletter/",
                {"email": f"nl-{stamp}@example.de", "first_name": "Lena", "consent": "on"},
                wait=0,
            ),
            "guide signup": send_form(
                port,
                "/gratis-guide/",
                "/gratis-guide/",
                {"email": f"guide-{stamp}@example.de", "first_name": "", "consent": "on"},
                wait=0,
            ),
            "fresh guide link": send_form(
                port,
                "/gratis-guide/neuer-link/",
                "/gratis-guide/neuer-link/",
                {"email": f"guide-{stamp}@example.de"},
                wait=0,
            ),
        }
        results.append((name, pages, forms))
    finally:
        server.terminate()
        server.wait()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/10", help="a working Redis")
    parser.add_argument("--requests", type=int, default=50, help="requests per page and case")
    parser.add_argument(
        "--keep-database", action="store_true", help="use DATABASE_URL as it is (demo loaded)"
    )
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="feelmove-outage-"))
    database_url = os.environ.get("DATABASE_URL") if args.keep_database else ""
    database_url = database_url or f"sqlite:///{tmp / 'db.sqlite3'}"
    setup_env = environment(database_url, tmp, "")
    manage(setup_env, "migrate", "--noinput")
    manage(setup_env, "load_demo")
    manage(setup_env, "collectstatic", "--noinput")
    slug = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from blog.models import Article; print(Article.objects.published().first().slug)"],
        cwd=ROOT, env=setup_env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip

    closed = free_port()
    hanging = Server(("127.0.0.1", 0), Hanging)
    threading.Thread(target=hanging.serve_forever, daemon=True).start()
    cases = [
        ("redis ok", args.redis),
        ("redis closed port", f"redis://127.0.0.1:{closed}/0"),
        ("redis hanging", f"redis://127.0.0.1:{hanging.server_address[1]}/0"),
    ]
    results = []
    for name, url in cases:
        print(f"-- {name}: {url}", flush=True)
        run_case(name, environment(database_url, tmp, url), args, tmp, slug, results)
    hanging.shutdown()

    print(f"\n{args.requests} sequential requests per page, 2 gunicorn sync workers")
    print(f"database: {database_url}")
    print(f"{'case':20} {'page':32} {'p50 ms':>8} {'max ms':>8}")
    for name, pages, _forms in results:
        for path, (p50, worst) in pages.items():
            print(f"{name:20} {path[:32]:32} {p50:8.1f} {worst:8.1f}")
    print(f"\n{'case':20} {'form':20} {'status':>6} {'ms':>8}")
    for name, _pages, forms in results:
        for form, (status, ms) in forms.items():
            print(f"{name:20} {form:20} {status:>6} {ms:8.1f}")
    print(f"\nlogs in {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
