"""Fixtures every test shares: a temporary MEDIA_ROOT, a fresh cache, the browser, and S3."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make there
# are still synchronous, so Django's async-safety guard would only get in the way.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).parent / "browser" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3 server on a free port for the whole run (see tests/s3server.py)."""
    from tests.s3server import S3Server

    server = S3Server(log_path=tmp_path_factory.mktemp("s3") / "moto.log").start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server):
    """Public and private media in two fresh S3 buckets, as with MEDIA_STORAGE=s3."""
    buckets = s3_server.create_buckets()
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = s3_server.storages_setting(buckets, settings.STORAGES["staticfiles"])
    yield buckets
    s3_server.delete_buckets(buckets)


@pytest.fixture(params=["local", "s3"])
def media_storage(request):
    """Run a test once with media in a local folder and once in S3; gives "local" or "s3"."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return request.param


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import caches

    from core import pagecache

    for cache in caches.all():
        cache.clear()
    pagecache.local_pages.clear()
    pagecache._routes.clear()
    yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Hashing strength is Django's business, not ours; MD5 keeps logins in tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def second_factor_off(settings):
    # As in development: admin tests log in with the password alone. Tests of the second factor
    # switch it on themselves.
    settings.ADMIN_2FA = False


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def chromium_path():
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return CHROMIUM
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM} (apt-get install chromium)")
    pytest.skip(f"No Chromium at {CHROMIUM}: browser tests skipped (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under tests/browser/screenshots/<name>.png."""

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


AUTORIN_PASSWORD = "Faszien-und-Ruecken-2026"


@pytest.fixture
def autorin(db, django_user_model):
    """A staff user in the group Autorin (the author's role, made by a migration); no superuser."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "autorin",
        "autorin@example.org",
        AUTORIN_PASSWORD,
        first_name="Jana",
        last_name="Berger",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Autorin"))
    return user


@pytest.fixture
def autorin_client(client, autorin):
    client.force_login(autorin)
    return client
