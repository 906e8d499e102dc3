"""The DSGVO rights of access (Art. 15) and erasure (Art. 17) for one e-mail address.

Every app that stores personal data registers its part from its AppConfig.ready(): a function
that exports what it keeps about an address and one that erases it. The command line, the admin
and the visitor's own "Meine Daten" page all go through the two functions below, so one export
and one erasure cover every place.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class PersonalData:
    """One app's part: `export(email)` gives JSON-ready rows, `erase(email)` how many it erased.

    The optional fields are for people rather than programs ("Meine Daten", the admin):
    `title` names the part, `template` shows its rows (otherwise a plain listing),
    `erase_note()` says in words what erasing will do (for the visitor's confirmation),
    `erased(count)` says in words what erasing did, and `unsubscribe(email)` stops every e-mail
    the part sends to the address (how many things it stopped). `counts_as_stored` False marks
    a part that only holds traces of privacy requests themselves, which alone are no reason to
    answer "we have data about you".
    """

    export_key: str
    export: Callable[[str], list]
    erase_key: str
    erase: Callable[[str], int]
    title: str = ""
    template: str = ""
    erase_note: Callable[[], str] | None = None
    erased: Callable[[int], str] | None = None
    unsubscribe: Callable[[str], int] | None = None
    counts_as_stored: bool = True


_parts: dict[str, PersonalData] = {}


def register(part: PersonalData) -> None:
    """Add an app's part (called from its AppConfig.ready(); registering again replaces it)."""
    _parts[part.export_key] = part


def personal_data_export(email: str) -> dict:
    """Everything stored about `email`, as JSON-ready data, one key per registered part."""
    email = (email or "").strip()
    data = {"email": email, "exported_at": timezone.now().isoformat()}
    for part in _parts.values():
        data[part.export_key] = list(part.export(email)) if email else []
    return data


def personal_data_json(data) -> str:
    """An export (or a list of them) as the JSON file that the admin and "Meine Daten" hand out."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def personal_data_erase(email: str) -> dict[str, int]:
    """Erase `email` from every registered part, all or nothing; how many rows each erased."""
    email = (email or "").strip()
    if not email:
        return {part.erase_key: 0 for part in _parts.values()}
    with transaction.atomic():
        return {part.erase_key: int(part.erase(email) or 0) for part in _parts.values()}


def personal_data_found(export: dict) -> dict[str, int]:
    """How many rows each part of an export holds (for confirmations: "2 comments, ...")."""
    return {part.export_key: len(export.get(part.export_key, [])) for part in _parts.values()}


def personal_data_parts() -> list[PersonalData]:
    """The registered parts, in the order they were registered."""
    return list(_parts.values())


def personal_data_stored(email: str) -> bool:
    """Whether any part that counts holds something about `email`."""
    email = (email or "").strip()
    return bool(email) and any(
        part.export(email) for part in _parts.values() if part.counts_as_stored
    )


def personal_data_unsubscribe(email: str) -> dict[str, int]:
    """Stop every e-mail any part sends to `email`, all or nothing; how many each stopped."""
    email = (email or "").strip()
    parts = [part for part in _parts.values() if part.unsubscribe is not None]
    if not email:
        return {part.export_key: 0 for part in parts}
    with transaction.atomic():
        return {part.export_key: int(part.unsubscribe(email) or 0) for part in parts}


def personal_data_erase_summary(result: dict[str, int]) -> list[str]:
    """What an erasure did, in words, one line per part (its `erased` text or key and count)."""
    by_erase_key = {part.erase_key: part for part in _parts.values()}
    lines = []
    for key, count in result.items():
        part = by_erase_key.get(key)
        if part is not None and part.erased is not None:
            lines.append(str(part.erased(count)))
        else:
            lines.append(f"{key.replace('_', ' ')}: {count}")
    return lines
