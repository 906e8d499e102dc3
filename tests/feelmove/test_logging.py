"""LOG_FORMAT=json: one JSON object a line, for Django's logs and gunicorn's access lines alike."""

import json
import logging
import sys

from feelmove.logformat import JsonFormatter
from tests.feelmove.test_settings import PRODUCTION_ENV, run_python


def record(name="feelmove", message="Hallo %s", args=("Welt",), **extra):
    entry = logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(entry, key, value)
    return entry


def test_a_log_line_becomes_one_json_object_with_time_level_logger_and_message():
    line = JsonFormatter().format(record(status_code=503))
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "feelmove"
    assert entry["message"] == "Hallo Welt"
    assert entry["status_code"] == 503
    assert entry["time"].endswith("+00:00")


def test_an_exception_is_kept_in_the_same_line():
    try:
        raise ValueError("kaputt")
    except ValueError:
        entry = record()
        entry.exc_info = sys.exc_info()
    line = JsonFormatter().format(entry)
    assert "\n" not in line
    assert "ValueError: kaputt" in json.loads(line)["exception"]


def test_a_gunicorn_access_line_has_duration_status_and_the_page_caches_answer():
    atoms = {
        "m": "GET",
        "U": "/blog/faszien/",
        "q": "",
        "H": "HTTP/1.0",
        "s": "200",
        "B": "10957",
        "D": "2370",
        "{x-page-cache}o": "hit",
        "h": "127.0.0.1",
    }
    entry = json.loads(JsonFormatter().format(record("gunicorn.access", "%(m)s", atoms)))
    assert entry["method"] == "GET"
    assert entry["path"] == "/blog/faszien/"
    assert entry["status"] == 200
    assert entry["bytes"] == 10957
    assert entry["duration_ms"] == 2.37
    assert entry["page_cache"] == "hit"
    assert "127.0.0.1" not in json.dumps(entry)


def test_a_response_without_the_page_cache_header_says_so_with_null():
    atoms = {"m": "GET", "U": "/admin/", "s": "302", "D": "900", "{x-page-cache}o": "-"}
    entry = json.loads(JsonFormatter().format(record("gunicorn.access", "%(m)s", atoms)))
    assert entry["page_cache"] is None


def test_log_format_json_makes_the_sites_own_log_lines_json():
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('feelmove').warning('Ein Hinweis')"
    )
    result = run_python(code, {**PRODUCTION_ENV, "LOG_FORMAT": "json"})
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout.strip().splitlines()[-1])
    assert entry["message"] == "Ein Hinweis"


def test_an_unknown_log_format_is_a_clear_startup_error():
    result = run_python("import django; django.setup()", {**PRODUCTION_ENV, "LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "LOG_FORMAT must be 'text' or 'json'" in result.stderr
