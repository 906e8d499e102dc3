"""Numbers that come from a request: page numbers, ids in hidden inputs and query strings.

`int()` and `str.isdigit()` disagree on what a digit is: "²" passes `isdigit()` but not `int()`,
and `int()` itself accepts "١٢", "１２", "1_000" and " 7 ". Every number a visitor can type is
read here: ASCII digits only, a bounded length, or nothing.
"""

# 18 digits stay below 2**63, the largest id any database here stores.
MAX_DIGITS = 18


def positive_int(raw, *, max_digits: int = MAX_DIGITS) -> int | None:
    """`raw` as a whole number of at most `max_digits` ASCII digits, else None."""
    if not isinstance(raw, str) or not 0 < len(raw) <= max_digits:
        return None
    if not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)
