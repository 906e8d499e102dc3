"""Reading the demo's data files: TOML, checked against a small schema, errors naming the file.

A schema is a dict of field name → kind; a name ending in "?" may be left out. Kinds:
`"text"` (a non-empty string, stripped), `"prose"` (a non-empty string whose wrapped lines are
joined: a single line break is a space, a blank line separates paragraphs), `"template"` (a text
with `{placeholders}`, kept as written), `"int"`, `"number"`, `"bool"`, a nested dict (a table),
or a one-element list `[kind]` (a non-empty array of that kind). `check()` returns the data with
the strings cleaned, so a reader never sees a raw value.
"""

import tomllib
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"


class DemoContentError(Exception):
    """A demo content file is broken; the message names the file and the problem."""


def read_toml(path: Path) -> dict:
    if not path.is_file():
        raise DemoContentError(f"{path.name}: the file is missing (looked in {path.parent})")
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise DemoContentError(f"{path.name}: not valid TOML: {error}") from error


def unwrap(text: str) -> str:
    """Lines wrapped for a data file become flowing paragraphs, as a person would type them."""
    return "\n\n".join(" ".join(part.split()) for part in text.strip().split("\n\n"))


def check(path: Path, data, schema: dict, where: str = ""):
    """`data` checked against `schema`, with cleaned strings; a problem raises DemoContentError."""
    return _check(path, data, schema, where)


def _fail(path: Path, where: str, problem: str):
    raise DemoContentError(f"{path.name}: {where + ' ' if where else ''}{problem}")


def _check(path: Path, value, kind, where: str):
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            _fail(path, where, "must be a table")
        names = {key.rstrip("?"): key for key in kind}
        unknown = sorted(set(value) - set(names))
        if unknown:
            _fail(path, where, f"has unknown field(s) {', '.join(unknown)}")
        missing = sorted(n for n, key in names.items() if not key.endswith("?") and n not in value)
        if missing:
            _fail(path, where, f"lacks {', '.join(missing)}")
        return {
            name: _check(path, value[name], kind[key], f"{where}.{name}" if where else name)
            for name, key in names.items()
            if name in value
        }
    if isinstance(kind, list):
        (item,) = kind
        if not isinstance(value, list) or not value:
            _fail(path, where, "must be a non-empty list")
        return [_check(path, v, item, f"{where}[{n}]") for n, v in enumerate(value, start=1)]
    if kind in ("text", "prose", "template"):
        if not isinstance(value, str) or not value.strip():
            _fail(path, where, "must be a non-empty string")
        return {"text": value.strip(), "prose": unwrap(value), "template": value}[kind]
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            _fail(path, where, "must be a whole number")
        return value
    if kind == "number":
        if not isinstance(value, int | float) or isinstance(value, bool):
            _fail(path, where, "must be a number")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            _fail(path, where, "must be true or false")
        return value
    raise ValueError(f"unknown schema kind {kind!r}")


def check_template(path: Path, template: str, where: str, *names: str) -> None:
    """A `{placeholder}` text may only use `names`."""
    try:
        template.format(**dict.fromkeys(names, 1))
    except (KeyError, IndexError, ValueError) as error:
        _fail(
            path,
            where,
            f"{template!r} may only use the placeholders {', '.join('{' + n + '}' for n in names)}"
            f" ({type(error).__name__}: {error})",
        )


def check_printable(path: Path, data, encoding: str, where: str = "") -> None:
    """Every string in `data` can be printed by a PDF font in `encoding`."""
    if isinstance(data, str):
        try:
            data.encode(encoding)
        except UnicodeEncodeError as error:
            _fail(
                path,
                where,
                f"contains {data[error.start]!r}, which the PDF font cannot print ({encoding})",
            )
    elif isinstance(data, dict):
        for key, value in data.items():
            check_printable(path, value, encoding, f"{where}.{key}" if where else key)
    elif isinstance(data, list):
        for number, value in enumerate(data, start=1):
            check_printable(path, value, encoding, f"{where}[{number}]")
