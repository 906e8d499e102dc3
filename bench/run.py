"""`make bench`: how fast feelmove serves its pages, next to the same HTML as a static file.

Builds its own database in a temporary folder (demo content, 200 extra articles, one article with
8 comments and one with 300 comments and replies), collects static files there, starts
`gunicorn feelmove.wsgi` with production settings on a free port on 127.0.0.1, warms it up and
measures each page with `wrk` (Debian: `apt-get install wrk`) or, without it, a small Python
load generator, clearly labelled. Prints a table with PASS/FAIL per target and writes the
figures as JSON under bench/results/.

    .venv/bin/python bench/run.py [--duration 5] [--concurrency 8] [--workers 2]

See bench/README.md for what the columns mean and what one run gave.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent

# name: (minimum ratio of requests/s to the static ceiling, description)
RATIO_TARGETS = {
    "home": 0.5,
    "article_8": 0.5,
    "category": 0.5,
    "article_300": 0.4,
    "search": 0.2,
    "feed": 0.2,
}
MIN_COMMENTS_PER_SECOND = 100
MAX_UNCACHED_LATENCY_FACTOR = 3.0
MAX_UNCACHED_ARTICLE_MS = 10.0
MAX_MEMORY_GROWTH = 1.2
MAX_PAGE_WEIGHT = 120 * 1024
SEARCH_TERM = "Rücken"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- the environment --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_environment(tmp: Path, port: int, args) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DEBUG", "SECRET_KEY"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "feelmove.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "RATE_LIMITS": "off",
            "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
            "TASKS_BACKEND": "immediate",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(tmp / "static"),
            "PAGE_CACHE_STATE_DIR": str(tmp / "page-state"),
            "SITE_URL": f"http://127.0.0.1:{port}",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if args.redis:
        env["REDIS_URL"] = args.redis
        env["CACHE_KEY_PREFIX"] = "feelmove-bench-" + secrets.token_hex(4)
    return env


# -- the database -----------------------------------------------------------------------------

FILLER = (
    "<p>Wer viel sitzt, kennt das Ziehen im unteren Rücken. Kleine Bewegungspausen helfen mehr "
    "als eine lange Einheit am Wochenende: aufstehen, die Arme kreisen lassen, die Hüfte "
    "strecken.</p>"
    "<h2>So gehst du vor</h2>"
    "<ul><li>Atme ruhig und gleichmäßig.</li><li>Bewege dich langsam bis zu einem angenehmen "
    "Ziehen.</li><li>Halte die Position etwa 30 Sekunden.</li></ul>"
    "<p>Faszien mögen Abwechslung: federnde Bewegungen, Dehnen in verschiedene Richtungen und "
    "ab und zu eine Rolle. Schmerz ist dabei kein Ziel, sondern ein Signal.</p>"
)


def build_database(stdout) -> dict:
    """Migrate, load the demo, add the benchmark's own articles and comments."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    try:
        call_command("load_demo", stdout=stdout)
        demo = "loaded"
    except Exception as error:  # noqa: BLE001 - reported in the table, the run goes on
        demo = f"FAILED ({type(error).__name__}: {error}); the benchmark's own content only"
        log(f"warning: load_demo {demo}")
    pages = seed()
    pages["seed"]["demo"] = demo
    return pages


def seed() -> dict:
    from django.db import transaction
    from django.utils import timezone

    from blog.models import Article, Category, Tag
    from demo.loaders.site import ensure_author

    author = ensure_author()
    if not Category.objects.exists():
        Category.objects.create(name="Rücken", slug="ruecken")
    if not Tag.objects.exists():
        Tag.objects.create(name="Dehnen", slug="dehnen")
    categories = list(Category.objects.all())
    tags = list(Tag.objects.all())
    template = (
        Article.objects.published().exclude(cover_image="").order_by("-published_at").first()
        or Article.objects.published().order_by("-published_at").first()
    )
    oldest = Article.objects.order_by("published_at").values_list("published_at", flat=True)
    start = (oldest.first() or timezone.now()) - timedelta(days=1)
    report = {}
    with transaction.atomic():
        if not Article.objects.filter(slug="bench-archiv-1").exists():
            for number in range(1, 201):
                article = Article(
                    title=f"Bewegung im Alltag, Teil {number}",
                    slug=f"bench-archiv-{number}",
                    author=author,
                    status=Article.Status.PUBLISHED,
                    published_at=start - timedelta(days=number),
                    teaser="Kleine Übungen für Rücken, Hüfte und Schultern für jeden Tag.",
                    body=FILLER * 6,
                    category=categories[number % len(categories)] if categories else None,
                )
                article.save()
                if tags:
                    article.tags.set([tags[number % len(tags)], tags[(number * 7 + 3) % len(tags)]])
        report["extra_articles"] = 200
        pages = {}
        for slug, count in (("bench-8-kommentare", 8), ("bench-300-kommentare", 300)):
            article = Article.objects.filter(slug=slug).first()
            if article is None:
                article = Article(
                    title=(template.title if template else "Rücken und Faszien")
                    + f" ({count} Kommentare)",
                    slug=slug,
                    author=author,
                    status=Article.Status.PUBLISHED,
                    published_at=(template.published_at if template else timezone.now())
                    - timedelta(minutes=1 if count == 8 else 2),
                    teaser=template.teaser if template else "",
                    body=template.body if template else FILLER * 6,
                    cover_image=template.cover_image.name if template else "",
                    cover_alt=template.cover_alt if template else "",
                    cover_credit=template.cover_credit if template else "",
                    category=template.category if template else None,
                )
                article.save()
                if template:
                    article.tags.set(template.tags.all())
                    article.related.set(template.related.all())
            pages[count] = article
        report["comments"] = seed_comments(pages)
    category = (
        Category.objects.filter(articles__status=Article.Status.PUBLISHED).order_by("name").first()
    )
    return {
        "article_8": pages[8].get_absolute_url(),
        "article_300": pages[300].get_absolute_url(),
        "article_8_id": pages[8].pk,
        "category": category.get_absolute_url() if category else "/",
        "seed": report,
    }


def seed_comments(pages: dict) -> str:
    """8 and 300 approved comments (a third of them replies), straight into the table."""
    try:
        from comments.models import Comment, comment_fingerprint
    except ImportError as error:
        return f"skipped: comments app not ready ({error})"
    from django.utils import timezone

    made = []
    for count, article in pages.items():
        if Comment.objects.filter(article=article).exists():
            made.append(f"{count}: present")
            continue
        top_level = count - count // 3
        now = timezone.now()

        def comment(number, parent=None, *, article=article, now=now, count=count):
            body = (
                f"Danke für den Artikel! Die Übung Nummer {number} hat mir gutgetan, "
                "vor allem morgens nach dem Aufstehen. Wie oft am Tag sollte ich sie machen?"
            )
            email = f"leserin{number}@example.de"
            return Comment(
                article=article,
                parent=parent,
                name=f"Leserin {number}",
                email=email,
                body=body,
                status=Comment.Status.APPROVED,
                created_at=now - timedelta(hours=count - number),
                fingerprint=comment_fingerprint(article_id=article.pk, email=email, body=body),
            )

        parents = Comment.objects.bulk_create([comment(n) for n in range(top_level)])
        Comment.objects.bulk_create(
            [
                comment(top_level + n, parent=parents[(n * 5) % len(parents)])
                for n in range(count - top_level)
            ]
        )
        made.append(f"{count}: {top_level} + {count - top_level} replies")
    return "; ".join(made)


# -- in-process figures: queries per page, the ceiling file -----------------------------------


def queries_per_page(urls: dict) -> dict:
    """SQL queries of one request per page: rendered (cache off) and served from the cache."""
    from django.db import connection, reset_queries
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for name, url in urls.items():
        client = Client(HTTP_HOST="127.0.0.1")
        with override_settings(PAGE_CACHE=False):
            client.get(url)  # templates and lazy imports loaded once
            # The connection keeps at most 9,000 queries (seeding filled them up), and
            # captured_queries is a lazy slice of them: count right away.
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            rendered = len(captured.captured_queries)
        client.get(url)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            hit = client.get(url)
        cached = len(captured.captured_queries)
        # As the uncached measurement: a session cookie, the page cache steps aside.
        session = {"HTTP_COOKIE": "sessionid=bench-no-page-cache"}
        client.get(url, **session)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            client.get(url, **session)
        figures[name] = {
            "status": response.status_code,
            "rendered": rendered,
            "cached": cached,
            "bypass": len(captured.captured_queries),
            "cache": hit.headers.get("X-Page-Cache", ""),
        }
    return figures


def write_ceiling(static_root: Path, url: str) -> str:
    """The article page's HTML as a static file (plus its .gz, as whitenoise serves it)."""
    from django.test import Client

    html = Client(HTTP_HOST="127.0.0.1").get(url).content
    folder = static_root / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.html").write_bytes(html)
    (folder / "article.html.gz").write_bytes(gzip.compress(html, 9))
    return "/static/bench/article.html"


# -- gunicorn ---------------------------------------------------------------------------------


def start_server(env: dict, port: int, args, log_path: Path) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"),
        "feelmove.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--log-level",
        "warning",
        "--backlog",
        "2048",
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    log_file = log_path.open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited early; see {log_path}")
        try:
            status, _headers, _body = fetch(port, "/healthz")
            if status == 200 and len(worker_pids(server.pid)) >= args.workers:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer within 30 s; see {log_path}")


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces; the parent pid follows the closing parenthesis.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == master:
            pids.append(int(entry.name))
    return sorted(pids)


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def measure_with_cpu(pids: list[int], *args, **kwargs) -> dict:
    """`measure()`, plus the workers' CPU time per request (a figure other load on the machine
    hardly moves, unlike requests per second)."""
    before = cpu_seconds(pids)
    figures = measure(*args, **kwargs)
    spent = cpu_seconds(pids) - before
    figures["cpu_ms"] = spent * 1000 / figures["requests"] if figures["requests"] else float("nan")
    return figures


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def fetch(port: int, path: str, *, method="GET", headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


# -- load generators --------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def run_wrk(url: str, *, duration: float, concurrency: int, headers: dict) -> dict:
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(concurrency),
        "--duration",
        f"{max(1, round(duration))}s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run(
        command + [url], capture_output=True, text=True, check=True, timeout=duration + 30
    ).stdout
    figures = {"tool": "wrk"}
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    figures["rps"] = float(match.group(1)) if match else 0.0
    for percentile, key in (("50", "p50_ms"), ("99", "p99_ms")):
        match = re.search(rf"^\s+{percentile}%\s+(\S+)", output, re.MULTILINE)
        figures[key] = _duration_ms(match.group(1)) if match else float("nan")
    match = re.search(r"(\d+) requests in", output)
    figures["requests"] = int(match.group(1)) if match else 0
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["bad_status"] = int(match.group(1)) if match else 0
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    figures["socket_errors"] = (
        {
            "connect": int(match[1]),
            "read": int(match[2]),
            "write": int(match[3]),
            "timeout": int(match[4]),
        }
        if match
        else {}
    )
    return figures


def run_python_load(port: int, path: str, *, duration: float, concurrency: int, headers: dict):
    """A bounded closed-loop load: `concurrency` threads, one request at a time each."""
    latencies: list[float] = []
    bad = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def worker():
        own, own_bad = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status, _h, _b = fetch(port, path, headers=headers)
            except OSError:
                status = 0
            own.append((time.perf_counter() - started) * 1000)
            if not 200 <= status < 400:
                own_bad += 1
        with lock:
            latencies.extend(own)
            bad[0] += own_bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "tool": "python-loadgen",
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "requests": len(latencies),
        "bad_status": bad[0],
        "socket_errors": {},
    }


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def measure(port, path, *, args, concurrency=None, headers=None, duration=None):
    headers = {"Accept-Encoding": "gzip", **(headers or {})}
    concurrency = concurrency or args.concurrency
    duration = duration or args.duration
    if args.wrk:
        return run_wrk(
            f"http://127.0.0.1:{port}{path}",
            duration=duration,
            concurrency=concurrency,
            headers=headers,
        )
    return run_python_load(port, path, duration=duration, concurrency=concurrency, headers=headers)


# -- the comment POST -------------------------------------------------------------------------

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TS_INPUT = re.compile(r'name="ts" value="([^"]+)"')
_FORM_ACTION = re.compile(r'<form[^>]+action="([^"]*kommentieren[^"]*)"')


def _cookie(headers, name: str) -> str:
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return ""


def comment_post_load(port: int, article_path: str, *, args) -> dict:
    """Readers load the article, write for a while, send: stored comments per second."""
    from comments.models import Comment
    from core.antispam import HONEYPOT_FIELD, min_form_seconds

    pool: list[tuple[str, str, str, str]] = []
    lock = threading.Lock()
    wanted = max(200, int(args.duration * 300))
    action = [""]

    def prefetch():
        while True:
            with lock:
                if len(pool) >= wanted:
                    return
            status, headers, body = fetch(port, article_path)
            html = body.decode()
            csrf, ts, form = (
                _CSRF_INPUT.search(html),
                _TS_INPUT.search(html),
                _FORM_ACTION.search(html),
            )
            if status != 200 or not (csrf and ts and form):
                raise SystemExit(f"comment form not found on {article_path} (status {status})")
            action[0] = form.group(1)
            with lock:
                pool.append((_cookie(headers, "csrftoken"), csrf.group(1), ts.group(1), ""))

    threads = [threading.Thread(target=prefetch) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Every render-time token must be older than the form's minimum time, as for a person.
    time.sleep(min_form_seconds() + 0.2)

    before = Comment.objects.count()
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    counter = iter(range(10**9))
    deadline = time.perf_counter() + args.duration

    def poster():
        own_latencies, own_statuses = [], {}
        while time.perf_counter() < deadline:
            with lock:
                if not pool:
                    break
                cookie, csrf, ts, _ = pool.pop()
                number = next(counter)
            body = urlencode(
                {
                    "csrfmiddlewaretoken": csrf,
                    "ts": ts,
                    "name": f"Benchmark-Leserin {number}",
                    "email": f"bench{number}@example.de",
                    "url": "",
                    "body": f"Kommentar Nummer {number}: danke, die Dehnübung hilft mir sehr.",
                    HONEYPOT_FIELD: "",
                }
            )
            started = time.perf_counter()
            try:
                status, _h, _b = fetch(
                    port,
                    action[0],
                    method="POST",
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"csrftoken={cookie}",
                    },
                )
            except OSError:
                status = 0
            own_latencies.append((time.perf_counter() - started) * 1000)
            own_statuses[status] = own_statuses.get(status, 0) + 1
        with lock:
            latencies.extend(own_latencies)
            for status, count in own_statuses.items():
                statuses[status] = statuses.get(status, 0) + count

    started = time.perf_counter()
    threads = [threading.Thread(target=poster) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    stored = Comment.objects.count() - before
    latencies.sort()
    errors = sum(count for status, count in statuses.items() if status not in (302, 303))
    return {
        "tool": "python (GET form, wait, POST)",
        "rps": len(latencies) / elapsed,
        "stored_per_s": stored / elapsed,
        "stored": stored,
        "posts": len(latencies),
        "errors": errors,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "pool_exhausted": not pool,
    }


# -- page weight ------------------------------------------------------------------------------


def page_weight(port: int, path: str) -> dict:
    headers = {"Accept-Encoding": "gzip"}
    _status, response_headers, body = fetch(port, path, headers=headers)
    html = (
        gzip.decompress(body).decode()
        if response_headers.get("Content-Encoding") == "gzip"
        else body.decode()
    )
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    scripts = re.findall(r"<script\b[^>]*>", html)
    script_sources = [re.search(r'src="([^"]+)"', tag).group(1) for tag in scripts if "src=" in tag]
    blocking = [
        tag
        for tag in scripts
        if "src=" in tag and not re.search(r"\b(defer|async)\b|type=\"module\"", tag)
    ]
    sizes = {path: len(body)}
    for asset in assets + script_sources:
        _s, _h, asset_body = fetch(port, asset, headers=headers)
        sizes[asset] = len(asset_body)
    images = re.findall(r"<img\b[^>]*>", html)
    eager = [tag for tag in images if 'loading="lazy"' not in tag]
    return {
        "total_bytes": sum(sizes.values()),
        "parts": sizes,
        "render_blocking_scripts": len(blocking),
        "images": len(images),
        "images_not_lazy": len(eager),
        "eager_images": [re.sub(r"\s+", " ", tag)[:160] for tag in eager],
    }


def static_headers(port: int) -> dict:
    """How whitenoise serves a hashed stylesheet: compressed, with a long lifetime."""
    _s, _h, body = fetch(port, "/")
    html = body.decode()
    match = re.search(r'href="(/static/[^"]+\.css)"', html)
    if not match:
        return {}
    _s, headers, _b = fetch(port, match.group(1), headers={"Accept-Encoding": "gzip"})
    return {
        "url": match.group(1),
        "content_encoding": headers.get("Content-Encoding", ""),
        "cache_control": headers.get("Cache-Control", ""),
    }


# -- report -----------------------------------------------------------------------------------


def evaluate(results: dict) -> list[dict]:
    ceiling = results["pages"]["ceiling"]["rps"]
    verdicts = []
    for name, minimum in RATIO_TARGETS.items():
        ratio = results["pages"][name]["rps"] / ceiling if ceiling else 0.0
        verdicts.append(
            {
                "target": f"{name}: req/s >= {minimum:.1f} x ceiling",
                "value": f"{ratio:.2f}",
                "ok": ratio >= minimum,
            }
        )
    uncached = results["uncached"]
    factor = uncached["article_300"]["p50_ms"] / uncached["article_8"]["p50_ms"]
    verdicts.append(
        {
            "target": f"uncached p50 article_300 <= {MAX_UNCACHED_LATENCY_FACTOR:.0f} x article_8",
            "value": f"{factor:.2f}",
            "ok": factor <= MAX_UNCACHED_LATENCY_FACTOR,
        }
    )
    verdicts.append(
        {
            "target": f"uncached p50 article_8 <= {MAX_UNCACHED_ARTICLE_MS:.0f} ms",
            "value": f"{uncached['article_8']['p50_ms']:.2f} ms",
            "ok": uncached["article_8"]["p50_ms"] <= MAX_UNCACHED_ARTICLE_MS,
        }
    )
    queries = results["queries"]
    same = queries["article_8"]["rendered"] == queries["article_300"]["rendered"]
    verdicts.append(
        {
            "target": "same queries for 8 and 300 comments",
            "value": f"{queries['article_8']['rendered']} / {queries['article_300']['rendered']}",
            "ok": same,
        }
    )
    post = results.get("comment_post")
    if post and "stored_per_s" in post:
        verdicts.append(
            {
                "target": f"comment POST >= {MIN_COMMENTS_PER_SECOND} stored/s, 0 errors",
                "value": f"{post['stored_per_s']:.0f}/s, {post['errors']} errors",
                "ok": post["stored_per_s"] >= MIN_COMMENTS_PER_SECOND and post["errors"] == 0,
            }
        )
    else:
        verdicts.append(
            {
                "target": "comment POST",
                "value": (post or {}).get("skipped", "not run"),
                "ok": False,
            }
        )
    memory = results["memory"]
    verdicts.append(
        {
            "target": f"worker RSS after run <= {MAX_MEMORY_GROWTH} x after warm-up",
            "value": f"{memory['max_growth']:.2f}",
            "ok": memory["max_growth"] <= MAX_MEMORY_GROWTH,
        }
    )
    weight = results["page_weight"]
    verdicts.append(
        {
            "target": "article HTML+CSS+JS <= 120 KB gzip",
            "value": f"{weight['total_bytes'] / 1024:.1f} KB",
            "ok": weight["total_bytes"] <= MAX_PAGE_WEIGHT,
        }
    )
    verdicts.append(
        {
            "target": "no render-blocking script",
            "value": str(weight["render_blocking_scripts"]),
            "ok": weight["render_blocking_scripts"] == 0,
        }
    )
    verdicts.append(
        {
            "target": "images lazy except the cover",
            "value": f"{weight['images_not_lazy']} of {weight['images']} eager",
            "ok": weight["images_not_lazy"] <= 1,
        }
    )
    return verdicts


def print_table(results: dict) -> str:
    ceiling = results["pages"]["ceiling"]["rps"]
    lines = [
        f"load: {results['load_tool']}, {results['settings']['concurrency']} connections, "
        f"{results['settings']['duration']} s per page, {results['settings']['workers']} "
        f"{results['settings']['worker_class']} workers, cache: {results['settings']['cache']}, "
        f"database: {results['settings']['database']}",
        "",
        f"{'page':<22}{'req/s':>9}{'ratio':>7}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'queries':>9}{'gz bytes':>10}{'cache':>7}{'cpu ms':>8}{'cpu ratio':>10}",
    ]
    ceiling_cpu = results["pages"]["ceiling"].get("cpu_ms", float("nan"))

    def cpu(figures) -> str:
        spent = figures.get("cpu_ms", float("nan"))
        return f"{spent:>8.3f}{ceiling_cpu / spent if spent else float('nan'):>10.2f}"

    for name, figures in results["pages"].items():
        queries = results["queries"].get(name)
        query_text = f"{queries['rendered']}/{queries['cached']}" if queries else "-"
        lines.append(
            f"{name:<22}{figures['rps']:>9.0f}{figures['rps'] / ceiling:>7.2f}"
            f"{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}{query_text:>9}"
            f"{results['bytes'].get(name, 0):>10}{results['cache_state'].get(name, '-'):>7}"
            f"{cpu(figures)}"
        )
    for name, figures in results["uncached"].items():
        label = f"{name} (uncached,c=1)"
        queries = results["queries"].get(name)
        lines.append(
            f"{label:<22}{figures['rps']:>9.0f}{figures['rps'] / ceiling:>7.2f}"
            f"{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}"
            f"{(str(queries['bypass']) if queries else '-'):>9}{'':>10}{'bypass':>7}"
            f"{cpu(figures)}"
        )
    post = results.get("comment_post") or {}
    if "stored_per_s" in post:
        lines.append(
            f"{'comment POST':<22}{post['rps']:>9.0f}{'':>7}{post['p50_ms']:>9.2f}"
            f"{post['p99_ms']:>9.2f}   stored {post['stored_per_s']:.0f}/s, "
            f"errors {post['errors']} {post['statuses']}"
        )
    else:
        lines.append(f"{'comment POST':<22} {post.get('skipped', 'not run')}")
    memory = results["memory"]
    lines += [
        "",
        "queries = SQL queries per request when rendered / when served from the page cache; "
        "uncached rows: with the kept parts (core/fragments.py)",
        "cpu ms = the gunicorn workers' CPU time per request (the database server's not "
        "counted); cpu ratio = the ceiling's cpu ms / the page's: what the req/s ratio is on "
        "an otherwise idle machine",
        "worker RSS (MiB) after warm-up -> after run: "
        + ", ".join(
            f"{w['after_warmup_kib'] / 1024:.1f} -> {w['after_run_kib'] / 1024:.1f}"
            for w in memory["workers"]
        ),
        f"page weight (article, gzip): {results['page_weight']['total_bytes'] / 1024:.1f} KB "
        + "("
        + ", ".join(
            f"{Path(k).name or k} {v / 1024:.1f}"
            for k, v in results["page_weight"]["parts"].items()
        )
        + ")",
        f"static files: {results['static']}",
        "",
        f"{'target':<58}{'value':>18}  result",
    ]
    for verdict in results["verdicts"]:
        lines.append(
            f"{verdict['target']:<58}{verdict['value']:>18}  {'PASS' if verdict['ok'] else 'FAIL'}"
        )
    table = "\n".join(lines)
    print()
    print(table)
    print()
    return table


# -- main -------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5, help="seconds per page (default 5)")
    parser.add_argument("--concurrency", type=int, default=8, help="open connections (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-class", default="sync", choices=["sync", "gthread"], help="gunicorn worker class"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--redis", default="", help="REDIS_URL for the page cache (default: none)")
    parser.add_argument(
        "--postgres",
        default="",
        help="a PostgreSQL server (postgres://user@host:port/): the run makes a database of "
        "its own there and drops it afterwards (default: SQLite in the temporary folder)",
    )
    parser.add_argument(
        "--python-load", action="store_true", help="use the Python load generator even with wrk"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is not met"
    )
    args = parser.parse_args(argv)
    args.wrk = bool(shutil.which("wrk")) and not args.python_load
    args.database_url = ""
    return args


def create_postgres_database(server_url: str) -> tuple[str, str]:
    """A new, empty database on the server for this run: (its DATABASE_URL, its name)."""
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(server_url.rstrip("/") + "/postgres")
    name = f"feelmove_bench_{secrets.token_hex(4)}"
    with _postgres_admin(server, psycopg) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = server["USER"] or "postgres"
    if server["PASSWORD"]:
        credentials += f":{server['PASSWORD']}"
    host, port = server["HOST"] or "127.0.0.1", server["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{name}", name


def drop_postgres_database(server_url: str, name: str) -> None:
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(server_url.rstrip("/") + "/postgres")
    with _postgres_admin(server, psycopg) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_admin(server: dict, psycopg):
    return psycopg.connect(
        host=server["HOST"] or "127.0.0.1",
        port=server["PORT"] or 5432,
        user=server["USER"] or "postgres",
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="feelmove-bench-"))
    port = free_port()
    database_name = ""
    if args.postgres:
        args.database_url, database_name = create_postgres_database(args.postgres)
    env = bench_environment(tmp, port, args)
    os.environ.update(env)
    for key in ("REDIS_URL", "CACHE_KEY_PREFIX"):
        if key not in env:
            os.environ.pop(key, None)
    sys.path.insert(0, str(ROOT))
    if not args.wrk:
        log("wrk not found: using the Python load generator (install wrk: apt-get install wrk)")
    server = None
    try:
        log(f"building the benchmark database in {tmp}")
        with (tmp / "setup.log").open("w") as setup_log:
            pages = build_database(setup_log)
        log(f"seeded: {pages['seed']}")
        from django.core.management import call_command

        log("collecting static files")
        call_command("collectstatic", interactive=False, verbosity=0)
        urls = {
            "home": "/",
            "article_8": pages["article_8"],
            "article_300": pages["article_300"],
            "category": pages["category"],
            "feed": "/feed/",
            "search": f"/suche/?q={quote(SEARCH_TERM)}",
        }
        queries = queries_per_page(urls)
        for name, figures in queries.items():
            if figures["status"] != 200:
                log(f"warning: {name} ({urls[name]}) answered {figures['status']}")
        urls = {"ceiling": write_ceiling(Path(env["STATIC_ROOT"]), urls["article_8"]), **urls}

        log(f"starting gunicorn ({args.workers} {args.worker_class} workers) on port {port}")
        server = start_server(env, port, args, tmp / "gunicorn.log")
        log("warming up")
        byte_counts, cache_state = {}, {}
        for name, path in urls.items():
            measure(port, path, args=args, duration=1)
            status, headers, body = fetch(port, path, headers={"Accept-Encoding": "gzip"})
            byte_counts[name] = len(body)
            cache_state[name] = headers.get("X-Page-Cache", "static")
            if status != 200:
                log(f"warning: {name} answered {status}")
        workers = worker_pids(server.pid)
        rss_warm = {pid: rss_kib(pid) for pid in workers}

        results_pages = {}
        for name, path in urls.items():
            log(f"measuring {name} ({path})")
            results_pages[name] = measure_with_cpu(workers, port, path, args=args)
        uncached = {}
        for name in ("article_8", "article_300"):
            log(f"measuring {name} without the page cache (one client)")
            uncached[name] = measure_with_cpu(
                workers,
                port,
                urls[name],
                args=args,
                concurrency=1,
                headers={"Cookie": "sessionid=bench-no-page-cache"},
            )
        try:
            log("measuring the comment POST")
            comment_post = comment_post_load(port, urls["article_8"], args=args)
        except ImportError as error:
            comment_post = {"skipped": f"comments app not ready ({error})"}
        rss_after = {pid: rss_kib(pid) for pid in workers if Path(f"/proc/{pid}").exists()}
        weight = page_weight(port, urls["article_8"])
        static = static_headers(port)

        results = {
            "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
                "cpu": _cpu_model(),
            },
            "settings": {
                "duration": args.duration,
                "concurrency": args.concurrency,
                "workers": args.workers,
                "worker_class": args.worker_class,
                "cache": "redis" if args.redis else "local memory (+ file-based generation)",
                "database": "postgresql" if args.postgres else "sqlite",
            },
            "load_tool": "wrk"
            if args.wrk
            else "python-loadgen ("
            + ("--python-load" if args.python_load else "wrk not installed")
            + ")",
            "urls": urls,
            "seed": pages["seed"],
            "pages": results_pages,
            "uncached": uncached,
            "queries": queries,
            "bytes": byte_counts,
            "cache_state": cache_state,
            "comment_post": comment_post,
            "memory": {
                "workers": [
                    {
                        "pid": pid,
                        "after_warmup_kib": rss_warm[pid],
                        "after_run_kib": rss_after.get(pid, 0),
                    }
                    for pid in workers
                ],
                "max_growth": max(
                    (rss_after.get(pid, 0) / rss_warm[pid] for pid in workers if rss_warm[pid]),
                    default=0.0,
                ),
            },
            "page_weight": weight,
            "static": static,
        }
        results["verdicts"] = evaluate(results)
        results["table"] = print_table(results)
        results["seconds"] = round(time.monotonic() - started, 1)
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        out = RESULTS_DIR / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps(results, indent=2, default=str))
        log(f"done in {results['seconds']} s; figures in {out.relative_to(ROOT)}")
        met = all(v["ok"] for v in results["verdicts"])
        return 1 if args.strict and not met else 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        if database_name:
            from django.db import connections

            connections.close_all()
            if args.keep:
                log(f"kept the database {database_name}")
            else:
                drop_postgres_database(args.postgres, database_name)
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    sys.exit(main())
