"""The German catalogue is complete and its compiled .mo matches the .po in the repo."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"


def read_po(path: Path) -> list[dict]:
    """A small .po reader: entries with msgid, msgid_plural, msgstr(s) and flags."""
    entries, entry, field = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, field = {}, None
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
    return [e for e in entries if e.get("msgid")]


def test_every_string_has_a_german_translation():
    missing = [
        e["msgid"]
        for e in read_po(CATALOGUE / "django.po")
        if not any(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert missing == []


def test_no_translation_is_marked_fuzzy():
    fuzzy = [e["msgid"] for e in read_po(CATALOGUE / "django.po") if "fuzzy" in e.get("flags", ())]
    assert fuzzy == []


def test_the_compiled_catalogue_is_up_to_date():
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(CATALOGUE / "django.po"):
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            want = entry["msgstr[0]"]
        elif context:
            got = compiled.pgettext(context, entry["msgid"])
            want = entry["msgstr"]
        else:
            got, want = compiled.gettext(entry["msgid"]), entry["msgstr"]
        if got != want:
            stale.append(entry["msgid"])
    assert stale == [], "run `make messages` to compile the catalogue"


def test_dates_read_the_german_way():
    import datetime

    from django.utils import formats, translation

    with translation.override("de"):
        assert formats.date_format(datetime.date(2018, 1, 29)) == "29. Januar 2018"
