"""Save the rejected rows of an import, with a reason column, as an .xlsx the user can fix and import again.

The rows are read again from the source file (the result only keeps their numbers), so memory stays
small. Cells are written as the file had them; text that starts with `=` stays text, and characters
Excel can't store are dropped rather than failing the save. Written to a temporary name, then renamed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from wallet_crm.errors import KnownError
from wallet_crm.imports.outcome import ImportResult
from wallet_crm.imports.readers import open_source
from wallet_crm.imports.safety import inspect_file
from wallet_crm.imports.values import Cell

REASON_HEADER = "错误原因 / Reason"
ROW_HEADER = "原行号 / Row"


def write_rejected_rows(source: Path, result: ImportResult, target: Path) -> int:
    """Write the header row plus every rejected row listed in `result` to `target`; returns the rows written."""
    if target.resolve() == source.resolve():
        raise KnownError(code="write.same_as_import", file=target.name)
    reasons: dict[int, list[str]] = defaultdict(list)
    for error in result.errors:
        reasons[error.row].append(f"{error.field}: {error.reason}" + (f" ({error.value})" if error.value else ""))
    info = inspect_file(source)
    reader = open_source(info)
    partial = target.with_name(target.name + ".partial")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Rejected")
    written = 0
    try:
        rows = reader.rows(result.sheet)
        header = next(itertools.islice(rows, result.header_row - 1, None), [])
        titles = [ROW_HEADER, *header, REASON_HEADER]
        sheet.append([_cell(sheet, value) for value in titles])
        for number, row in enumerate(rows, start=result.header_row + 1):
            if number in reasons:
                line = [_cell(sheet, number), *(_cell(sheet, value) for value in row)]
                sheet.append([*line, _cell(sheet, "; ".join(reasons[number]))])
                written += 1
        book.save(partial)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise KnownError(code="write.cant_save", file=target.name, reason=exc.strerror) from exc
    finally:
        reader.close()
    partial.replace(target)
    return written


def _cell(sheet: Any, value: Cell) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    if isinstance(value, dt.timedelta | dt.time) or value is None:
        return WriteOnlyCell(sheet, value=None if value is None else str(value))
    return WriteOnlyCell(sheet, value=value)
