"""The DSGVO rights of access (Art. 15) and erasure (Art. 17) for one e-mail address.

Every app that stores personal data registers its part from its AppConfig.ready(): a function
that exports what it keeps about an address and one that erases it. The command line, the admin
and the visitor's own "Meine Daten" page all go through the two functions below, so one export
and one erasure cover every place.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class PersonalData:
    """One app's part: `export(email)` gives JSON-ready rows, `erase(email)` how many it erased."""

    export_key: str
    export: Callable[[str], list]
    erase_key: str
    erase: Callable[[str], int]


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
