"""What deploy/ holds stays complete: every setting in the environment example, units that fit."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"

# The environment variables of the public contract (DESIGN.md), some read by parts of the site
# that other settings modules add (object storage, the second factor).
CONTRACT = """SECRET_KEY DEBUG ALLOWED_HOSTS CSRF_TRUSTED_ORIGINS DATABASE_URL REDIS_URL MEDIA_ROOT
STATIC_ROOT SITE_URL EMAIL_BACKEND EMAIL_FILE_PATH EMAIL_HOST EMAIL_PORT EMAIL_HOST_USER
EMAIL_HOST_PASSWORD EMAIL_USE_TLS DEFAULT_FROM_EMAIL AUTHOR_EMAIL ADMIN_PASSWORD TASKS_BACKEND
SECURE_SSL_REDIRECT RATE_LIMITS PROXY_COUNT SECRET_KEY_FALLBACKS MEDIA_STORAGE S3_BUCKET
S3_PRIVATE_BUCKET S3_ENDPOINT_URL S3_REGION S3_ACCESS_KEY_ID S3_SECRET_ACCESS_KEY MEDIA_URL
ADMIN_2FA SENTRY_DSN LOG_FORMAT ADMINS""".split()
# Read by the settings, but not for a production server.
NOT_FOR_PRODUCTION = {"SQLITE_TEST_NAME"}
READ_IN_SETTINGS = re.compile(
    r"""(?:environ\.get|env_bool|env_list|env_admins)\(\s*"([A-Z0-9_]+)"""
)


def example_variables() -> dict[str, str]:
    variables = {}
    for line in (DEPLOY / "feelmove.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            variables[name] = value
    return variables


def test_the_environment_example_names_every_variable_the_site_reads():
    read = set(READ_IN_SETTINGS.findall((ROOT / "feelmove" / "settings.py").read_text()))
    read |= set(READ_IN_SETTINGS.findall((DEPLOY / "gunicorn.conf.py").read_text()))
    missing = (read | set(CONTRACT)) - NOT_FOR_PRODUCTION - set(example_variables())
    assert not missing, f"missing in deploy/feelmove.env.example: {sorted(missing)}"


def test_the_environment_example_is_a_production_setup():
    variables = example_variables()
    assert variables["DEBUG"] == "0"
    assert variables["PROXY_COUNT"] == "1"
    assert variables["TASKS_BACKEND"] == "database"
    assert variables["DATABASE_URL"].startswith("postgres://")
    assert variables["REDIS_URL"].startswith("redis://")


def test_each_unit_reads_the_environment_file_and_runs_in_the_project_folder():
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text()
        assert "EnvironmentFile=/etc/feelmove/feelmove.env" in text, unit.name
        assert "WorkingDirectory=/srv/feelmove/app" in text, unit.name
        assert "User=feelmove" in text, unit.name


def test_every_timer_has_its_service():
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert timer.with_suffix(".service").exists(), timer.name


def test_the_web_unit_starts_gunicorn_with_the_projects_configuration():
    text = (DEPLOY / "systemd" / "feelmove-web.service").read_text()
    assert "gunicorn -c deploy/gunicorn.conf.py feelmove.wsgi" in text
