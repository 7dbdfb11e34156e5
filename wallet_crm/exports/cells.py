"""What may go into a spreadsheet cell that someone else will open.

User text (names, notes, remarks) could start with `=`, `+`, `-` or `@` and run as a formula in Excel
(CSV/formula injection). Every text value is written as a string cell, never a formula, and control
characters that Excel rejects or hides are removed.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """Drop control characters (keeping tab, line feed and carriage return)."""
    if value.isprintable():  # almost every cell: one C scan is a third of the regex's cost
        return value
    return _CONTROL.sub("", value)


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)
