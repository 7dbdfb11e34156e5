"""The streaming .xlsx reader: the values python-calamine gives, bounded memory on far-off cells, damage named."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import python_calamine
import xlsxwriter
from peewee import Database

from tests.import_files import numbered_rows, write_xlsx
from wallet_crm.errors import UnreadableFileError
from wallet_crm.imports import import_file, preview_file
from wallet_crm.imports.values import Cell
from wallet_crm.imports.xlsx_stream import StreamingXlsxSource, needs_streaming, sheet_extent

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def hand_made(
    path: Path,
    sheets: dict[str, str],
    strings: str | None = None,
    styles: str | None = None,
    date1904: bool = False,
    prefix: str = "",
    method: int = zipfile.ZIP_DEFLATED,
    sheet_rels_attributes: str = "",
) -> Path:
    """A workbook zipped by hand: `sheets` maps names to what goes inside <sheetData>, written as given."""
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="{MAIN_NS}"'
    sheet_list = "".join(f'<{p}sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"{sheet_rels_attributes}/>'
        for i in range(1, len(sheets) + 1)
    )
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE_RELS_NS}"><Relationship Id="rId1" '
        f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}workbook {ns} xmlns:r="{REL_NS}">'
        + (f'<{p}workbookPr date1904="1"/>' if date1904 else "")
        + f"<{p}sheets>{sheet_list}</{p}sheets></{p}workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE_RELS_NS}">{rels}'
        + (f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>' if strings else "")
        + (f'<Relationship Id="rIdT" Type="{REL_NS}/styles" Target="styles.xml"/>' if styles else "")
        + "</Relationships>",
    }
    for i, data in enumerate(sheets.values(), 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}worksheet {ns}><{p}sheetData>{data}</{p}sheetData>'
            f"</{p}worksheet>"
        )
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}sst {ns}>{strings}</{p}sst>'
    if styles is not None:
        parts["xl/styles.xml"] = f"<{p}styleSheet {ns}>{styles}</{p}styleSheet>"
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def typed(rows: list[list[Cell]]) -> list[list[tuple[type, Cell]]]:
    """Rows cell by cell with each cell's type: 1.0 == True and 1 == 1.0, but they are not the same cell."""
    return [[(type(cell), cell) for cell in row] for row in rows]


def streamed(path: Path, sheet: str) -> list[list[Cell]]:
    source = StreamingXlsxSource(path)
    try:
        rows = list(source.rows(sheet))
    finally:
        source.close()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def by_calamine(path: Path, sheet: str) -> list[list[Cell]]:
    """calamine's rows with their trailing '' dropped (it pads every row to the sheet's width)."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        rows: list[list[Cell]] = [list(row) for row in book.get_sheet_by_name(sheet).iter_rows()]
    finally:
        book.close()
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    return rows


def assert_same_as_calamine(path: Path) -> None:
    source = StreamingXlsxSource(path)
    names = source.sheet_names
    source.close()
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    assert names == [meta.name for meta in book.sheets_metadata]
    book.close()
    for name in names:
        assert typed(streamed(path, name)) == typed(by_calamine(path, name)), name


# --- the same values as calamine -------------------------------------------------------------------


def _xlsxwriter_book(path: Path, date1904: bool) -> Path:
    """What Excel-like writers produce: shared strings (rich text, escapes), styles, formulas, two more sheets."""
    book = xlsxwriter.Workbook(str(path), {"date_1904": date1904})
    fmt = {
        name: book.add_format({"num_format": code})
        for name, code in (
            ("date", "yyyy-mm-dd"),
            ("datetime", "yyyy-mm-dd hh:mm:ss"),
            ("time", "hh:mm:ss"),
            ("elapsed", "[h]:mm:ss"),
            ("money", '"¥"#,##0.00'),
            ("percent", "0.00%"),
        )
    }
    bold, red = book.add_format({"bold": True}), book.add_format({"font_color": "red"})
    sheet = book.add_worksheet("交易明细")
    sheet.write_string(2, 0, "title after two empty rows")
    sheet.write_row(3, 0, ["text", 1.5, 42, -0.25, True, False, 13812345678, 1e20])
    sheet.write_datetime(4, 0, dt.datetime(2026, 11, 3, 14, 5, 9, 500000), fmt["datetime"])
    sheet.write_datetime(4, 1, dt.datetime(2026, 11, 3), fmt["date"])
    sheet.write_datetime(4, 2, dt.time(7, 30, 15), fmt["time"])
    sheet.write_number(4, 3, 1.75, fmt["elapsed"])
    sheet.write_number(4, 4, 1234.5, fmt["money"])
    sheet.write_number(4, 5, 0.125, fmt["percent"])
    sheet.write_datetime(4, 6, dt.datetime(1904, 1, 2) if date1904 else dt.datetime(1900, 1, 1), fmt["date"])
    sheet.write_datetime(4, 7, dt.datetime(1900, 3, 1, 12), fmt["datetime"])
    sheet.write_formula(5, 0, "=1/0", None, "#DIV/0!")
    sheet.write_formula(5, 1, '="a"&"b"', None, "ab")
    sheet.write_formula(5, 2, "=1+1", None, 2)
    sheet.write_formula(5, 4, "=TRUE()", None, True)
    sheet.write_rich_string(6, 0, "plain ", bold, "bold", " and ", red, "red")
    sheet.write_string(6, 2, "A & B <c> \"q\" 's' 中文")
    sheet.write_string(6, 3, "line1\nline2\r\nline3")  # the CR is written as _x000D_
    sheet.write_string(6, 5, "literal _x000D_ text")  # written as _x005F_x000D_
    sheet.write_string(7, 9, "far right")
    sheet.write_blank(8, 0, None, bold)
    other = book.add_worksheet("说明")
    other.write_row(0, 0, ["a", "b"])
    other.write_row(1, 0, [1, 2])
    book.add_worksheet("empty")
    book.close()
    return path


@pytest.mark.parametrize("date1904", [False, True], ids=["1900", "1904"])
def test_an_xlsxwriter_workbook_reads_as_calamine_reads_it(tmp_path: Path, date1904: bool) -> None:
    path = _xlsxwriter_book(tmp_path / "types.xlsx", date1904)

    assert_same_as_calamine(path)
    rows = streamed(path, "交易明细")
    assert rows[:2] == [[], []]
    assert rows[4][:4] == [
        dt.datetime(2026, 11, 3, 14, 5, 9, 500000),
        dt.date(2026, 11, 3),
        dt.time(7, 30, 15),
        dt.timedelta(hours=42),
    ]
    assert rows[5][:2] == ["", "ab"] and rows[6][0] == "plain bold and red"
    assert rows[6][3] == "line1\nline2\r\nline3" and rows[6][5] == "literal _x000D_ text"


STYLES = (
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy/mm/dd hh:mm"/>'
    '<numFmt numFmtId="165" formatCode="[h]:mm"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165"/>'
    '<xf numFmtId="14"/></cellXfs>'
)
STRINGS = (
    "<si><t>plain</t></si>"
    '<si><r><rPr><b/></rPr><t xml:space="preserve">rich </t></r><r><t>text</t></r>'
    '<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>'
    "<si><t>a &amp; b &lt;c&gt; &#x4E2D;&#25991;</t></si>"
    "<si><t>cr_x000D_lf</t></si>"
    "<si/>"
    '<si><t xml:space="preserve">  spaced  </t></si>'
    "<si><t>x&#13;y</t></si>"
)
ODD_ROWS = (
    '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c><c r="C3" t="s"><v>2</v></c>'
    '<c r="D3" t="s"><v>3</v></c><c r="E3" t="s"><v>4</v></c><c r="F3" t="s"><v>5</v></c><c r="G3" t="s"><v>6</v></c>'
    "</row>"
    '<row r="4"><c r="A4" t="inlineStr"><is><t>in &amp; line</t></is></c>'
    '<c r="B4" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c>'
    '<c r="C4" t="str"><f>A1</f><v>formula &amp; text</v></c><c r="D4" t="e"><v>#N/A</v></c>'
    '<c r="E4" t="b"><v>1</v></c><c r="F4" t="b"><v>0</v></c>'
    '<c r="G4" t="d"><v>2026-11-03T14:05:09</v></c><c r="H4" t="d"><v>2026-11-03</v></c></row>'
    '<row r="5"><c r="A5" s="1"><v>46329.5876</v></c><c r="B5" s="2"><v>1.5</v></c><c r="C5" s="3"><v>46329</v></c>'
    '<c r="D5" s="1"><v>0.25</v></c><c r="E5"><v>-1.5E-3</v></c><c r="F5" s="1"/><c r="G5"><v></v></c>'
    '<c r="H5" t="n"><v>7</v></c></row>'
    '<row><c t="inlineStr"><is><t>no r</t></is></c><c/><c><v>2</v></c></row>'
    '<row r="8" spans="1:3"><c s="0" r="B8"><v>3</v></c>'
    '<c r="D8" t="inlineStr" s="0"><is><t xml:space="preserve"> x_x000D_y </t></is></c></row>'
    '<row r="9"/>'
    '<row r="10" ht="20" customHeight="1"><c r="A10"><f>1+1</f><v>2</v></c><c r="c10"><v>4</v></c>'
    '<c r="aa10"><v>5</v></c></row>'
)


# Cells a column of an export may mix from row to row: a date or its text, a number or its text,
# nothing at all, an empty or self-closing cell, an error, a boolean, a formula-less t="str".
MIXED_CELLS = (
    '<c r="{c}{n}" t="s"><v>{s}</v></c>',
    '<c r="{c}{n}" s="1"><v>46329.5876</v></c>',
    '<c r="{c}{n}" s="3"><v>46329</v></c>',
    '<c r="{c}{n}"><v>{n}.25</v></c>',
    '<c r="{c}{n}" s="2"><v>1.5</v></c>',
    "",
    '<c r="{c}{n}" s="1"/>',
    '<c r="{c}{n}"><v></v></c>',
    '<c r="{c}{n}" t="e"><v>#N/A</v></c>',
    '<c r="{c}{n}" t="b"><v>1</v></c>',
    '<c r="{c}{n}" t="str"><v>a &amp; b</v></c>',
    '<c r="{c}{n}" s="1"><v>not a date</v></c>',
    '<c r="{c}{n}"><v>not a number</v></c>',
)


def _mixed_rows(count: int, seed: int) -> str:
    """`count` rows of five columns, each column's cells drawn from MIXED_CELLS, some columns of one kind."""
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        cells = [MIXED_CELLS[0].format(c="A", n=number, s=number % 7)]  # one kind all the way down
        for column in "BCD":
            cells.append(rng.choice(MIXED_CELLS).format(c=column, n=number, s=rng.randrange(7)))
        cells.append(MIXED_CELLS[3].format(c="E", n=number))  # numbers only
        rows.append(f'<row r="{number}" spans="1:5">{"".join(cells)}</row>')
    return "".join(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_columns_that_mix_kinds_from_row_to_row_read_as_calamine_reads_them(tmp_path: Path, seed: int) -> None:
    """An export's column may hold a date on one row and its text on the next, numbers and gaps: each cell
    reads as calamine reads it, and so do a gap in the row numbers and a row wider than the rest."""
    rows = _mixed_rows(300, seed)
    gap = rows + '<row r="305"><c r="A305" t="s"><v>1</v></c></row>'
    wider = rows + '<row r="301"><c r="A301"><v>1</v></c><c r="H301"><v>2</v></c></row>'
    path = hand_made(tmp_path / "mixed.xlsx", {"Same": rows, "Gap": gap, "Wider": wider}, STRINGS, STYLES)

    assert_same_as_calamine(path)
    same = streamed(path, "Same")
    assert len(same) == 300 and {row[4] for row in same} == {number + 0.25 for number in range(1, 301)}
    assert streamed(path, "Gap")[300:] == [[], [], [], [], ["rich text"]]
    assert streamed(path, "Wider")[300] == [1.0, *[""] * 6, 2.0]


@pytest.mark.parametrize("index", ["7", "99", ""], ids=["past-the-table", "far-past", "empty"])
def test_a_shared_string_index_outside_the_table_is_named(tmp_path: Path, index: str) -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>{n % 7}</v></c></row>' for n in range(1, 50))
    rows += f'<row r="50"><c r="A50" t="s"><v>{index}</v></c></row>'
    path = hand_made(tmp_path / "bad.xlsx", {"S": rows}, STRINGS)

    if not index:  # an empty shared-string cell is an empty cell, as calamine reads it
        assert streamed(path, "S")[49:] == [] and len(streamed(path, "S")) == 49
        return
    with pytest.raises(UnreadableFileError, match=f"{index}") as caught:
        list(StreamingXlsxSource(path).rows("S"))
    assert caught.value.message_code == "file.bad_shared_string"


def _prefixed(xml: str, prefix: str) -> str:
    """The same XML with every SpreadsheetML element under `prefix:` (as some .NET writers save it)."""
    for name in ("row", "c", "v", "f", "is", "t", "r", "rPr", "b", "rPh", "si", "numFmts", "numFmt", "cellXfs", "xf"):
        xml = xml.replace(f"<{name}>", f"<{prefix}:{name}>").replace(f"<{name} ", f"<{prefix}:{name} ")
        xml = xml.replace(f"<{name}/>", f"<{prefix}:{name}/>").replace(f"</{name}>", f"</{prefix}:{name}>")
    return xml


@pytest.mark.parametrize(
    ("date1904", "prefix"), [(False, ""), (True, ""), (False, "x")], ids=["1900", "1904", "prefixed"]
)
def test_hand_written_xml_reads_as_calamine_reads_it(tmp_path: Path, date1904: bool, prefix: str) -> None:
    """Inline and rich strings, entities and `_xHHHH_` escapes, formulas, errors, t="d", rows and cells
    without `r`, attributes in any order, lower-case references, an empty sheet."""
    rows, strings, styles = ODD_ROWS, STRINGS, STYLES
    if prefix:
        rows, strings, styles = _prefixed(rows, prefix), _prefixed(strings, prefix), _prefixed(styles, prefix)
    sheets = {"Odd": rows, "Empty": ""}
    path = hand_made(tmp_path / "odd.xlsx", sheets, strings, styles, date1904=date1904, prefix=prefix)

    assert_same_as_calamine(path)
    odd = streamed(path, "Odd")
    assert odd[2][:4] == ["plain", "rich text", "a & b <c> 中文", "cr\rlf"] and odd[2][5:] == ["  spaced  ", "x\ry"]
    assert odd[5] == ["no r", "", 2.0] and odd[9] == [2.0, "", 4.0, *[""] * 23, 5.0]


def test_an_empty_column_a_is_kept_where_calamine_drops_it(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="B1" t="inlineStr"><is><t>id</t></is></c></row><row r="2"><c r="C2"><v>1</v></c></row>'
    path = hand_made(tmp_path / "from_b.xlsx", {"S": rows})

    assert streamed(path, "S") == [["", "id"], ["", "", 1.0]]
    assert by_calamine(path, "S") == [["id"], ["", 1.0]]


# --- far-off cells: refused or bounded before reading ------------------------------------------------

BOUNDED_IMPORT = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path

    limit = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # calamine's dense rectangle would abort here
    from wallet_crm.db import open_database
    from wallet_crm.errors import UnreadableFileError
    from wallet_crm.imports import import_file, preview_file
    from wallet_crm.imports.xlsx_stream import needs_streaming

    path = Path(sys.argv[1])
    db = open_database(Path(sys.argv[2]))
    started = time.perf_counter()
    preview = preview_file(db, path)
    try:
        outcome = f"imported {import_file(db, path).inserted}"
    except UnreadableFileError as exc:
        outcome = str(exc)
    figures = {
        "streams": needs_streaming(path),
        "preview": [preview.header_row, list(preview.rows[0]) if preview.rows else []],
        "outcome": outcome,
        "seconds": time.perf_counter() - started,
        # VmHWM, this process's own peak: ru_maxrss would carry over the parent's (pytest's) across the exec.
        "peak_mb": int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]) / 1024,
    }
    print(json.dumps(figures))
    """
)
ADDRESS_SPACE = 1536 * 1024 * 1024


def _import_in_bounded_child(path: Path, db_path: Path) -> dict[str, object]:
    """preview_file then import_file in a child limited to 1.5 GB of address space: an abort fails the test."""
    command = [sys.executable, "-c", BOUNDED_IMPORT, str(path), str(db_path), str(ADDRESS_SPACE)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"the import died ({done.returncode}): {done.stderr[-2000:]}"
    figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


@pytest.mark.parametrize("far", ["XFD1048576", "Z1000000"])
def test_a_tiny_workbook_with_a_far_off_cell_is_answered_quickly_in_little_memory(tmp_path: Path, far: str) -> None:
    """A 1 KB file: calamine would allocate the rectangle up to `far` (512 GiB; 843 MB), so it is streamed."""
    number = far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>交易流水号</t></is></c></row>'
    rows += f'<row r="{number}"><c r="{far}"><v>1</v></c></row>'
    path = hand_made(tmp_path / "far.xlsx", {"Sheet1": rows})
    assert path.stat().st_size < 3000 and needs_streaming(path)

    figures = _import_in_bounded_child(path, tmp_path / "crm.sqlite3")

    assert figures["streams"] is True
    assert figures["preview"] == [1, []]  # the first filled row as the header, nothing under it in 20 rows
    assert figures["outcome"] == (
        "No header row found in far.xlsx: expected columns such as 交易单号、交易时间、金额 in the first rows."
    )
    assert isinstance(figures["seconds"], float) and figures["seconds"] < 5
    assert isinstance(figures["peak_mb"], float) and figures["peak_mb"] < 300


def test_an_export_with_a_stray_cell_at_xfd1048576_previews_from_the_stream(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "stray.xlsx", numbered_rows(3))
    with zipfile.ZipFile(path) as original:
        parts = {item.filename: original.read(item) for item in original.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert needs_streaming(path)

    preview = preview_file(db, path)

    assert preview.header_row == 4 and preview.rows[0][0] == "T00001" and len(preview.rows) == 20


FIRST = '<row r="1"><c r="A1"><v>1</v></c></row>'
FAR = '<row r="1000000"><c r="Z1000000"><v>1</v></c></row>'


@pytest.mark.parametrize(
    ("rows", "rels"),
    [
        (FIRST + '<row r="100000"><c r="xfd100000"><v>1</v></c></row>', ""),  # calamine takes lower case
        (FIRST + "<!-- </sheetData> -->" + FAR, ""),  # calamine reads on after a comment
        (_prefixed(FIRST + FAR, "y").replace("<y:row ", f'<y:row xmlns:y="{MAIN_NS}" '), ""),  # `<y:c`, not `<c`
        (FIRST + FAR, ' TargetMode="External"'),  # calamine reads the part all the same
    ],
    ids=["lower-case", "comment", "other-prefix", "external-target"],
)
def test_far_cells_are_found_however_the_xml_is_written(tmp_path: Path, rows: str, rels: str) -> None:
    """Each of these made calamine allocate 0.8 GB or more (or abort) while the check said "small"."""
    path = hand_made(tmp_path / "far.xlsx", {"S": rows}, sheet_rels_attributes=rels)

    assert needs_streaming(path)


def test_a_sheet_extent_counts_from_a1_to_the_furthest_cell() -> None:
    assert sheet_extent(b'<sheetData><row r="2"><c r="B2"><v>1</v></c></row></sheetData>') == (2, 26)
    assert sheet_extent(b'<sheetData><row r="1"><c r="AB1"/></row><row r="7"/></sheetData>') == (7, 28)
    assert sheet_extent(b"<sheetData><row><c><v>1</v></c><c/></row><row/></sheetData>") == (2, 28)
    assert sheet_extent(b"<worksheet/>") == (0, 0)


def test_an_ordinary_workbook_stays_with_calamine(tmp_path: Path) -> None:
    assert not needs_streaming(write_xlsx(tmp_path / "small.xlsx", numbered_rows(50)))


# --- damage is named, and nothing is read from a part cut short -------------------------------------


def _damaged_copy(source: Path, path: Path, part: str, change: bytes, to: bytes) -> Path:
    """A copy of `source` whose `part` is stored uncompressed with `change` replaced: the zip's CRC no longer fits."""
    with zipfile.ZipFile(source) as original:
        parts = {item.filename: original.read(item) for item in original.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    data = path.read_bytes()
    where = data.index(parts[part]) + parts[part].index(change)
    path.write_bytes(data[:where] + to + data[where + len(change) :])
    return path


def test_a_damaged_sheet_part_is_an_unreadable_file_naming_it(db: Database, tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "whole.xlsx", numbered_rows(50))
    path = _damaged_copy(source, tmp_path / "bitrot.xlsx", "xl/worksheets/sheet1.xml", b"T00042", b"T0004X")
    assert needs_streaming(path)  # calamine would not be handed a part that can't be checked

    with pytest.raises(UnreadableFileError, match=r"bitrot\.xlsx, sheet '交易明细', is damaged.*CRC"):
        list(StreamingXlsxSource(path).rows("交易明细"))
    with pytest.raises(UnreadableFileError, match=r"bitrot\.xlsx.* is damaged") as caught:
        import_file(db, path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2', "ends before its </sheetData>"),
        ('<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>', "row 2 comes after row 3"),
        ('<row r="0"><c r="A1"><v>1</v></c></row>', "a row is numbered 0"),
        ('<row r="2000000"><c r="A2000000"><v>1</v></c></row>', "past Excel's last row"),
        ('<row r="1"><c r="A1"><v>1</v></c></row><!-- a note -->', "comments, CDATA sections"),
    ],
    ids=["cut-short", "out-of-order", "row-zero", "past-last-row", "comment"],
)
def test_a_sheet_it_cannot_read_as_calamine_would_is_refused(tmp_path: Path, rows: str, message: str) -> None:
    path = hand_made(tmp_path / "odd.xlsx", {"S": rows})
    if "</sheetData>" in message:  # cut the part inside the rows, keeping the zip sound
        with zipfile.ZipFile(path) as original:
            parts = {item.filename: original.read(item) for item in original.infolist()}
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].partition(b"</sheetData>")[0]
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)

    with pytest.raises(UnreadableFileError, match=r"^odd\.xlsx, sheet 'S'") as caught:
        list(StreamingXlsxSource(path).rows("S"))
    assert message in str(caught.value)


def test_shared_strings_cut_short_are_damage(tmp_path: Path) -> None:
    path = hand_made(tmp_path / "cut.xlsx", {"S": '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'}, "<si><t>a</t></si>")
    with zipfile.ZipFile(path) as original:
        parts = {item.filename: original.read(item) for item in original.infolist()}
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(b"</sst>", b"<si><t>b")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    with pytest.raises(UnreadableFileError, match=r"cut\.xlsx is damaged.*end before their </sst>"):
        list(StreamingXlsxSource(path).rows("S"))


def test_a_part_in_a_compression_method_that_cannot_be_checked_is_refused(db: Database, tmp_path: Path) -> None:
    path = hand_made(tmp_path / "deflate64.xlsx", {"S": FIRST}, method=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, method_at, name_at in ((b"PK\x03\x04", 8, 30), (b"PK\x01\x02", 10, 46)):
        header = data.index(signature)
        while data[header + name_at : header + name_at + len(name)] != name:
            header = data.index(signature, header + 4)
        data[header + method_at : header + method_at + 2] = (9).to_bytes(2, "little")  # Deflate64
    path.write_bytes(bytes(data))

    with pytest.raises(UnreadableFileError, match=r"deflate64\.xlsx can't be checked: .* unusual method \(9\)"):
        import_file(db, path)
