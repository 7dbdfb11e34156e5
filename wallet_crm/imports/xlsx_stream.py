"""Read an .xlsx sheet as a stream of rows, a few MB of XML at a time, for sheets calamine can't hold.

python-calamine parses a whole sheet into memory (865 MB for a 1M-row export) and allocates the dense
rectangle up to the last cell (a lone cell at XFD1048576 next to A1 asks for 512 GiB and aborts the
process). This reader decompresses the sheet part as a stream, cuts the XML between rows and picks
the cells out with regular expressions over bytes (an XML parser in Python is 6-12x slower), so its
memory is the shared-strings table plus one block, whatever the sheet's size or shape.

Values come out as python-calamine 0.9 gives them, so the rest of the import sees the same types:
text as str, numbers as float, booleans as bool, error cells and empty cells as ''; a number with a
date or time format as `datetime` (a `date` when it is a whole number of days, a `time` when it is
below 1, a `timedelta` for elapsed-time formats like `[h]:mm`), rounded to the millisecond as
calamine does. Differences: cells are placed by their reference, so a sheet whose column A is
empty keeps it (calamine drops leading empty columns); a number written with spaces or `_` in its
<v> (`<v> 4 </v>`, which no program writes) is read as the number where calamine keeps the text.
What this reader can't read as calamine would, it refuses (`UnreadableFileError`) rather than read
differently: rows out of order, XML comments or CDATA among the rows, a part cut short.
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Final

from wallet_crm.errors import UnreadableFileError
from wallet_crm.imports.values import Cell

BLOCK_BYTES: Final = 4 * 1024 * 1024  # decompressed XML handled at a time
HEAD_BYTES: Final = 64 * 1024  # enough of a sheet part to find its <dimension>
# The parts read whole; Excel's own stay under ~10 MB (its 64,000 cell formats make ~10 MB of styles).
MAX_SMALL_PART_BYTES: Final = 32 * 1024 * 1024
# Rows are filled in place up to this many columns; a wider row (and a cell far to the right) is
# built only as wide as its own last cell, so a lone cell at XFD makes one 16,384-wide row, not many.
PREALLOCATED_COLUMNS: Final = 256
MAX_ROWS: Final = 1_048_576  # Excel's limits
MAX_COLUMNS: Final = 16_384
# A <dimension> is believed when the part is no bigger than this many bytes a row (plus a margin):
# a writer that always writes "A1" gives itself away by a part far bigger than one row.
PLAUSIBLE_ROW_BYTES: Final = 64 * 1024

WORKBOOK_PART: Final = "xl/workbook.xml"
WORKBOOK_RELS: Final = "xl/_rels/workbook.xml.rels"

EXCEL_EPOCH: Final = dt.datetime(1899, 12, 30)
_timedelta: Final = dt.timedelta
DAY_MS: Final = 86_400_000.0
DATE_1904_OFFSET: Final = 1462.0  # days from 1900-system day 0 to 1904-01-01

# What a number format makes of a number (calamine's three kinds).
PLAIN, DATE, DURATION = 0, 1, 2
# How a cell's value is read, from its type and style: one small int, looked up once per attribute text.
SHARED, NUMBER, DATE_NUMBER, DURATION_NUMBER, BOOLEAN, TEXT, ISO_DATE, NOTHING = range(8)
BUILTIN_DATE_FORMATS: Final = frozenset([*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)])
BUILTIN_DURATION_FORMATS: Final = frozenset([46])  # [h]:mm:ss

_NAME = rb"[A-Za-z_][\w.-]*"


def column_index(letters: str) -> int:
    """0-based index of a column name: A -> 0, Z -> 25, AA -> 26, XFD -> 16383."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _column_names() -> dict[bytes, int]:
    """Every valid column name as bytes, mapped to its index: one dict look-up a cell."""
    names: dict[bytes, int] = {}
    for index in range(MAX_COLUMNS):
        letters, number = b"", index + 1
        while number:
            number, rest = divmod(number - 1, 26)
            letters = bytes([65 + rest]) + letters
        names[letters] = index
    return names


_COLUMNS: Final = _column_names()


# ---------------------------------------------------------------- text


_ENTITY = re.compile(r"&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_OOXML_ESCAPE = re.compile(r"_x([0-9a-fA-F]{4})_")


def _valid_char(code: int) -> bool:
    return code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF


def _entity(match: re.Match[str]) -> str:
    hexa, decimal, name = match.groups()
    if name:
        return _NAMED[name]
    code = int(hexa, 16) if hexa else int(decimal)
    return chr(code) if _valid_char(code) else match.group(0)


def _ooxml_char(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return chr(code) if _valid_char(code) else match.group(0)


def xml_text(raw: str) -> str:
    """Element text as an XML parser gives it, then with Office's `_xHHHH_` escapes (e.g. `_x000D_`) decoded.

    Line ends are normalised first, as XML requires (a CR written as `&#13;` survives that).
    """
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        raw = _ENTITY.sub(_entity, raw)
    if "_x" in raw:
        raw = _OOXML_ESCAPE.sub(_ooxml_char, raw)
    return raw


def _attributes(tag: str) -> dict[str, str]:
    """The attributes of one start tag, prefixes dropped from their names (`r:id` -> `id`)."""
    return {
        name.rpartition(":")[2]: xml_text(value[1:-1])
        for name, value in re.findall(r"([\w.:-]+)\s*=\s*(\"[^\"]*\"|'[^']*')", tag)
    }


def _tags(xml: str, local_name: str) -> list[dict[str, str]]:
    """The attributes of every `local_name` element (any namespace prefix) in a small part."""
    pattern = re.compile(r"<(?:[\w.-]+:)?" + local_name + r"(?=[\s/>])([^>]*)>")
    return [_attributes(match.group(1)) for match in pattern.finditer(xml)]


# ---------------------------------------------------------------- number formats


def number_format_kind(code: str) -> int:
    """DATE, DURATION or PLAIN for a custom number format code, the way calamine 0.9 decides.

    Only the first section counts; text in quotes, `\\x` and `_x` escapes and `[...]` sections (colours,
    locales, conditions) are skipped; `[h]`, `[mm]`, `[ss]` make an elapsed time; y, m, d, h, s
    (or AM/PM) make a date.
    """
    escaped = quoted = after_a = elapsed = False
    brackets = 0
    previous = " "
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\":
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == ";":
            return PLAIN
        elif char == "[":
            brackets += 1
        elif char == "]":
            if brackets == 1 and elapsed:
                return DURATION
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not after_a and char in "aA":
            after_a = True
        elif (brackets == 0 and after_a and char in "pmPM/") or (
            brackets == 0 and not after_a and char in "dmhysDMHYS"
        ):
            return DATE
        elif not (elapsed and char.lower() == previous.lower()):
            elapsed = previous == "[" and char in "mhsMHS"
        previous = char
    return PLAIN


def style_kinds(styles_xml: str) -> dict[bytes, int]:
    """Cell style index (as the `s` attribute's bytes) -> DATE or DURATION; plain styles are left out."""
    custom = {
        tag.get("numFmtId", ""): number_format_kind(tag.get("formatCode", "")) for tag in _tags(styles_xml, "numFmt")
    }
    found = re.search(r"<(?:[\w.-]+:)?cellXfs\b[^>]*>(.*?)</(?:[\w.-]+:)?cellXfs>", styles_xml, re.S)
    kinds: dict[bytes, int] = {}
    for index, xf in enumerate(_tags(found.group(1), "xf") if found else []):
        format_id = xf.get("numFmtId", "0")
        if format_id in custom:
            kind = custom[format_id]
        elif format_id.isdigit() and int(format_id) in BUILTIN_DATE_FORMATS:
            kind = DATE
        elif format_id.isdigit() and int(format_id) in BUILTIN_DURATION_FORMATS:
            kind = DURATION
        else:
            kind = PLAIN
        if kind != PLAIN:
            kinds[str(index).encode()] = kind
    return kinds


def _round_half_away(value: float) -> int:
    """Rust's `f64::round` (halves away from zero), not Python's banker's rounding."""
    whole = math.floor(abs(value))
    if abs(value) - whole >= 0.5:
        whole += 1
    return -whole if value < 0 else whole


def excel_date(value: float, date1904: bool = False) -> Cell:
    """A date-formatted number as calamine gives it: time below 1, date when whole, else datetime.

    To the millisecond, rounded as calamine rounds; the 1900 system's phantom 1900-02-29 is honoured
    (serial 1 is 1900-01-01, 61 is 1900-03-01); a number past the year 9999 stays a float.
    """
    days = value + DATE_1904_OFFSET if date1904 else value
    if days < 60.0:
        days += 1.0
    try:
        scaled = days * DAY_MS
        # int(x + 0.5) is round-half-up, exact for x >= 1 (a float there has no bits below 2**-52 * x).
        milliseconds = int(scaled + 0.5) if scaled >= 1.0 else _round_half_away(scaled)
        moment = EXCEL_EPOCH + _timedelta(0, 0, 0, milliseconds)
    except (OverflowError, ValueError):
        return value
    if value < 1.0:
        return moment.time()
    if value.is_integer():
        return moment.date()
    return moment


def excel_duration(value: float) -> Cell:
    """An elapsed-time-formatted number (`[h]:mm:ss`) as a timedelta, to the millisecond."""
    try:
        return dt.timedelta(milliseconds=_round_half_away(value * DAY_MS))
    except (OverflowError, ValueError):
        return value


def iso_date(text: str) -> Cell:
    """A `t="d"` cell: ISO 8601 datetime, date or time; anything else (a time zone, say) stays text."""
    try:
        if "T" in text:
            moment = dt.datetime.fromisoformat(text)
            return moment if moment.tzinfo is None else text
        if ":" in text:
            clock = dt.time.fromisoformat(text)
            return clock if clock.tzinfo is None else text
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


# ---------------------------------------------------------------- the workbook's parts


def _resolve(target: str, base: str = "xl") -> str:
    """A relationship target as a zip member name: relative to the workbook's folder, or absolute."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, target))


class PartRefusedError(ValueError):
    """A part this reader won't read: one it would read wrongly, or one too big to hold whole."""


def _read_text(archive: zipfile.ZipFile, name: str) -> str:
    """A small part (workbook, relationships, styles) as text; PartRefusedError past MAX_SMALL_PART_BYTES."""
    size = archive.getinfo(name).file_size  # zipfile reads no more than this
    if size > MAX_SMALL_PART_BYTES:
        raise PartRefusedError(f"its part {name} is {size:,} bytes, far more than a workbook's ever is")
    with archive.open(name) as handle:
        return handle.read().decode("utf-8", errors="replace")


class _Workbook:
    """The workbook's small parts: worksheet names -> parts, where the strings and styles are, 1904 dates."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        members = {info.filename.lower(): info.filename for info in archive.infolist()}
        self.sizes = {info.filename: info.file_size for info in archive.infolist()}
        workbook = _read_text(archive, members.get(WORKBOOK_PART, WORKBOOK_PART))
        relations: dict[str, tuple[str, str]] = {}
        if WORKBOOK_RELS in members:
            # A target marked External still counts: calamine reads it when the file holds it.
            for rel in _tags(_read_text(archive, members[WORKBOOK_RELS]), "Relationship"):
                member = _resolve(rel.get("Target", ""))
                relations[rel.get("Id", "")] = (rel.get("Type", ""), members.get(member.lower(), member))
        by_type = {kind.rpartition("/")[2]: member for kind, member in relations.values()}
        self.shared_strings = by_type.get("sharedStrings", members.get("xl/sharedstrings.xml"))
        self.styles = by_type.get("styles", members.get("xl/styles.xml"))
        self.sheets: dict[str, str] = {}
        for sheet in _tags(workbook, "sheet"):
            kind, member = relations.get(sheet.get("id", ""), ("", ""))
            if kind.rpartition("/")[2] == "worksheet" and member in self.sizes and "name" in sheet:
                self.sheets[sheet["name"]] = member
        properties = _tags(workbook, "workbookPr")
        self.date1904 = bool(properties) and properties[0].get("date1904", "").lower() in ("1", "true")


# ---------------------------------------------------------------- sheet XML


class _Patterns:
    """The byte strings and regular expressions for one namespace prefix (`` or `x:`), compiled once."""

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.row_open = b"<" + prefix + b"row"
        self.row_close = b"</" + prefix + b"row>"
        self.cell_open = b"<" + prefix + b"c"
        self.end = b"</" + prefix + b"sheetData>"
        self.row_start = re.compile(b"<" + p + rb"row(?=[\s/>])")
        # The common cell: r first (as Excel, openpyxl and XlsxWriter write it), then its other attributes
        # as one piece of text (` s="1" t="s"`, looked up in a dict), then the <v> text ('' when none).
        self.fast_cell = re.compile(
            b"<" + p + rb'c r="([A-Z]+)\d+"([^>/]*)(?:/>|>(?:<' + p + rb"v>([^<]*)</" + p + rb"v>)?</" + p + rb"c>)"
        )
        # The same, also taking a formula before the value and an inline string as the value: a few
        # percent slower, so used only on the blocks that hold a <f> or an <is>.
        self.full_cell = re.compile(
            b"<" + p + rb'c r="([A-Z]+)\d+"([^>/]*)(?:/>|>'
            rb"(?:<" + p + rb"f\b[^>]*(?:/>|>[^<]*</" + p + rb"f>))?"
            rb"(?:<(?:"
            + p
            + rb"v|"
            + p
            + rb"is><"
            + p
            + rb"t(?:\s[^>]*)?)>([^<]*)</(?:"
            + p
            + rb"v|"
            + p
            + rb"t></"
            + p
            + rb"is)>)?</"
            + p
            + rb"c>)"
        )
        self.formula_or_inline = (b"<" + prefix + b"f", b"<" + prefix + b"is>")
        # Any row: its r attribute (if any) and its content ('' when empty or self-closing).
        self.row = re.compile(
            b"<" + p + rb"row(?=[\s/>])(?=(?:[^>]*?\sr=[\"'](\d+)[\"'])?)[^>]*?(?:/>|>(.*?)</" + p + rb"row>)", re.S
        )
        # Any cell: column letters, style, type, the <v> text when <v> comes first, then what follows.
        self.cell = re.compile(
            b"<" + p + rb"c(?=[\s/>])"
            rb"(?=(?:[^>]*?\sr=[\"']([A-Za-z]+)\d*[\"'])?)"
            rb"(?=(?:[^>]*?\ss=[\"'](\d+)[\"'])?)"
            rb"(?=(?:[^>]*?\st=[\"'](\w+)[\"'])?)"
            rb"[^>]*?(?:/>|>\s*(?:<" + p + rb"v>([^<]*)</" + p + rb"v>)?(.*?)</" + p + rb"c>)",
            re.S,
        )
        self.value = re.compile(b"<" + p + rb"v(?:\s[^>]*)?>([^<]*)</" + p + rb"v>")
        self.inline = re.compile(b"<" + p + rb"is(?:\s[^>]*)?>(.*?)</" + p + rb"is>", re.S)
        self.phonetic = re.compile(b"<" + p + rb"rPh\b.*?</" + p + rb"rPh>", re.S)
        self.text = re.compile(b"<" + p + rb"t(?:\s[^>]*)?>([^<]*)</" + p + rb"t>")


_SHEET_DATA = re.compile(b"<(" + _NAME + b":)?sheetData(?=[\\s/>])[^>]*?(/?)>")
_DIMENSION = re.compile(
    b"<(?:" + _NAME + rb":)?dimension\b[^>]*?\sref=[\"']\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?[\"']"
)
_FIRST_REF = re.compile(rb"\sr=[\"'][A-Za-z]+(\d+)[\"']")
_STYLE_TYPE = re.compile(rb"\s([st])=[\"']([^\"']*)[\"']")
_PATTERNS: dict[bytes, _Patterns] = {}
MAX_CACHED_CODES: Final = 4096


def _patterns(prefix: bytes) -> _Patterns:
    found = _PATTERNS.get(prefix)
    if found is None:
        found = _PATTERNS[prefix] = _Patterns(prefix)
    return found


def _sheet_chunks(stream: IO[bytes]) -> Iterator[tuple[_Patterns, bytes]]:
    """(patterns, chunk): each chunk holds whole rows of the sheet's <sheetData>, in order.

    The XML is read BLOCK_BYTES at a time and cut before the last row's start tag; the rest waits
    for the next block, so only one block (or one row longer than a block) is held at a time.
    EOFError when the part ends inside <sheetData>, PartRefusedError when the rows hold a comment.
    """
    data = b""
    patterns: _Patterns | None = None
    while patterns is None:
        block = stream.read(BLOCK_BYTES)
        if not block:
            return
        data = data[-256:] + block
        found = _SHEET_DATA.search(data)
        if found is not None:
            if found.group(2):  # <sheetData/>: no rows
                return
            patterns = _patterns(found.group(1) or b"")
            data = data[found.end() :]
    searched = 0  # where in `data` the end tag may start (it is not in the bytes before)
    while True:
        stop = data.find(patterns.end, searched)
        _check_plain(data, stop if stop >= 0 else len(data))
        if stop >= 0:
            yield patterns, data[:stop]
            return
        cut = _last_row_start(patterns, data)
        if cut > 0:
            yield patterns, data[:cut]
            data = data[cut:]
        block = stream.read(BLOCK_BYTES)
        if not block:  # cut short: calamine refuses it, and so must an all-or-nothing import
            raise EOFError("the sheet's XML ends before its </sheetData>")
        searched = max(len(data) - len(patterns.end), 0)
        data = data + block if data else block


def _check_plain(data: bytes, end: int) -> None:
    """PartRefusedError when data[:end] holds a comment, CDATA section or processing instruction.

    calamine reads them, but no spreadsheet program writes them among rows or strings; rather than
    read such a part wrongly (a comment may even hold a `</sheetData>`), this reader refuses it.
    """
    if data.find(b"<!", 0, end) >= 0 or data.find(b"<?", 0, end) >= 0:
        raise PartRefusedError("it holds XML comments, CDATA sections or processing instructions")


def _last_row_start(patterns: _Patterns, data: bytes) -> int:
    """Where the last row's start tag begins (0 when none): all before it is whole rows."""
    position = len(data)
    while True:
        position = data.rfind(patterns.row_open, 0, position)
        if position <= 0 or patterns.row_start.match(data, position):
            return max(position, 0)


def _cell_code(style: bytes, kind: bytes, styles: Mapping[bytes, int]) -> int:
    """How to read a cell with this `s` and `t` (SHARED, NUMBER, DATE_NUMBER...)."""
    if kind == b"s":
        return SHARED
    if not kind or kind == b"n":
        style_kind = styles.get(style, PLAIN) if style else PLAIN
        return DATE_NUMBER if style_kind == DATE else DURATION_NUMBER if style_kind == DURATION else NUMBER
    return {b"b": BOOLEAN, b"str": TEXT, b"inlineStr": TEXT, b"d": ISO_DATE}.get(
        kind, NOTHING
    )  # t="e": errors read as ''


def _convert(code: int, text: bytes, date1904: bool) -> Cell:
    """The value of a cell that is not a shared string, from its <v> text."""
    if code in (NUMBER, DATE_NUMBER, DURATION_NUMBER):
        try:
            number = float(text)
        except ValueError:
            return xml_text(text.decode("utf-8"))
        if code == DATE_NUMBER:
            return excel_date(number, date1904)
        return excel_duration(number) if code == DURATION_NUMBER else number
    if code == BOOLEAN:
        return text.strip() in (b"1", b"true")
    if code == TEXT:
        return xml_text(text.decode("utf-8"))
    if code == ISO_DATE:
        return iso_date(text.decode("utf-8").strip())
    return ""


def _place(row: list[Cell], column: int, value: Cell) -> None:
    """Put `value` at `column`, padding with '' up to it."""
    size = len(row)
    if column == size:
        row.append(value)
    elif column > size:
        row.extend([""] * (column - size))
        row.append(value)
    else:
        row[column] = value


class _StringPatterns:
    """The regular expressions for the shared-strings part with one namespace prefix."""

    def __init__(self, prefix: str) -> None:
        p = re.escape(prefix)
        self.end = f"</{prefix}si>".encode()
        self.close = f"</{prefix}sst>".encode()
        # An item: its text when it is one plain <t>, else its content (rich runs, phonetic runs).
        self.item = re.compile(rf"<{p}si>(?:<{p}t(?:\s[^>]*)?>([^<]*)</{p}t></{p}si>|(.*?)</{p}si>)|<{p}si\s*/>", re.S)
        self.text = re.compile(rf"<{p}t(?:\s[^>]*)?>([^<]*)</{p}t>")
        self.phonetic = re.compile(rf"<{p}rPh\b.*?</{p}rPh>", re.S)


_SST = re.compile(b"<(" + _NAME + b":)?sst(?=[\\s/>])")


def _string_chunks(stream: IO[bytes]) -> Iterator[tuple[_StringPatterns, str]]:
    """The shared-strings part as text cut after whole <si> items, one block at a time; EOFError when cut short."""
    data = b""
    patterns: _StringPatterns | None = None
    while True:
        block = stream.read(BLOCK_BYTES)
        data = data + block if data else block
        if patterns is None:
            found = _SST.search(data)
            if found is None:
                if not block:
                    return
                data = data[-256:]
                continue
            patterns = _StringPatterns((found.group(1) or b"").decode("ascii"))
            data = data[found.start() :]  # the XML declaration (a processing instruction) stays behind
        if not block and patterns.close not in data and not data.rstrip().endswith(b"/>"):  # `<sst/>`: no items
            raise EOFError("the shared strings end before their </sst>")
        cut = len(data) if not block else data.rfind(patterns.end) + len(patterns.end)
        if cut >= len(patterns.end):
            _check_plain(data, cut)
            yield patterns, data[:cut].decode("utf-8")
            data = data[cut:]
        if not block:
            return


_DAMAGE = (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, UnicodeDecodeError, PartRefusedError)


class StreamingXlsxSource:
    """An .xlsx read a block at a time: memory is the shared-strings table plus one block of XML."""

    kind = "xlsx"
    encoding: str | None = None
    delimiter: str | None = None

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise self._damaged(exc) from exc
        try:
            self._book = _Workbook(self._zip)
        except _DAMAGE as exc:
            self._zip.close()
            raise self._damaged(exc) from exc
        self.sheet_names = list(self._book.sheets)
        self._strings: list[str] | None = None
        self._styles: dict[bytes, int] | None = None
        self._row_counts: dict[str, int] = {}

    def _damaged(self, exc: BaseException, sheet: str | None = None) -> UnreadableFileError:
        """What is wrong with the file, in either language; what the parser found (`exc`) is its detail."""
        name = self.path.name
        where = {"en": f"{name}, sheet {sheet!r},", "zh_CN": f"{name} 的工作表“{sheet}”"} if sheet else name
        if isinstance(exc, PartRefusedError):
            return UnreadableFileError(code="file.part_refused", file=where, detail=str(exc))
        return UnreadableFileError(code="file.damaged", file=where, detail=f"{type(exc).__name__}: {exc}")

    def _part(self, sheet: str) -> str:
        part = self._book.sheets.get(sheet)
        if part is None:
            raise UnreadableFileError(code="file.no_sheet", file=self.path.name, sheet=sheet)
        return part

    def _load(self) -> tuple[list[str], dict[bytes, int]]:
        """The shared strings and date styles, read on first use and kept until `close`."""
        if self._strings is None or self._styles is None:
            try:
                styles = self._book.styles
                self._styles = style_kinds(_read_text(self._zip, styles)) if styles else {}
                self._strings = self._read_shared_strings()
            except _DAMAGE as exc:
                raise self._damaged(exc) from exc
        return self._strings, self._styles

    def _read_shared_strings(self) -> list[str]:
        """The shared-strings table, streamed: each <si>'s text runs joined, phonetic runs left out."""
        strings: list[str] = []
        if self._book.shared_strings is None:
            return strings
        with self._zip.open(self._book.shared_strings) as stream:
            for patterns, chunk in _string_chunks(stream):
                for simple, rich in patterns.item.findall(chunk):
                    if rich:
                        simple = "".join(patterns.text.findall(patterns.phonetic.sub("", rich)))
                    strings.append(xml_text(simple) if "&" in simple or "_x" in simple or "\r" in simple else simple)
        return strings

    def rows(self, sheet: str) -> Iterator[list[Cell]]:
        """The sheet's rows from Excel row 1: missing rows as [], missing cells as '', no trailing ''."""
        part = self._part(sheet)
        strings, styles = self._load()
        return self._rows(part, sheet, strings, styles)

    def _rows(self, part: str, sheet: str, strings: list[str], styles: Mapping[bytes, int]) -> Iterator[list[Cell]]:
        """The parse loop, written out flat because it runs once a cell (a million rows is 12 million).

        Each row whose cells all have the common shape is read by one `findall`; any other row (and a
        row whose values don't parse) is read again by `_general_rows`, which takes any XML.
        """
        date1904 = self._book.date1904
        columns = _COLUMNS
        codes: dict[bytes, int] = {}
        blank: list[Cell] = []
        expected = 1  # the Excel number of the next row to yield
        try:
            with self._zip.open(part) as stream:
                for patterns, chunk in _sheet_chunks(stream):
                    formula, inline = patterns.formula_or_inline
                    full = formula in chunk or inline in chunk
                    find_cells = (patterns.full_cell if full else patterns.fast_cell).findall
                    row_open, cell_open = patterns.row_open, patterns.cell_open
                    for piece in chunk.split(patterns.row_close):
                        start = piece.find(row_open)
                        if start < 0:
                            continue
                        close = piece.find(b">", start)
                        tag = piece[start + len(row_open) : close]
                        row: list[Cell] | None = None
                        if tag.startswith(b' r="') and not tag.endswith(b"/"):
                            number_text = tag[4 : tag.find(b'"', 4)]
                            cells = find_cells(piece, close)
                            if number_text.isdigit() and len(cells) == piece.count(cell_open, close):
                                # Cells are stored into a row as wide as the widest so far (up to
                                # PREALLOCATED_COLUMNS); a cell past that sends the row to the general reader.
                                row = blank[:]
                                try:
                                    for letters, attributes, text in cells:
                                        code = codes.get(attributes)
                                        if code is None:
                                            code = self._code(codes, attributes, styles)
                                        if code == SHARED:  # an empty <v/> raises ValueError: general reader
                                            row[columns[letters]] = strings[int(text)]
                                        elif not text:
                                            continue
                                        elif code == NUMBER:
                                            row[columns[letters]] = float(text)
                                        elif code == DATE_NUMBER:
                                            row[columns[letters]] = excel_date(float(text), date1904)
                                        else:
                                            value = _convert(code, text, date1904)
                                            if value.__class__ is not str or value:
                                                row[columns[letters]] = value
                                except (ValueError, IndexError, KeyError):
                                    row = None  # wider than the rows so far, or a value that doesn't parse
                                else:
                                    while row and row[-1] == "":
                                        row.pop()
                        if row is None:
                            piece += patterns.row_close  # split() took it away
                            for number, general in self._general_rows(
                                patterns, piece, expected, strings, styles, sheet
                            ):
                                while expected < number:
                                    yield []
                                    expected += 1
                                yield general
                                expected = number + 1
                                if len(blank) < len(general) <= PREALLOCATED_COLUMNS:
                                    blank = [""] * len(general)
                            continue
                        number = int(number_text)
                        if not expected <= number <= MAX_ROWS:
                            raise self._misplaced(sheet, number, expected)
                        while expected < number:
                            yield []
                            expected += 1
                        yield row
                        expected = number + 1
        except _DAMAGE as exc:
            raise self._damaged(exc, sheet) from exc

    def _code(self, codes: dict[bytes, int], attributes: bytes, styles: Mapping[bytes, int]) -> int:
        """The code for a fast cell's ` s="1" t="s"` text, remembered (a bounded number of them)."""
        found = dict(_STYLE_TYPE.findall(attributes))
        code = _cell_code(found.get(b"s", b""), found.get(b"t", b""), styles)
        if len(codes) < MAX_CACHED_CODES:
            codes[attributes] = code
        return code

    def _general_rows(
        self,
        patterns: _Patterns,
        piece: bytes,
        expected: int,
        strings: list[str],
        styles: Mapping[bytes, int],
        sheet: str,
    ) -> Iterator[tuple[int, list[Cell]]]:
        """(Excel row number, cells) for XML the fast path doesn't take: any attribute order, spaces,
        formulas before values, inline strings, rows or cells without `r`, self-closing rows."""
        date1904 = self._book.date1904
        for number_text, body in patterns.row.findall(piece):
            if number_text:
                number = int(number_text)
            else:
                first = _FIRST_REF.search(body) if body else None
                number = int(first.group(1)) if first else expected
            if not expected <= number <= MAX_ROWS:
                raise self._misplaced(sheet, number, expected)
            row: list[Cell] = []
            column = -1
            for letters, style, kind, text, rest in patterns.cell.findall(body):
                # A cell without `r` comes next to the one before it, empty or not (as calamine places it).
                column = _COLUMNS.get(letters.upper(), MAX_COLUMNS) if letters else column + 1
                code = _cell_code(style, kind, styles)
                value: Cell
                if kind == b"inlineStr":
                    inline = patterns.inline.search(rest)
                    runs = patterns.text.findall(patterns.phonetic.sub(b"", inline.group(1))) if inline else []
                    value = xml_text(b"".join(runs).decode("utf-8"))
                else:
                    if not text and rest:
                        found = patterns.value.search(rest)
                        text = found.group(1) if found else b""
                    if not text:
                        continue
                    value = self._shared(strings, text) if code == SHARED else _convert(code, text, date1904)
                if (value.__class__ is not str or value) and column < MAX_COLUMNS:
                    _place(row, column, value)
            yield number, row
            expected = number + 1

    def _shared(self, strings: list[str], text: bytes) -> str:
        try:
            index = int(text)
            if index < 0:
                raise IndexError(index)
            return strings[index]
        except (ValueError, IndexError):
            raise UnreadableFileError(
                code="file.bad_shared_string",
                file=self.path.name,
                ref=text.decode(errors="replace"),
                size=len(strings),
            ) from None

    def _misplaced(self, sheet: str, number: int, expected: int) -> UnreadableFileError:
        """A row numbered past Excel's last row, or not after the row before it (calamine would refuse or reorder)."""
        where = {"en": f"{self.path.name}, sheet {sheet!r}", "zh_CN": f"{self.path.name} 的工作表“{sheet}”"}
        if number > MAX_ROWS:
            return UnreadableFileError(code="file.row_past_last", where=where, number=number, last=MAX_ROWS)
        if number < 1:
            return UnreadableFileError(code="file.row_number", where=where, number=number)
        return UnreadableFileError(code="file.rows_out_of_order", where=where, number=number, previous=expected - 1)

    def row_count(self, sheet: str) -> int:
        """Rows up to the last one, for progress only: the <dimension> when it is plausible, else a scan.

        It is an estimate: a <dimension> that overstates the sheet is believed.
        """
        if sheet not in self._row_counts:
            try:
                self._row_counts[sheet] = self._count_rows(self._part(sheet))
            except _DAMAGE as exc:
                raise self._damaged(exc, sheet) from exc
        return self._row_counts[sheet]

    def _count_rows(self, part: str) -> int:
        with self._zip.open(part) as stream:
            head = stream.read(HEAD_BYTES)
        dimension = _DIMENSION.search(head)
        if dimension is not None:
            last = int(dimension.group(4) or dimension.group(2))
            if last <= MAX_ROWS and self._book.sizes.get(part, 0) <= last * PLAUSIBLE_ROW_BYTES + BLOCK_BYTES:
                return last
        last = 0
        with self._zip.open(part) as stream:
            for patterns, chunk in _sheet_chunks(stream):
                for number_text, body in patterns.row.findall(chunk):
                    first = None if number_text or not body else _FIRST_REF.search(body)
                    last = max(last, int(number_text) if number_text else int(first.group(1)) if first else last + 1)
        return min(last, MAX_ROWS)

    def close(self) -> None:
        self._strings = None
        self._styles = None
        self._zip.close()


# ---------------------------------------------------------------- choosing the reader

# calamine holds a whole sheet: measured peaks of 98 MB for a 41 MB sheet part (100k rows of
# bench/sample_export.py), 226 MB for 104 MB, 269 MB for 125 MB, 866 MB for 422 MB: ~2 bytes a
# byte of XML. It would stay under 250 MB up to ~115 MB of XML, but a sheet must first be checked
# for far-off cells, and that check costs about what streaming the sheet costs (~25 ms a MB either
# way), so past a few MB the streaming reader takes the sheet: as fast, ~15x less memory, no check.
STREAM_ABOVE_BYTES: Final = 8 * 1024 * 1024
# calamine allocates the rectangle from its first to its last cell, 32 bytes a cell: 6M is ~190 MB.
MAX_DENSE_CELLS: Final = 6_000_000
# Any `r` attribute's column letters (calamine takes lower case too) and row digits.
_REF_LETTERS = re.compile(rb"r\s*=\s*[\"']([A-Za-z]{2,})")
_REF_DIGITS = re.compile(rb"r\s*=\s*[\"'][A-Za-z]*(\d+)")
# What calamine's XML reader skips (a comment may even hold a </sheetData>), removed before counting.
_HIDDEN = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)


def _tag_pattern(name: bytes, after: bytes) -> re.Pattern[bytes]:
    """A start tag `name` under any namespace prefix, followed by `after` (written out twice: ~2x faster)."""
    return re.compile(b"<" + name + after + b"|<" + _NAME + b":" + name + after)


# Rows and cells under any namespace prefix; "placed" ones have `r` written first.
_ANY_ROW = _tag_pattern(b"row", rb"[\s/>]")
_PLACED_ROW = _tag_pattern(b"row", b' r="')
_ANY_CELL = _tag_pattern(b"c", rb"[\s/>]")
_PLACED_CELL = _tag_pattern(b"c", b' r="')
_DIGITS = re.compile(rb"\d+")


def _greater_than(number: int) -> re.Pattern[bytes]:
    """A pattern for an `r` attribute whose row number is above `number` (no leading zeros)."""
    text = str(number)
    options = [rb"\d{%d,}" % (len(text) + 1)]
    for position, digit in enumerate(text):
        if digit != "9":
            options.append(
                text[:position].encode() + b"[%d-9]" % (int(digit) + 1) + rb"\d" * (len(text) - position - 1)
            )
    return re.compile(rb"r\s*=\s*[\"'][A-Za-z]*(?:" + b"|".join(options) + rb")[\"']")


def _tag_counts(data: bytes) -> tuple[int, int, int, int]:
    """Cells, cells with `r` first, rows, rows with `r` first; never fewer cells or rows than there are.

    Without a namespace prefix, `count` is enough (`<c` also counts `<col`, `<color`: more, never
    fewer); with one, a regular expression over every prefix (4x slower).
    """
    if b":c" in data or b":row" in data:
        patterns = (_ANY_CELL, _PLACED_CELL, _ANY_ROW, _PLACED_ROW)
        cells, placed_cells, rows, placed_rows = (len(pattern.findall(data)) for pattern in patterns)
        return cells, placed_cells, rows, placed_rows
    return data.count(b"<c"), data.count(b'<c r="'), data.count(b"<row"), data.count(b'<row r="')


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """At least the (rows, columns) from A1 to the furthest cell calamine would place for this sheet.

    A few C-speed passes over the XML from <sheetData> on: the last row's number, whether anything
    names a row past it, whether anything names a column past Z. A cell or row whose
    `r` isn't written first (` r="`) counts one more column or row, as one without `r` is placed
    after the one before. Text that looks like a reference only makes the answer bigger, never smaller.
    """
    if b"<!" in xml or xml.find(b"<?", 1) >= 0:
        xml = _HIDDEN.sub(b"", xml)
    found = _SHEET_DATA.search(xml)
    if found is None:
        return 0, 0
    data = xml[found.end() :]  # to the end of the part: whatever calamine might still read counts
    cells, placed_cells, rows, placed_rows = _tag_counts(data)
    unplaced_cells, unplaced_rows = cells - placed_cells, rows - placed_rows
    last_row = data.rfind(b'row r="')  # rows go up: the last one's number is the highest...
    digits = _DIGITS.match(data, last_row + 7) if last_row >= 0 else None
    top = int(digits.group()) if digits else 0
    if _greater_than(top).search(data):  # ...unless some `r` names a higher one
        top = max(top, *map(int, set(_REF_DIGITS.findall(data))))
    letters = {name.upper() for name in _REF_LETTERS.findall(data)}
    last = max(letters, key=lambda name: (len(name), name)) if letters else b"Z" if cells else b""
    width = column_index(last.decode()) + 1 if last else 0
    return top + unplaced_rows, width + unplaced_cells


def needs_streaming(path: Path, part_sizes: Mapping[str, int] | None = None) -> bool:
    """True when calamine shouldn't read this .xlsx: a worksheet part above STREAM_ABOVE_BYTES, or
    cells spread over more than MAX_DENSE_CELLS (a lone cell at XFD1048576 would ask for 512 GiB).

    Every worksheet counts (the import looks at each for its header). So does a part that can't be
    read: calamine would take it unchecked, while the streaming reader bounds its memory whatever
    the XML holds and names the damage it meets.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            book = _Workbook(archive)
            for part in book.sheets.values():
                size = (part_sizes or {}).get(part, book.sizes.get(part, 0))
                if size > STREAM_ABOVE_BYTES:
                    return True
                with archive.open(part) as stream:
                    rows, columns = sheet_extent(stream.read(STREAM_ABOVE_BYTES))
                if rows * columns > MAX_DENSE_CELLS:
                    return True
    except (*_DAMAGE, ValueError):
        return True
    return False
