"""What a site shows and holds, for comparing a restored site with the one backed up.

`site_snapshot()` renders every page a reader can reach (every URL of the sitemap plus the fixed
pages), fetches the guide through a download link, counts the rows of every table and hashes
every stored file. Parts that differ on every render (CSRF tokens, CSP nonces, the forms'
render-time tokens) are blanked out.

Run as a script inside a configured site, it writes the snapshot as JSON:

    DATABASE_URL=... MEDIA_STORAGE=... python -m tests.feelmove.site_snapshot OUT.json
"""

import hashlib
import json
import re
import sys
from urllib.parse import urlsplit

FIXED_PAGES = [
    "/",
    "/?page=2",
    "/suche/?q=Faszien",
    "/suche/?q=R%C3%BCcken",
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/robots.txt",
    "/newsletter/",
    "/gratis-guide/",
    "/kontakt/",
    "/meine-daten/",
    "/impressum/",
    "/datenschutz/",
]
# Values that are new on every render.
VARYING = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"'), r'\1"'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'(name="ts"[^>]*value=")[^"]*"'), r'\1"'),
    (re.compile(r'(value=")[^"]*("[^>]*name="ts")'), r"\1\2"),
]


def normalised(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    for pattern, replacement in VARYING:
        text = pattern.sub(replacement, text)
    return text


def _sitemap_paths(client) -> list[str]:
    response = client.get("/sitemap.xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    paths = []
    for location in locations:
        parts = urlsplit(location)
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def pages(client) -> dict[str, dict]:
    from django.core.cache import caches

    shown = {}
    for path in dict.fromkeys(FIXED_PAGES + _sitemap_paths(client)):
        for cache in caches.all():
            cache.clear()
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        shown[path] = {"status": response.status_code, "body": normalised(body)}
    return shown


def guide_download(client) -> str | None:
    from django.urls import reverse

    from newsletter import tokens
    from newsletter.models import Subscriber

    subscriber = Subscriber.objects.confirmed().order_by("pk").first()
    if subscriber is None:
        return None
    # The download button's POST: opening the link (GET) only shows the button.
    response = client.post(
        reverse("newsletter:guide_download", args=[tokens.download_token(subscriber)])
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return f"{response.status_code} {hashlib.sha256(body).hexdigest()}"


def counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy
    }


def files() -> dict[str, dict[str, str]]:
    from concurrent.futures import ThreadPoolExecutor

    from django.core.files.storage import default_storage, storages

    from core.storage import storage_files

    def digest(storage, name):
        with storage.open(name, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()

    found = {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        for folder, storage in (("media", default_storage), ("private", storages["private"])):
            names = list(storage_files(storage))
            hashes = pool.map(digest, [storage] * len(names), names)
            found[folder] = dict(zip(names, hashes, strict=True))
    return found


def page_differences(before: dict, after: dict) -> str:
    """A readable account of the pages that differ ("" when all are the same)."""
    import difflib

    report = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        if old is None or new is None or old["status"] != new["status"]:
            report.append(f"{path}: {old and old['status']} -> {new and new['status']}")
            continue
        diff = difflib.unified_diff(
            old["body"].splitlines(), new["body"].splitlines(), lineterm="", n=1
        )
        report.append(f"{path}:\n" + "\n".join(list(diff)[2:30]))
    return "\n\n".join(report)


def site_snapshot() -> dict:
    from django.test import Client

    client = Client()
    return {
        "pages": pages(client),
        "guide_download": guide_download(client),
        "counts": counts(),
        "files": files(),
    }


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "feelmove.settings")

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client, and "testserver" among ALLOWED_HOSTS
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(site_snapshot(), out, ensure_ascii=False, sort_keys=True)
