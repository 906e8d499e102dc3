"""What an import did, counted per kind, with every reason for a skip, for the person running it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OUTCOMES = ("imported", "updated", "unchanged", "skipped")

KIND_LABELS = {
    "authors": gettext_lazy("Authors"),
    "categories": gettext_lazy("Categories"),
    "tags": gettext_lazy("Tags"),
    "articles": gettext_lazy("Articles"),
    "pages": gettext_lazy("Pages"),
    "files": gettext_lazy("Files"),
    "comments": gettext_lazy("Comments"),
    "other": gettext_lazy("Other entries"),
    "subscribers": gettext_lazy("Subscribers"),
    "redirects": gettext_lazy("Redirects"),
}
OUTCOME_LABELS = {
    "imported": gettext_lazy("imported"),
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
    "skipped": gettext_lazy("skipped"),
}
# How many examples a reason or a list shows before "... and N more".
EXAMPLES = 5


@dataclass
class Report:
    """Counts per kind and outcome, reasons for skips, and what needs a look after the import."""

    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # kind -> reason -> examples
    reasons: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unknown_shortcodes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    removed_blocks: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    missing_files: dict[str, str] = field(default_factory=dict)  # path -> why / where
    refused_files: dict[str, str] = field(default_factory=dict)
    external_images: dict[str, str] = field(default_factory=dict)
    created_users: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    rows_read: int = 0

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def skip(self, kind: str, reason: str, example: str = "") -> None:
        self.counts[kind]["skipped"] += 1
        self.reasons[kind][str(reason)].append(example)

    def note(self, message: str, example: str = "") -> None:
        self.notes[str(message)].append(example)

    def total(self, kind: str, outcome: str) -> int:
        return self.counts.get(kind, Counter()).get(outcome, 0)

    # -- rendering ------------------------------------------------------------------------

    def render(self) -> str:
        lines: list[str] = []
        if self.dry_run:
            lines.append(_("DRY RUN: nothing was saved. This is what a real run would do."))
            lines.append("")
        lines.extend(self.summary)
        if self.summary:
            lines.append("")
        width = max(len(str(label)) for label in KIND_LABELS.values())
        for kind, label in KIND_LABELS.items():
            counts = self.counts.get(kind)
            if not counts:
                continue
            parts = [
                f"{counts[outcome]} {OUTCOME_LABELS[outcome]}"
                for outcome in OUTCOMES
                if counts.get(outcome)
            ]
            lines.append(f"{str(label) + ':':<{width + 1}} {', '.join(parts)}")
            for reason, examples in self.reasons.get(kind, {}).items():
                lines.append(f"    - {reason}: {len(examples)}{_examples(examples)}")
        sections = [
            (_("Notes"), {m: e for m, e in self.notes.items()}),
            (
                _("Shortcodes removed (their text was kept; check these articles)"),
                self.unknown_shortcodes,
            ),
            (_("Blocks without content of their own removed"), self.removed_blocks),
        ]
        for title, entries in sections:
            if not entries:
                continue
            lines += ["", f"{title}:"]
            for name, examples in sorted(entries.items()):
                lines.append(f"    - {name}: {len(examples)}{_examples(examples)}")
        for title, files in (
            (_("Missing files (referenced, but not found)"), self.missing_files),
            (_("Files refused by the checks"), self.refused_files),
            (_("Images from other sites removed (a page loads nothing from other hosts)"),
             self.external_images),
        ):  # fmt: skip
            if not files:
                continue
            lines += ["", f"{title}: {len(files)}"]
            for path, why in sorted(files.items()):
                lines.append(f"    - {path} ({why})")
        if self.created_users:
            lines += [
                "",
                _("User accounts created (set a password with: manage.py changepassword NAME):"),
            ]
            lines += [f"    - {name}" for name in self.created_users]
        return "\n".join(lines)


def _examples(examples: list[str]) -> str:
    shown = [e for e in dict.fromkeys(examples) if e][:EXAMPLES]
    if not shown:
        return ""
    more = len([e for e in dict.fromkeys(examples) if e]) - len(shown)
    text = ", ".join(shown)
    if more > 0:
        text += " " + _("and %(count)d more") % {"count": more}
    return f" ({text})"
