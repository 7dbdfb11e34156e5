"""Find the header row by what it says, not where it is: exports put titles and date ranges above it."""

from __future__ import annotations

import itertools
from collections.abc import Container, Iterable
from dataclasses import dataclass

from wallet_crm.imports.mapping import ColumnMapping, detect_mapping, missing_fields
from wallet_crm.imports.profiles import header_key
from wallet_crm.imports.values import Cell, display

HEADER_SCAN_ROWS = 30
MIN_HEADER_FIELDS = 2  # one known word may be a title ("交易明细"); a header names several fields


@dataclass(frozen=True)
class HeaderGuess:
    index: int  # 0-based position among the sheet's rows; Excel row number is index + 1
    cells: tuple[str, ...]
    mapping: ColumnMapping
    missing: tuple[str, ...]
    known: bool = False  # a saved profile has this exact header row

    @property
    def usable(self) -> bool:
        return not self.missing

    @property
    def rank(self) -> tuple[bool, bool, int]:
        return (self.known, self.usable, len(self.mapping))


def header_cells(row: Iterable[Cell]) -> tuple[str, ...]:
    """A row as header texts, trailing empty cells dropped."""
    cells = [display(cell).strip() for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def guess_at(index: int, row: Iterable[Cell], known: bool = False) -> HeaderGuess:
    cells = header_cells(row)
    mapping = detect_mapping(cells)
    return HeaderGuess(index=index, cells=cells, mapping=mapping, missing=tuple(missing_fields(mapping)), known=known)


def find_header(
    rows: Iterable[list[Cell]], scan: int = HEADER_SCAN_ROWS, known: Container[str] = frozenset()
) -> HeaderGuess | None:
    """The row among the first `scan` that a saved profile knows (its key is in `known`), else the one
    that names the most fields (the first such one), if any."""
    best: HeaderGuess | None = None
    for index, row in enumerate(itertools.islice(rows, scan)):
        guess = guess_at(index, row)
        if known and any(guess.cells) and header_key(guess.cells) in known:
            return guess_at(index, row, known=True)
        if len(guess.mapping) >= MIN_HEADER_FIELDS and (best is None or len(guess.mapping) > len(best.mapping)):
            best = guess
    return best


def first_filled_row(rows: Iterable[list[Cell]], scan: int = HEADER_SCAN_ROWS) -> HeaderGuess | None:
    """For a preview of a file whose header we can't recognise: its first non-empty row, for the user to map."""
    for index, row in enumerate(itertools.islice(rows, scan)):
        if any(header_cells(row)):
            return guess_at(index, row)
    return None
