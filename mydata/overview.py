"""An export (core.privacy) made readable: one section per registered part.

A part is shown with its own template if there is one (the part's `template`, or
templates/mydata/parts/<export key>.html), otherwise as a plain list of fields, so a part that
an app registers later shows up without changes here.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import select_template
from django.utils.translation import gettext_lazy as _

from core.privacy import personal_data_parts

# Titles for parts registered without one.
FALLBACK_TITLES = {"consultation_requests": _("Consultation requests")}
# What a reader looks for first; other parts follow in the order they were registered.
FIRST = ["newsletter_subscriptions", "comments", "consultation_requests"]


@dataclass
class Section:
    key: str
    title: str
    template: str
    rows: list


def _readable(value, key: str = ""):
    """Times (ISO strings in fields named *_at) as datetimes; nested rows the same way."""
    if isinstance(value, dict):
        return {k: _readable(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable(v) for v in value]
    if isinstance(value, str) and key.endswith("_at"):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _title(part) -> str:
    if part.title:
        return part.title
    return FALLBACK_TITLES.get(part.export_key) or part.export_key.replace("_", " ").capitalize()


def plain_fields(row) -> list[tuple[str, object]]:
    """A row of a part without its own template, as (label, value) pairs."""
    if not isinstance(row, dict):
        return [("", row)]
    fields = []
    for key, value in row.items():
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False, default=str)
        fields.append((key.replace("_", " ").capitalize(), value))
    return fields


def _ordered_parts():
    return sorted(
        personal_data_parts(),
        key=lambda part: FIRST.index(part.export_key) if part.export_key in FIRST else len(FIRST),
    )


def erase_notes(export: dict) -> list[str]:
    """What erasing will do, in words, for each part that holds something."""
    notes = []
    for part in _ordered_parts():
        if not export.get(part.export_key):
            continue
        if part.erase_note is not None:
            notes.append(str(part.erase_note()))
        else:
            notes.append(str(_("%(title)s: all of it;") % {"title": _title(part)}))
    return notes


def data_sections(export: dict) -> tuple[list[Section], list[str]]:
    """The parts that hold something, as sections; and the titles of those that hold nothing."""
    sections, empty = [], []
    for part in _ordered_parts():
        rows = export.get(part.export_key) or []
        if not rows:
            empty.append(_title(part))
            continue
        template = select_template(
            [name for name in (part.template, f"mydata/parts/{part.export_key}.html") if name]
            + ["mydata/parts/generic.html"]
        )
        rows = _readable(rows)
        if template.template.name == "mydata/parts/generic.html":
            rows = [plain_fields(row) for row in rows]
        sections.append(Section(part.export_key, _title(part), template.template.name, rows))
    return sections, empty
