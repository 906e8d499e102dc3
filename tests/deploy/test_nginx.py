"""The site as it runs on several servers: Debian's nginx with deploy/'s configuration in front of
two gunicorn processes (deploy/gunicorn.conf.py) sharing PostgreSQL and Redis, plus a worker.

Everything runs on this machine, on free high ports: nginx with a certificate made for the test,
each gunicorn on its own port, a database of its own on the PostgreSQL server, keys of its own in
Redis. The tests then walk through what must hold on several servers: a change made through one
server shows on the other at once, uploads are served through the proxy, the admin lockout sees
each visitor's own address, and a load balancer's probe by IP gets its answer.

Skipped without nginx, PostgreSQL or Redis, unless REQUIRE_NGINX=1 (CI) makes that a failure.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.deploy.support import Browser, Server, forms_in, path_of

pytestmark = pytest.mark.nginx

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
NGINX = os.environ.get("NGINX_PATH") or shutil.which("nginx") or "/usr/sbin/nginx"
ADMIN_PASSWORD = "Dehnen-am-Morgen-" + secrets.token_hex(4)


def unavailable(reason: str):
    if os.environ.get("REQUIRE_NGINX") == "1":
        pytest.fail(f"REQUIRE_NGINX=1 but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_server() -> dict:
    """Where to make the test's database: the test run's PostgreSQL, or the local one."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("POSTGRES_TEST_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return dj_database_url.parse(url)


def admin_connection(server: dict):
    import psycopg

    return psycopg.connect(
        host=server["HOST"] or "127.0.0.1",
        port=server["PORT"] or 5432,
        user=server["USER"] or "postgres",
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


def redis_url() -> str:
    return os.environ.get("REDIS_TEST_URL") or "redis://127.0.0.1:6379/15"


@dataclass
class MediaBackend:
    """Where uploads live, for the app servers and for nginx.

    `local`: one folder shared by both app servers, served by nginx from disk (deploy/'s media
    block as it is). `s3`: buckets on moto's S3 server; nginx forwards /media/ to the public one
    with deploy/'s commented block for object storage, switched on in place of the local one.
    """

    name: str
    folder: Path  # the site's folder on this machine (as /srv/feelmove): static, media, state
    environment: dict
    nginx_media_block: str | None = None  # None: deploy/'s block, with the site's folder


def s3_media_block(endpoint: str, bucket: str) -> str:
    """deploy/'s commented /media/ block for object storage, switched on, for this bucket."""
    text = (DEPLOY / "nginx" / "feelmove.conf").read_text()
    start = text.index("    #location /media/ {")
    end = text.index("    # end media with s3")
    block = "\n".join(
        line.replace("    #", "    ", 1) for line in text[start:end].rstrip().splitlines()
    )
    host = endpoint.removeprefix("http://")
    for old, new in {
        "http://10.0.0.5:9000/feelmove-media/": f"{endpoint}/{bucket}/",
        "Host 10.0.0.5:9000": f"Host {host}",
    }.items():
        assert old in block, f"deploy/nginx/feelmove.conf's S3 block no longer has {old!r}"
        block = block.replace(old, new)
    return block + "\n"


@pytest.fixture(scope="module", params=["local", "s3"])
def media_backend(request, tmp_path_factory) -> MediaBackend:
    folder = tmp_path_factory.mktemp("site")
    if request.param == "local":
        (folder / "media").mkdir()
        environment = {"MEDIA_STORAGE": "local", "MEDIA_ROOT": str(folder / "media")}
        yield MediaBackend("local", folder, environment)
        return
    server = request.getfixturevalue("s3_server")
    buckets = server.create_buckets()
    block = s3_media_block(server.endpoint_url, buckets.public)
    yield MediaBackend("s3", folder, server.env(buckets), block)
    server.delete_buckets(buckets)


@dataclass
class Site:
    folder: Path
    https: Server
    http: Server
    apps: list[Server]
    tls: ssl.SSLContext
    environment: dict
    processes: dict = field(default_factory=dict)
    logs: dict = field(default_factory=dict)

    def browser(self, source: str = "127.0.0.1") -> Browser:
        return Browser(source=source, tls=self.tls)

    def log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace")


def render_nginx_site(
    *,
    folder: Path,
    https_port: int,
    http_port: int,
    apps: list[int],
    certificate: Path,
    key: Path,
    media: MediaBackend,
) -> str:
    """deploy/nginx/feelmove.conf on this machine's ports and folders (nothing else changed)."""
    text = (DEPLOY / "nginx" / "feelmove.conf").read_text()
    replacements = {
        "listen 80 default_server;": f"listen 127.0.0.1:{http_port} default_server;",
        "listen [::]:80 default_server;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "server_name feelmove.de;": "server_name localhost;",
        "https://feelmove.de$request_uri": f"https://localhost:{https_port}$request_uri",
        "/etc/letsencrypt/live/feelmove.de/fullchain.pem": str(certificate),
        "/etc/letsencrypt/live/feelmove.de/privkey.pem": str(key),
        "root /var/www/letsencrypt;": f"root {folder};",
        "server 10.0.0.11:8000": f"server 127.0.0.1:{apps[0]}",
        "server 10.0.0.12:8000": f"server 127.0.0.1:{apps[1]}",
        "root /srv/feelmove;": f"root {folder};",
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx/feelmove.conf no longer has {old!r}: update the test"
        text = text.replace(old, new)
    if media.nginx_media_block is not None:
        start, end = text.index("    # media:"), text.index("    # end media")
        text = text[:start] + media.nginx_media_block + text[end:]
    return text


def nginx_main_config(folder: Path, site: Path) -> str:
    user = "user root;" if os.geteuid() == 0 else ""
    temp = folder / "nginx-temp"
    temp.mkdir(exist_ok=True)
    return f"""
{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""


def make_certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


def run_manage(environment: dict, *arguments: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(arguments)}:\n{result.stderr[-3000:]}"


def wait_for(check, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not come up within {seconds} s")


@pytest.fixture(scope="module")
def site(media_backend):
    if not Path(NGINX).exists():
        unavailable(f"no nginx at {NGINX} (apt-get install nginx)")
    if not shutil.which("openssl"):
        unavailable("no openssl to make the test's certificate")
    server = postgres_server()
    try:
        admin = admin_connection(server)
    except Exception as error:  # noqa: BLE001 - any reason means: no PostgreSQL here
        unavailable(f"PostgreSQL does not answer ({error})")
    import redis

    try:
        redis.Redis.from_url(redis_url(), socket_connect_timeout=1).ping()
    except redis.RedisError:
        unavailable(f"Redis does not answer at {redis_url()}")

    folder = media_backend.folder
    for name in ("static", "state", "mail"):
        (folder / name).mkdir()
    database = f"feelmove_nginx_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{database}"')
    prefix = f"feelmove-nginx-{secrets.token_hex(4)}"
    https_port, http_port = free_port(), free_port()
    app_ports = [free_port(), free_port()]
    credentials = server["USER"] or "postgres"
    if server["PASSWORD"]:
        credentials += f":{server['PASSWORD']}"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "feelmove.settings",
        "DEBUG": "0",
        "SECRET_KEY": "nginx-test-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SITE_URL": f"https://localhost:{https_port}",
        "DATABASE_URL": (
            f"postgres://{credentials}@{server['HOST'] or '127.0.0.1'}:"
            f"{server['PORT'] or 5432}/{database}"
        ),
        "REDIS_URL": redis_url(),
        "CACHE_KEY_PREFIX": prefix,
        "PROXY_COUNT": "1",
        "STATIC_ROOT": str(folder / "static"),
        "PAGE_CACHE_STATE_DIR": str(folder / "state"),
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder / "mail"),
        "AUTHOR_EMAIL": "autorin@example.de",
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "ADMIN_2FA": "0",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "4",
        "LOG_FORMAT": "text",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **media_backend.environment,
    }
    environment.pop("SQLITE_TEST_NAME", None)
    certificate, key = make_certificate(folder)
    tls = ssl.create_default_context(cafile=str(certificate))
    site = Site(
        folder=folder,
        https=Server("https", "localhost", https_port),
        http=Server("http", "127.0.0.1", http_port),
        apps=[Server("http", "127.0.0.1", port, behind_tls_proxy=True) for port in app_ports],
        tls=tls,
        environment=environment,
    )
    try:
        run_manage(environment, "migrate", "--noinput")
        run_manage(environment, "collectstatic", "--noinput")
        run_manage(environment, "ensure_admin")

        def start(name, command, **extra):
            log = folder / f"{name}.log"
            site.logs[name] = log
            site.processes[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**environment, **extra},
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )

        for number, port in enumerate(app_ports):
            start(
                f"app{number + 1}",
                [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "feelmove.wsgi"],
                GUNICORN_BIND=f"127.0.0.1:{port}",
            )
        start("worker", [sys.executable, "manage.py", "db_worker"])
        site_config = folder / "feelmove.conf"
        site_config.write_text(
            render_nginx_site(
                folder=folder,
                https_port=https_port,
                http_port=http_port,
                apps=app_ports,
                certificate=certificate,
                key=key,
                media=media_backend,
            )
        )
        main_config = folder / "nginx.conf"
        main_config.write_text(nginx_main_config(folder, site_config))
        checked = subprocess.run(
            [NGINX, "-t", "-p", str(folder), "-c", str(main_config)],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stderr
        start("nginx", [NGINX, "-p", str(folder), "-c", str(main_config), "-g", "daemon off;"])

        probe = site.browser()
        for app in site.apps:
            wait_for(lambda app=app: probe.get(app, "/healthz").status == 200, f"gunicorn {app}")
        wait_for(lambda: probe.get(site.http, "/healthz").status == 200, "nginx")
        yield site
    finally:
        for process in site.processes.values():
            process.terminate()
        for process in site.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()
        client = redis.Redis.from_url(redis_url())
        for found in client.scan_iter(f"{prefix}:*"):
            client.delete(found)


def logged_in_author(site: Site, server: Server) -> Browser:
    author = site.browser()
    answer = author.submit(
        server, "/admin/login/?next=/admin/", {"username": "admin", "password": ADMIN_PASSWORD}
    )
    assert answer.status == 302, answer.text[:2000]
    return author


def article_data(form_fields: dict, *, title: str, slug: str) -> dict:
    from django.utils import timezone

    now = timezone.localtime(timezone.now()) - timedelta(minutes=1)
    return {
        **form_fields,
        "title": title,
        "slug": slug,
        "teaser": "Drei Minuten für einen freien Rücken.",
        "body": "<p>Die Arme kreisen lassen, die Hüfte strecken, ruhig atmen.</p>",
        "status": "published",
        "published_at_0": now.strftime("%d.%m.%Y"),
        "published_at_1": now.strftime("%H:%M:%S"),
    }


# -- the health probe, headers ---------------------------------------------------------------


def test_the_health_probe_answers_by_ip_with_any_host_over_plain_http(site):
    probe = site.browser()

    through_nginx = probe.get(site.http, "/healthz", Host="10.20.30.40")
    direct = probe.get(site.apps[0], "/healthz", Host="10.0.0.11:8000")
    direct_plain = Browser().get(
        Server("http", "127.0.0.1", site.apps[1].port), "/healthz", Host="192.0.2.1"
    )

    for answer in (through_nginx, direct, direct_plain):
        assert answer.status == 200, answer.text
        assert answer.json() == {
            "status": "ok",
            "database": "ok",
            "redis": "ok",
            "queue": "ok",
            "queue_wait_seconds": 0,
        }


def test_plain_http_other_than_the_probe_is_redirected_to_https(site):
    answer = site.browser().get(site.http, "/blog/?x=1", Host="localhost")
    assert answer.status == 301
    assert answer.header("Location") == f"https://localhost:{site.https.port}/blog/?x=1"


def test_a_host_the_site_does_not_serve_is_refused_except_for_the_probe(site):
    answer = site.browser().get(site.apps[0], "/", Host="evil.example")
    assert answer.status == 400


def test_neither_gunicorn_nor_nginx_names_its_version(site):
    direct = site.browser().get(site.apps[0], "/healthz")
    through_nginx = site.browser().get(site.https, "/healthz")
    assert direct.header("Server") is None
    assert through_nginx.header("Server") == "nginx"


def test_static_files_come_from_nginx_compressed_and_cached_for_a_year(site):
    home = site.browser().get(site.https, "/")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home.text).group(1)

    answer = site.browser().get(site.https, stylesheet, **{"Accept-Encoding": "gzip"})

    assert answer.status == 200
    assert answer.header("Content-Encoding") == "gzip"
    assert answer.header("Cache-Control") == "public, max-age=31536000, immutable"
    # Served from the folder by nginx itself: no app server's headers on it.
    assert answer.header("X-Page-Cache") is None


# -- two app servers, one site --------------------------------------------------------------


def test_an_article_published_through_one_server_shows_on_the_other_at_once(site):
    first, second = site.apps
    reader = site.browser()
    reader.get(second, "/")
    assert reader.get(second, "/").header("X-Page-Cache") == "hit"

    author = logged_in_author(site, first)
    form = forms_in(author.get(first, "/admin/blog/article/add/").text)
    form = next(f for f in form if "title" in f.fields)
    saved = author.post(
        first,
        "/admin/blog/article/add/",
        article_data(form.fields, title="Morgens locker werden", slug="morgens-locker-werden"),
    )
    assert saved.status == 302, saved.text[:3000]

    home = reader.get(second, "/")
    assert home.header("X-Page-Cache") == "miss"
    assert "Morgens locker werden" in home.text
    article = reader.get(second, "/blog/morgens-locker-werden/")
    assert article.status == 200
    assert "Die Arme kreisen lassen" in article.text
    assert "Morgens locker werden" in reader.get(site.https, "/").text


def small_jpeg() -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (640, 400), (90, 140, 120)).save(output, "JPEG", quality=85)
    return output.getvalue()


def test_an_image_uploaded_through_one_server_is_served_through_the_proxy(site):
    author = logged_in_author(site, site.apps[0])
    answer = author.post(
        site.apps[0],
        "/ckeditor5/image_upload/",
        {},
        files={"upload": ("ruecken.jpg", small_jpeg(), "image/jpeg")},
        headers={"X-CSRFToken": author.cookies["csrftoken"]},
    )
    assert answer.status == 200, answer.text
    url = answer.json()["url"]
    assert url.startswith("/media/")

    served = site.browser().get(site.https, path_of(url))

    assert served.status == 200
    assert served.header("Content-Type").startswith("image/")
    assert served.header("X-Content-Type-Options") == "nosniff"
    from PIL import Image

    assert Image.open(io.BytesIO(served.body)).size[0] > 0


def test_a_comment_posted_through_one_server_is_approved_through_the_other(site):
    first, second = site.apps
    if "morgens-locker-werden" not in site.browser().get(site.https, "/").text:
        pytest.skip("needs the article of the publishing test")
    path = "/blog/morgens-locker-werden/"
    reader = site.browser()
    page = reader.get(first, path)
    form = next(f for f in forms_in(page.text) if "body" in f.fields)
    time.sleep(3.1)  # a person takes a moment to write; the form insists on it
    sent = reader.post(
        first,
        form.action,
        {
            **form.fields,
            "name": "Paula",
            "email": "paula@example.de",
            "body": "Danke, das mache ich jetzt jeden Morgen!",
        },
    )
    assert sent.status == 302, sent.text[:3000]
    comment_id = pending_comment_id(site, "Danke, das mache ich jetzt jeden Morgen!")
    assert "jeden Morgen" not in site.browser().get(second, path).text

    author = logged_in_author(site, second)
    changelist = "/admin/comments/comment/"
    listed = author.get(second, changelist)
    token = forms_in(listed.text)[-1].fields["csrfmiddlewaretoken"]
    approved = author.post(
        second,
        changelist,
        {
            "csrfmiddlewaretoken": token,
            "action": "approve",
            "_selected_action": str(comment_id),
            "index": "0",
        },
    )
    assert approved.status == 302, approved.text[:3000]

    for server in (first, second, site.https):
        assert "Danke, das mache ich jetzt jeden Morgen!" in site.browser().get(server, path).text
    # The worker sent the author her notice of the new comment.
    wait_for(lambda: any(site.folder.joinpath("mail").iterdir()), "the notice mail", 20)


def pending_comment_id(site: Site, body: str) -> int:
    import psycopg

    url = urlsplit(site.environment["DATABASE_URL"])
    with psycopg.connect(
        host=url.hostname,
        port=url.port,
        user=url.username,
        password=url.password,
        dbname=url.path.lstrip("/"),
    ) as connection:
        row = connection.execute(
            "SELECT id, status FROM comments_comment WHERE body = %s", [body]
        ).fetchone()
    assert row is not None and row[1] == "pending", row
    return row[0]


# -- one client address everywhere ----------------------------------------------------------


def login(browser: Browser, site: Site, password: str, *, forged: str) -> int:
    """One login through nginx, with a forged X-Forwarded-For the proxy appends to."""
    page = browser.get(site.https, "/admin/login/?next=/admin/", **{"X-Forwarded-For": forged})
    form = forms_in(page.text)[-1]
    return browser.post(
        site.https,
        "/admin/login/?next=/admin/",
        {**form.fields, "username": "admin", "password": password},
        headers={"X-Forwarded-For": forged},
    ).status


def test_wrong_passwords_from_one_address_do_not_lock_out_the_author_at_another(site):
    attacker, author = site.browser("127.0.0.2"), site.browser("127.0.0.3")
    statuses = [
        # She even claims to be the author's address; nginx appends her real one.
        login(attacker, site, "falsch", forged="127.0.0.3")
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]

    assert login(author, site, ADMIN_PASSWORD, forged="203.0.113.50") == 302
    assert login(attacker, site, ADMIN_PASSWORD, forged="127.0.0.3") == 429


# -- what the operator sees -----------------------------------------------------------------


def test_the_access_log_shows_each_responses_duration_and_the_page_caches_answer(site):
    reader = site.browser()
    for _ in range(3):
        reader.get(site.apps[0], "/")
    time.sleep(0.5)
    lines = [line for line in site.log("app1").splitlines() if '"GET / HTTP/1.1"' in line]
    assert lines
    assert re.search(r'"GET / HTTP/1.1" 200 \d+ \d+\.\d{6}s cache=hit$', lines[-1]), lines[-1]
    assert "127.0.0.1" not in lines[-1]  # no client addresses in the app servers' log
