"""Taking the newsletter list over from Mailchimp or any CSV file, with its proof of consent.

A row becomes a confirmed subscriber only with a complete double opt-in proof: the time of the
signup, the time of the confirmation (not before the signup) and the IP address the
confirmation link was clicked from. A row without it is never mailed: it is skipped, or, with
`--without-proof pending`, stored as pending (no e-mail goes out; the daily
purge_unconfirmed_subscribers removes it 30 days after the import unless the person signs up
again on the new site). Unsubscribed and cleaned rows are stored as unsubscribed, so they stay
off the list for good.

The whole file is read and checked before anything is written; the rows are then written in one
transaction (rolled back on a dry run).

Mailchimp's audience export is a ZIP with one CSV per status: subscribed_…csv, unsubscribed_…csv
(with UNSUB_TIME) and cleaned_…csv (with CLEAN_TIME); import each. Its times are UTC.
A generic CSV has the columns email, first_name, status, consent_at, consent_ip, confirmed_at,
confirmed_ip (and optionally unsubscribed_at); times as ISO 8601 (2019-03-04 10:22:31, with or
without an offset; without one they are read in the site's time zone) or German
(04.03.2019 10:22).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ratelimit import valid_ip
from newsletter.models import ImportSource, Subscriber
from newsletter.services import subscriber_import
from wordpress.report import Report

MAX_FILE_BYTES = 50 * 1024 * 1024
UTC = ZoneInfo("UTC")

MAILCHIMP_COLUMNS = {
    "email": "Email Address",
    "first_name": "First Name",
    "consent_at": "OPTIN_TIME",
    "consent_ip": "OPTIN_IP",
    "confirmed_at": "CONFIRM_TIME",
    "confirmed_ip": "CONFIRM_IP",
}
GENERIC_COLUMNS = {name: name for name in (
    "email", "first_name", "status", "consent_at", "consent_ip", "confirmed_at", "confirmed_ip",
    "unsubscribed_at",
)}  # fmt: skip
# Words a generic file may use in its status column.
UNSUBSCRIBED_WORDS = {"unsubscribed", "cleaned", "abgemeldet", "bounced", "ausgetragen"}
PENDING_WORDS = {"pending", "unconfirmed", "ausstehend"}


class SubscriberFileError(Exception):
    """The file cannot be imported; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    line: int
    email: str
    first_name: str
    status: str
    signed_up_at: datetime | None
    signup_ip: str | None
    confirmed_at: datetime | None
    confirmation_ip: str | None
    unsubscribed_at: datetime | None


def parse_time(text: str, *, default_zone) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M:%S",
                    "%d.%m.%Y %H:%M", "%Y-%m-%d", "%d.%m.%Y"):  # fmt: skip
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=default_zone)
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=default_zone)


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SubscriberFileError(
            _("The file %(path)s cannot be read: %(error)s")
            % {"path": path, "error": error.strerror or error}
        ) from error
    if size == 0:
        raise SubscriberFileError(_("The file is empty."))
    if size > MAX_FILE_BYTES:
        raise SubscriberFileError(
            _("The file is larger than %(size)d MB; that is no newsletter list.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise SubscriberFileError(_("The file is not a CSV text file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Germany saves CSV files as Windows-1252.
        return data.decode("cp1252", errors="replace")


def read_rows(path: Path, *, file_format: str, report: Report) -> list[Row]:
    """Every row of the file, checked; problems with single rows go into the report."""
    text = _read_text(path)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = [h.strip() for h in reader.fieldnames or []]
    columns = MAILCHIMP_COLUMNS if file_format == "mailchimp" else GENERIC_COLUMNS
    by_lower = {h.lower(): h for h in headers}
    found = {key: by_lower.get(name.lower()) for key, name in columns.items()}
    if not found["email"]:
        raise SubscriberFileError(
            _("The file has no column %(column)s. Columns found: %(found)s.")
            % {"column": columns["email"], "found": ", ".join(headers[:12]) or "–"}
        )
    zone = UTC if file_format == "mailchimp" else ZoneInfo(settings.TIME_ZONE)
    if file_format == "mailchimp":
        unsubscribed_column = by_lower.get("unsub_time") or by_lower.get("clean_time")
        file_status = "unsubscribed" if unsubscribed_column else "subscribed"
    rows, seen = [], set()
    report.rows_read = 0
    try:
        for line, raw in enumerate(reader, start=2):
            record = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}

            def value(key, record=record):
                return record.get(found.get(key) or "", "")

            email = value("email")
            if not email and not any(record.values()):
                continue
            report.rows_read += 1
            try:
                validate_email(email)
            except ValidationError:
                report.skip(
                    "subscribers",
                    _("not a valid e-mail address"),
                    email[:80] or _("line %(line)d") % {"line": line},
                )
                continue
            if email.lower() in seen:
                report.skip("subscribers", _("twice in the file"), email)
                continue
            seen.add(email.lower())
            if file_format == "mailchimp":
                status = file_status
                unsubscribed_at = parse_time(
                    record.get(unsubscribed_column or "", ""), default_zone=zone
                )
            else:
                status = value("status").lower() or "subscribed"
                unsubscribed_at = parse_time(value("unsubscribed_at"), default_zone=zone)
            rows.append(
                Row(
                    line=line,
                    email=email,
                    first_name=value("first_name"),
                    status=status,
                    signed_up_at=parse_time(value("consent_at"), default_zone=zone),
                    signup_ip=valid_ip(value("consent_ip")),
                    confirmed_at=parse_time(value("confirmed_at"), default_zone=zone),
                    confirmation_ip=valid_ip(value("confirmed_ip")),
                    unsubscribed_at=unsubscribed_at,
                )
            )
    except csv.Error as error:
        raise SubscriberFileError(
            _("The file is not a readable CSV file (line %(line)d: %(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from error
    return rows


def has_proof(row: Row) -> bool:
    """A complete double opt-in: signed up, confirmed afterwards, from a known address."""
    return bool(
        row.signed_up_at
        and row.confirmed_at
        and row.confirmed_at >= row.signed_up_at
        and row.confirmation_ip
    )


class _DryRunDone(Exception):
    pass


def import_subscribers(
    path: Path, *, file_format: str, dry_run: bool = False, without_proof: str = "skip", now=None
) -> Report:
    """Import the list in `path` (see the module docstring); raises SubscriberFileError."""
    now = now or timezone.now()
    report = Report(dry_run=dry_run)
    rows = read_rows(path, file_format=file_format, report=report)
    source = ImportSource.MAILCHIMP if file_format == "mailchimp" else ImportSource.GENERIC
    statuses = {"confirmed": 0, "pending": 0, "unsubscribed": 0}
    try:
        with transaction.atomic():
            for row in rows:
                status = _status(row, without_proof)
                if status is None:
                    report.skip(
                        "subscribers",
                        _("no complete double opt-in proof (never mailed)"),
                        row.email,
                    )
                    continue
                outcome = subscriber_import(
                    email=row.email,
                    first_name=row.first_name,
                    status=status,
                    # A pending row counts its 30 days until the purge from the import.
                    signed_up_at=now if status == "pending" else (row.signed_up_at or now),
                    signup_ip=row.signup_ip,
                    confirmed_at=row.confirmed_at if status != "pending" else None,
                    confirmation_ip=row.confirmation_ip if status != "pending" else None,
                    unsubscribed_at=(row.unsubscribed_at or now)
                    if status == Subscriber.Status.UNSUBSCRIBED
                    else None,
                    import_source=source,
                    import_file=path.name[:255],
                    now=now,
                )
                if outcome == "exists":
                    report.skip(
                        "subscribers", _("signed up on this site already (kept)"), row.email
                    )
                    continue
                report.count("subscribers", outcome)
                statuses[status] += 1
            if dry_run:
                raise _DryRunDone
    except _DryRunDone:
        pass
    report.summary = [
        _(
            "%(file)s: %(rows)d rows. Confirmed: %(confirmed)d, pending (no e-mail sent): "
            "%(pending)d, unsubscribed: %(unsubscribed)d."
        )
        % {"file": path.name, "rows": report.rows_read, **statuses}
    ]
    return report


def _status(row: Row, without_proof: str) -> str | None:
    if row.status in UNSUBSCRIBED_WORDS or row.unsubscribed_at is not None:
        return Subscriber.Status.UNSUBSCRIBED
    if row.status not in PENDING_WORDS and has_proof(row):
        return Subscriber.Status.CONFIRMED
    if without_proof == "pending":
        return Subscriber.Status.PENDING
    return None
