"""`LOG_FORMAT=json`: one JSON object per line, for log collectors (Loki, Elasticsearch, ...).

Used by Django's LOGGING and by deploy/gunicorn.conf.py for gunicorn's own and access logs, so
that every line the site writes has the same shape. An access line carries the request's method,
path, status, size, duration and the page cache's answer (X-Page-Cache) as fields of their own;
it has no client address (nginx's log holds that).
"""

import json
import logging
from datetime import UTC, datetime

# gunicorn's access log atoms (see its access_log_format) -> our field names.
ACCESS_FIELDS = {
    "m": "method",
    "U": "path",
    "q": "query",
    "H": "protocol",
    "s": "status",
    "B": "bytes",
    "{x-page-cache}o": "page_cache",
}
# LogRecord attributes that are not extra fields given by the caller.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry.update(self._access(record.args))
        else:
            entry["message"] = record.getMessage()
            for key, value in vars(record).items():
                if key not in _STANDARD and not key.startswith("_"):
                    entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

    @staticmethod
    def _access(atoms: dict) -> dict:
        fields = {name: atoms.get(atom) for atom, name in ACCESS_FIELDS.items() if atom in atoms}
        for name in ("status", "bytes"):
            if str(fields.get(name, "")).isascii() and str(fields.get(name, "")).isdigit():
                fields[name] = int(fields[name])
        if "D" in atoms:  # microseconds, as gunicorn measures them
            fields["duration_ms"] = round(int(atoms["D"]) / 1000, 2)
        for name, value in fields.items():
            if value in ("-", ""):
                fields[name] = None  # gunicorn's "not there"
        fields["message"] = (
            f"{fields.get('method')} {fields.get('path')} {fields.get('status')}"
            f" {fields.get('duration_ms')} ms"
        )
        return fields
