"""The German catalogues are complete and compiled; Django's own strings are all German too.

Two catalogues: django.po (templates, Python) and djangojs.po (JavaScript; the admin's
/admin/jsi18n/ merges it over Django's). Django's German lacks some strings of its admin; ours
has them (feelmove/django_strings.py and .js), and the tests below notice any new one.
"""

import ast
import gettext
import json
import re
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
DJANGO = Path(django.__file__).parent
# Django's catalogues of what the author can meet: forms and validation, the admin with its
# JavaScript, the user admin and logins, her pages (flatpages), dates (humanize).
DJANGO_CATALOGUES = [
    DJANGO / "conf" / "locale",
    DJANGO / "contrib" / "admin" / "locale",
    DJANGO / "contrib" / "auth" / "locale",
    DJANGO / "contrib" / "flatpages" / "locale",
    DJANGO / "contrib" / "humanize" / "locale",
]


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


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_has_a_german_translation(domain):
    missing = [
        e["msgid"]
        for e in read_po(CATALOGUE / f"{domain}.po")
        if not any(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert missing == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_translation_is_marked_fuzzy(domain):
    entries = read_po(CATALOGUE / f"{domain}.po")
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", ())]
    assert fuzzy == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_is_up_to_date(domain):
    with open(CATALOGUE / f"{domain}.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(CATALOGUE / f"{domain}.po"):
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


def django_strings(domain: str) -> list[dict]:
    """Every string of Django's catalogues the author can meet, from their English .po files."""
    entries = []
    for locale in DJANGO_CATALOGUES:
        path = locale / "en" / "LC_MESSAGES" / f"{domain}.po"
        if path.exists():
            entries += read_po(path)
    return entries


def unescape_po(text: str) -> str:
    # read_po keeps the .po escapes of quotes inside a msgid (\"Choose\"); gettext keys have none.
    return text.replace('\\"', '"')


def test_every_string_of_django_the_author_meets_is_german():
    """Django's German catalogue plus ours leaves no string of forms, admin or logins English."""
    untranslated = []
    with translation.override("de"):
        catalog = translation.trans_real.translation("de")._catalog
        for entry in django_strings("django"):
            msgid = unescape_po(entry["msgid"])
            key = f"{entry['msgctxt']}\x04{msgid}" if "msgctxt" in entry else msgid
            value = catalog.get((key, 0) if "msgid_plural" in entry else key)
            if not value:
                untranslated.append(msgid)
    assert untranslated == []


def test_the_admin_javascript_catalogue_is_all_german(admin_client):
    """/admin/jsi18n/ (the filter widget's “Choose all …”, the calendar) has no English left."""
    script = admin_client.get("/admin/jsi18n/").content.decode()
    served = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    untranslated = []
    for entry in django_strings("djangojs"):
        msgid = unescape_po(entry["msgid"])
        key = f"{entry['msgctxt']}\x04{msgid}" if "msgctxt" in entry else msgid
        value = served.get(key)
        if not value or (isinstance(value, list) and not all(value)):
            untranslated.append(msgid)
    assert untranslated == []
    assert served["Choose all %s"] == "Alle %s auswählen"


def test_dates_read_the_german_way():
    import datetime

    from django.utils import formats, translation

    with translation.override("de"):
        assert formats.date_format(datetime.date(2018, 1, 29)) == "29. Januar 2018"
