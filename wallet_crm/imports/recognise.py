"""Which row is the header and which format the file is, by what the header row says, never by the file name.

Exports put titles, account details and date ranges above the header. Among the first rows, a row
that is exactly a saved profile's header wins; then a row holding every `match` text of a built-in
format (the format with the most such texts first); then the row that names the most fields by the
generic format's column names.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wallet_crm.imports.format import ImportFormat, normalise_header
from wallet_crm.imports.layout import Layout, make_layout
from wallet_crm.imports.profiles import header_key
from wallet_crm.imports.values import Cell, display

HEADER_SCAN_ROWS = 30
MIN_HEADER_FIELDS = 2  # one known word may be a title ("交易明细"); a header names several fields


@dataclass(frozen=True)
class Candidate:
    rank: tuple[int, int]
    layout: Layout


def header_cells(row: Iterable[Cell]) -> tuple[str, ...]:
    """A row as header texts, trailing empty cells dropped."""
    from wallet_crm.imports.values import clean

    cells = [display(clean(cell)).strip() for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def recognise(
    rows: Iterable[list[Cell]],
    formats: Sequence[ImportFormat],
    generic: ImportFormat,
    scan: int = HEADER_SCAN_ROWS,
) -> Layout | None:
    """The best (header row, format) among the first `scan` rows; `formats` are profiles and built-ins."""
    profiles = {header_key(fmt.header): fmt for fmt in formats if fmt.header}
    platforms = sorted((fmt for fmt in formats if fmt.match), key=lambda fmt: -len(fmt.match))
    best: Candidate | None = None
    for index, row in enumerate(itertools.islice(rows, scan)):
        cells = header_cells(row)
        if not any(cells):
            continue
        profile = profiles.get(header_key(cells))
        if profile is not None:
            return make_layout(profile, index, cells)
        found = _platform(platforms, index, cells) or _generic(generic, index, cells)
        if found is not None and (best is None or found.rank > best.rank):
            best = found
    return best.layout if best is not None else None


def _platform(platforms: Sequence[ImportFormat], index: int, cells: tuple[str, ...]) -> Candidate | None:
    present = {normalise_header(cell) for cell in cells}
    for fmt in platforms:
        if all(normalise_header(text) in present for text in fmt.match):
            return Candidate((2, len(fmt.match)), make_layout(fmt, index, cells))
    return None


def _generic(generic: ImportFormat, index: int, cells: tuple[str, ...]) -> Candidate | None:
    layout = make_layout(generic, index, cells)
    if len(layout.columns) < MIN_HEADER_FIELDS:
        return None
    return Candidate((1, len(layout.columns)), layout)


def layout_at(
    rows: Iterable[list[Cell]], index: int, formats: Sequence[ImportFormat], generic: ImportFormat
) -> Layout | None:
    """The layout when the user picked the header row (`index`, 0-based): its format recognised the same way."""
    row = next(itertools.islice(rows, index, None), None)
    if row is None:
        return None
    cells = header_cells(row)
    profiles = {header_key(fmt.header): fmt for fmt in formats if fmt.header}
    profile = profiles.get(header_key(cells))
    if profile is not None:
        return make_layout(profile, index, cells)
    platforms = sorted((fmt for fmt in formats if fmt.match), key=lambda fmt: -len(fmt.match))
    found = _platform(platforms, index, cells)
    return found.layout if found is not None else make_layout(generic, index, cells)
