"""The settings rules: production refuses a missing secret, `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from feelmove.settings import env_bool

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Q2-production-like-secret-key-9f8e7d6c5b4a3f2e1d0c9b8a7z6y5x4w3v",
    "ALLOWED_HOSTS": "feelmove.de",
    "SITE_URL": "https://feelmove.de",
}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean_env = {k: v for k, v in os.environ.items() if k not in dropped}
    clean_env.update(env)
    clean_env["DJANGO_SETTINGS_MODULE"] = "feelmove.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True
    )


def test_missing_secret_key_with_debug_off_is_a_clear_startup_error():
    result = run_python("import django; django.setup()", {"DEBUG": "0"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_on_runs_without_a_secret_key():
    result = run_python("import django; django.setup(); print('ok')", {"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_check_deploy_in_production_mode_prints_no_warning_and_silences_nothing():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'DEBUG'])",
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_mode_switches_on_secure_cookies_hsts_and_the_ssl_redirect():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER[0], s.SILENCED_SYSTEM_CHECKS)"
    )
    result = run_python(code, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "31536000",
        "True",
        "HTTP_X_FORWARDED_PROTO",
        "[]",
    ]


def test_the_ssl_redirect_can_be_switched_off_for_a_plain_http_run():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT)"
    )
    result = run_python(code, {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "0"})
    assert result.stdout.strip() == "False"


def test_database_url_selects_postgresql_and_redis_url_selects_the_redis_cache():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'],"
        " s.CACHES['default']['BACKEND'])"
    )
    result = run_python(
        code,
        {
            **PRODUCTION_ENV,
            "DATABASE_URL": "postgres://feel:pw@db.internal:5432/feelmove",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert result.returncode == 0, result.stderr
    engine, name, cache = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert name == "feelmove"
    assert cache == "core.cache.RedisCache"  # Django's RedisCache with short timeouts


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("ON", True),
        ("yes", True),
        ("0", False),
        ("False", False),
        ("off", False),
        ("no", False),
    ],
)
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FEELMOVE_FLAG", raw)
    assert env_bool("FEELMOVE_FLAG", not expected) is expected


def test_a_boolean_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("FEELMOVE_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FEELMOVE_FLAG"):
        env_bool("FEELMOVE_FLAG", False)


def test_the_site_speaks_german_in_berlin_time(settings):
    assert settings.LANGUAGE_CODE == "de"
    assert settings.TIME_ZONE == "Europe/Berlin"
    assert settings.USE_I18N is True
