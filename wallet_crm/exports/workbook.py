"""Write one table to an .xlsx sheet the way a careful person would lay it out.

Bold frozen header, autofilter, column widths that fit the content, money as `¥#,##0.00` from
integer fen, times as real Excel dates, text always as string cells. Rows stream through
XlsxWriter's constant-memory mode (~7,500 rows/s, shared/notes/performance.md), so a large export
never holds the sheet in memory. The file is written under a temporary name and renamed at the
end: a cancelled or failed export leaves no partial file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from wallet_crm.errors import KnownError
from wallet_crm.exports.cells import clean_text
from wallet_crm.money import HOME_CURRENCY, format_minor, in_units, minor_units

Kind = Literal["text", "money", "amount", "datetime", "date", "int", "percent", "number"]
Progress = Callable[[int, int], None]
SAMPLE_ROWS = 300
MAX_WIDTH = 60


class ExportCancelled(KnownError):
    """The user cancelled; no file was written."""


@dataclass(frozen=True)
class ExportColumn:
    header: str
    kind: Kind = "text"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def display_width(text: str) -> int:
    """Width in Excel character units: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


class SheetWriter:
    """Streams rows into one worksheet; create through `TableWorkbook.add_table`."""

    def __init__(self, book: TableWorkbook, sheet: Worksheet, columns: Sequence[ExportColumn]) -> None:
        self.book = book
        self.sheet = sheet
        self.columns = columns
        self.row = 0

    def write_rows(self, rows: Iterable[Sequence[Any]], progress: Progress | None = None, total: int = 0) -> int:
        iterator = iter(rows)
        sample = list(itertools.islice(iterator, SAMPLE_ROWS))
        self._layout(sample)
        written = 0
        for values in itertools.chain(sample, iterator):
            self.book.check_cancel()
            self._write_row(values)
            written += 1
            if progress is not None and written % 1000 == 0:
                progress(written, total)
        last_row = max(self.row - 1, 0)
        self.sheet.autofilter(0, 0, last_row, len(self.columns) - 1)
        if progress is not None:
            progress(written, total or written)
        return written

    def _layout(self, sample: list[Sequence[Any]]) -> None:
        """Header, widths from the header and a sample of rows, frozen first row."""
        formats = self.book.formats
        for index, column in enumerate(self.columns):
            width = display_width(column.header) + 4
            for values in sample:
                width = max(width, display_width(self._shown(values[index], column.kind)) + 2)
            self.sheet.set_column(index, index, min(width, MAX_WIDTH), formats.get(column.kind))
        self.sheet.freeze_panes(1, 0)
        for index, column in enumerate(self.columns):
            self.sheet.write_string(0, index, column.header, formats["header"])
        self.row = 1

    @staticmethod
    def _shown(value: Any, kind: Kind) -> str:
        if value is None:
            return ""
        if kind == "money":
            return f"¥{int(value) / 100:,.2f}"
        if kind == "amount":
            return format_minor(*value)
        if kind == "datetime":
            return "2026-11-03 14:05:09"
        if kind == "date":
            return "2026-11-03"
        if kind == "percent":
            return "100.0%"
        return str(value)

    def _write_row(self, values: Sequence[Any]) -> None:
        formats = self.book.formats
        for index, column in enumerate(self.columns):
            value = values[index]
            if value is None or value == "":
                continue
            if column.kind == "money":
                self.sheet.write_number(self.row, index, int(value) / 100, formats["money"])
            elif column.kind == "amount":  # (minor units, currency): the currency's own decimals, ¥ for CNY
                amount, code = value
                self.sheet.write_number(self.row, index, in_units(amount, code), self.book.amount_format(code))
            elif column.kind == "datetime":
                when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
                self.sheet.write_datetime(self.row, index, when, formats["datetime"])
            elif column.kind == "date":
                self.sheet.write_datetime(self.row, index, value, formats["date"])
            elif column.kind in ("int", "number", "percent"):
                self.sheet.write_number(self.row, index, value, formats.get(column.kind))
            else:
                self.sheet.write_string(self.row, index, clean_text(str(value)))
        self.row += 1


class TableWorkbook:
    """One .xlsx file of one or more table sheets, committed by `close()` or discarded on error."""

    def __init__(self, path: Path, cancel: threading.Event | None = None) -> None:
        self.path = path
        self.partial = path.with_name(f".{path.name}.partial")
        self.cancel = cancel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.partial.unlink(missing_ok=True)
        except OSError as exc:
            raise KnownError(f"Can't write {path}: {exc.strerror}.") from exc
        self.workbook: Workbook = xlsxwriter.Workbook(
            str(self.partial), {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
        )
        self.formats: dict[str, Any] = {
            "header": self.workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter"}),
            "money": self.workbook.add_format({"num_format": "¥#,##0.00"}),
            "datetime": self.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            "date": self.workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "int": self.workbook.add_format({"num_format": "#,##0"}),
            "number": self.workbook.add_format({"num_format": "0.0"}),
            "number2": self.workbook.add_format({"num_format": "0.00"}),
            "percent": self.workbook.add_format({"num_format": "0.0%"}),
            "bold": self.workbook.add_format({"bold": True}),
            "center": self.workbook.add_format({"align": "center"}),
            "wrap": self.workbook.add_format({"text_wrap": True, "valign": "top"}),
        }

    def amount_format(self, code: str) -> Any:
        """`¥#,##0.00` for CNY, `#,##0` for JPY, `#,##0.000` for KWD: one cached format per currency."""
        key = f"amount:{code}"
        if key not in self.formats:
            decimals = minor_units(code)
            number = "#,##0" + ("." + "0" * decimals if decimals else "")
            self.formats[key] = self.workbook.add_format(
                {"num_format": ("¥" if code == HOME_CURRENCY else "") + number}
            )
        return self.formats[key]

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise ExportCancelled("Export cancelled; no file was written.")

    def add_table(self, name: str, columns: Sequence[ExportColumn]) -> SheetWriter:
        return SheetWriter(self, self.workbook.add_worksheet(name[:31]), columns)

    def close(self) -> None:
        """Finish the file and move it into place (replacing an older export of the same name)."""
        try:
            self.workbook.close()
            self.partial.replace(self.path)
        except OSError as exc:
            self.partial.unlink(missing_ok=True)
            raise KnownError(f"Can't write {self.path}: {exc.strerror or exc}. Is it open in Excel?") from exc

    def discard(self) -> None:
        with contextlib.suppress(Exception):  # the file is thrown away; a second error would hide the first
            self.workbook.close()
        self.partial.unlink(missing_ok=True)


def write_table_file(
    path: Path,
    sheet_name: str,
    columns: Sequence[ExportColumn],
    rows: Iterator[Sequence[Any]],
    total: int,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """A one-sheet workbook; all or nothing."""
    book = TableWorkbook(path, cancel)
    try:
        written = book.add_table(sheet_name, columns).write_rows(rows, progress, total)
    except BaseException:
        book.discard()
        raise
    book.close()
    return ExportResult(path, written)
