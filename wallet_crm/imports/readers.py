"""One interface over the file formats: sheet names, and the rows of a sheet as lists of cells.

Workbooks (.xlsx/.xlsm/.xls) are read with python-calamine, the fastest reader (notes/performance.md),
except an .xlsx whose sheet is big or spread wide (`xlsx_stream.needs_streaming`): calamine holds a
whole sheet (865 MB at 1M rows) and allocates up to its last cell, so those are streamed instead.
openpyxl, in read-only mode with defusedxml, only for an .xlsx calamine refuses. CSV text is decoded
strictly: UTF-8 (BOM or not) first, then GB18030 (a superset of GBK); a file that is neither is
refused rather than guessed. Rows come out lazily with Excel's row numbering: row `i` of `rows()`
is row `i + 1` in Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, cast

import python_calamine

from wallet_crm.errors import UnreadableFileError
from wallet_crm.imports.safety import FileInfo
from wallet_crm.imports.values import Cell
from wallet_crm.imports.xlsx_stream import StreamingXlsxSource, needs_streaming

log = logging.getLogger(__name__)

CSV_SHEET = "CSV"
CSV_DELIMITERS = (",", "\t", ";")
CSV_SNIFF_LINES = 40
BLOCK = 1024 * 1024


class Source(Protocol):
    """An opened file: its sheets and their rows."""

    kind: str
    sheet_names: list[str]
    encoding: str | None
    delimiter: str | None

    def rows(self, sheet: str) -> Iterator[list[Cell]]: ...

    def row_count(self, sheet: str) -> int: ...

    def close(self) -> None: ...


def open_source(info: FileInfo) -> Source:
    """The right reader for the file `inspect_file` looked at; `UnreadableFileError` when it can't be read."""
    if info.kind == "csv":
        return CsvSource(info.path)
    if info.kind == "xlsx" and needs_streaming(info.path):
        log.info("streaming %s: its sheet is too big or too wide to hold in memory", info.path.name)
        return StreamingXlsxSource(info.path)
    try:
        return CalamineSource(info.path, info.kind)
    except python_calamine.PasswordError as exc:
        raise UnreadableFileError(code="file.password_short", file=info.path.name) from exc
    except python_calamine.CalamineError as exc:
        if info.kind != "xlsx":
            raise UnreadableFileError(code="file.damaged", file=info.path.name, detail=str(exc)) from exc
        log.info("calamine could not read %s (%s); trying openpyxl", info.path.name, type(exc).__name__)
        return OpenpyxlSource(info.path)


class CalamineSource:
    """A workbook read with calamine. It parses a whole sheet at once, so only one sheet is kept loaded."""

    encoding: str | None = None
    delimiter: str | None = None

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.book = python_calamine.CalamineWorkbook.from_path(str(path))
        self.sheet_names = [
            meta.name for meta in self.book.sheets_metadata if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        self._loaded: tuple[str, python_calamine.CalamineSheet] | None = None

    def _sheet(self, name: str) -> python_calamine.CalamineSheet:
        if self._loaded is None or self._loaded[0] != name:
            self._loaded = None  # let the previous sheet go before the next one is parsed
            try:
                self._loaded = (name, self.book.get_sheet_by_name(name))
            except python_calamine.WorksheetNotFound as exc:
                raise UnreadableFileError(code="file.no_sheet", file=self.path.name, sheet=name) from exc
            except python_calamine.PasswordError as exc:
                raise UnreadableFileError(code="file.sheet_password", file=self.path.name) from exc
            except python_calamine.CalamineError as exc:
                raise UnreadableFileError(
                    code="file.sheet_damaged", file=self.path.name, sheet=name, detail=str(exc)
                ) from exc
        return self._loaded[1]

    def rows(self, sheet: str) -> Iterator[list[Cell]]:
        # calamine's iter_rows starts at Excel row 1 (leading empty rows included): row i is Excel row i + 1.
        return cast(Iterator[list[Cell]], self._sheet(sheet).iter_rows())

    def row_count(self, sheet: str) -> int:
        end = self._sheet(sheet).end
        return end[0] + 1 if end else 0

    def close(self) -> None:
        self._loaded = None
        self.book.close()


class OpenpyxlSource:
    """An .xlsx calamine refused, read by openpyxl in read-only mode (XML parsed by defusedxml)."""

    kind = "xlsx"
    encoding: str | None = None
    delimiter: str | None = None

    def __init__(self, path: Path) -> None:
        import openpyxl
        from openpyxl.xml import DEFUSEDXML

        if not DEFUSEDXML:
            raise UnreadableFileError(code="file.no_defusedxml", file=path.name)
        self.path = path
        try:
            self.book: Any = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise UnreadableFileError(code="file.damaged", file=path.name, detail=type(exc).__name__) from exc
        self.sheet_names: list[str] = list(self.book.sheetnames)

    def _worksheet(self, sheet: str) -> Any:
        if sheet not in self.sheet_names:
            raise UnreadableFileError(code="file.no_sheet", file=self.path.name, sheet=sheet)
        worksheet = self.book[sheet]
        worksheet.reset_dimensions()  # a false <dimension> would make it read for minutes
        return worksheet

    def rows(self, sheet: str) -> Iterator[list[Cell]]:
        for row in self._worksheet(sheet).iter_rows(values_only=True):
            yield ["" if value is None else value for value in row]

    def row_count(self, sheet: str) -> int:
        return int(self._worksheet(sheet).max_row or 0)

    def close(self) -> None:
        self.book.close()


class CsvSource:
    """A CSV or tab-separated text file; the encoding is proven by decoding all of it, never guessed."""

    kind = "csv"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sheet_names = [CSV_SHEET]
        self.encoding: str | None
        self.encoding, self._lines = detect_encoding(path)
        self.delimiter: str | None = self._detect_delimiter()

    def _open(self) -> io.TextIOWrapper:
        return self.path.open("r", encoding=self.encoding or "utf-8-sig", newline="", errors="strict")

    def _detect_delimiter(self) -> str:
        """The delimiter that splits the widest row into the most cells (a header row is wide)."""
        with self._open() as handle:
            sample = "".join(itertools.islice(handle, CSV_SNIFF_LINES))
        best, best_width = ",", 0
        for delimiter in CSV_DELIMITERS:
            try:
                width = max((len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter)), default=0)
            except csv.Error:
                continue
            if width > best_width:
                best, best_width = delimiter, width
        return best

    def rows(self, sheet: str) -> Iterator[list[Cell]]:
        with self._open() as handle:
            reader = csv.reader(handle, delimiter=self.delimiter or ",")
            try:
                yield from reader
            except csv.Error as exc:
                raise UnreadableFileError(
                    code="file.bad_csv", file=self.path.name, line=reader.line_num, detail=str(exc)
                ) from exc

    def row_count(self, sheet: str) -> int:
        return self._lines

    def close(self) -> None:
        pass


def detect_encoding(path: Path) -> tuple[str, int]:
    """The encoding that decodes the whole file without error, and its number of lines."""
    with path.open("rb") as handle:
        head = handle.read(4)
    candidates = ("utf-16",) if head.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")
    for encoding in candidates:
        lines = _count_decoded_lines(path, encoding)
        if lines is not None:
            return encoding, lines
    raise UnreadableFileError(code="file.encoding", file=path.name)


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _count_decoded_lines(path: Path, encoding: str) -> int | None:
    """Lines in the file when all of it decodes; None when it doesn't.

    GB18030 decodes almost any byte soup, so there text that lands in the Private Use Area (which no
    real export contains) counts as not decoding: another encoding (Big5, Shift-JIS) read wrongly.
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    check_private = encoding == "gb18030"
    lines = 0
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(BLOCK), b""):
                text = decoder.decode(block)
                if check_private and _PRIVATE_USE.search(text):
                    return None
                lines += text.count("\n")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return lines + 1
