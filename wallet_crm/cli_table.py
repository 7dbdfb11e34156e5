"""Columns lined up in a terminal, whatever the language: a Chinese character takes two cells, a Latin one.

`str.ljust` and f-string widths count characters, so a column of Chinese labels or names ran past its
neighbours; these count display cells (Unicode's East Asian Width: wide and full-width are two).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

WIDE = frozenset("WF")


def _cells(char: str) -> int:
    """The cells one character takes: a combining mark none, a wide or full-width one two."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in WIDE else 1


def display_width(text: str) -> int:
    """The cells `text` takes in a terminal."""
    return sum(map(_cells, text))


def cut(text: str, width: int) -> str:
    """`text` shortened to at most `width` cells (never half a wide character)."""
    taken = 0
    for index, char in enumerate(text):
        taken += _cells(char)
        if taken > width:
            return text[:index]
    return text


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` filled with spaces to `width` cells: on the right (left-aligned), or on the left when `right`."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def line(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool], gap: str = "  ") -> str:
    """One row of a table: each cell padded to its column's width; the last column is left as it is."""
    padded = [pad(cell, width, align) for cell, width, align in zip(cells[:-1], widths, right, strict=False)]
    return gap.join([*padded, cells[-1]]) if cells else ""
