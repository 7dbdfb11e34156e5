"""Workbooks made by hand to hurt a reader: cells at the far corner of the sheet, decompression bombs (one
honest about its size, one lying), not a zip, a truncated zip, an .xlsb renamed .xlsx, a CSV in Big5.

Each is imported by the real command line under a 1.5 GB address-space limit and a time limit: it must end
with one line on stderr (exit 2) and the database as it was. The far-corner workbooks hold a real header and
two good rows, so reading their two rows and ignoring the stray cell (exit 0, two rows) passes as well; the
note says how long that took.
"""

from __future__ import annotations

import resource
import struct
import subprocess
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from reliability.common import HEADER, Outcome, _count, copy_database, one_error_line, run_cli, snapshot

ADDRESS_SPACE = 1536 * 1024**2
TIME_LIMIT = 60.0
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
    f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
Part = tuple[str, Iterable[bytes], int | None]  # name, content in chunks, the size to declare (None: the true one)


def _zip(path: Path, parts: list[Part]) -> None:
    """A zip written by hand (deflated, no zip64), so that a part can declare a size it does not have."""
    central = b""
    with path.open("wb") as handle:
        for name, chunks, declared in parts:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            crc, size, compressed = 0, 0, bytearray()
            for chunk in chunks:
                crc = zlib.crc32(chunk, crc)
                size += len(chunk)
                compressed += compressor.compress(chunk)
            compressed += compressor.flush()
            usize = size if declared is None else declared
            encoded = name.encode()
            offset = handle.tell()
            fields = (20, 0, 8, 0, 0x21, crc, len(compressed), usize, len(encoded))
            handle.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + compressed)
            central += struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIH", *fields)
            central += struct.pack("<HHHHII", 0, 0, 0, 0, 0, offset) + encoded
        start = handle.tell()
        handle.write(central)
        handle.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), start, 0))


def _cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def _good_rows() -> str:
    header = "".join(_cell(f"{chr(65 + column)}1", word) for column, word in enumerate(HEADER))
    rows = [f'<row r="1">{header}</row>']
    for number in (2, 3):
        values = (
            f"H{number:06d}",
            "2026-11-02 10:00:00",
            f"C9{number:04d}",
            f"1391234{number:04d}",
            "消费",
            "8.50",
            "成功",
        )
        cells = "".join(_cell(f"{chr(65 + column)}{number}", value) for column, value in enumerate(values))
        rows.append(f'<row r="{number}">{cells}</row>')
    return "".join(rows)


def _workbook(path: Path, sheet: str, strings: Iterable[bytes] = (b"<sst/>",), declared: int | None = None) -> None:
    xml = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{sheet}</worksheet>'
    _zip(
        path,
        [
            ("[Content_Types].xml", [CONTENT_TYPES.encode()], None),
            ("_rels/.rels", [ROOT_RELS.encode()], None),
            ("xl/workbook.xml", [WORKBOOK.encode()], None),
            ("xl/_rels/workbook.xml.rels", [WORKBOOK_RELS.encode()], None),
            ("xl/worksheets/sheet1.xml", [xml.encode()], None),
            ("xl/sharedStrings.xml", strings, declared),
        ],
    )


def _far_cell(path: Path, reference: str) -> None:
    row = "".join(ch for ch in reference if ch.isdigit())
    sheet = f'<dimension ref="A1:{reference}"/><sheetData>{_good_rows()}<row r="{row}">{_cell(reference, "x")}</row>'
    _workbook(path, sheet + "</sheetData>")


def _huge_string(megabytes: int) -> Iterator[bytes]:
    """Shared strings whose one string is `megabytes` MB of the letter A."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
    block = b"A" * 1024**2
    for _ in range(megabytes):
        yield block
    yield b"</t></si></sst>"


def _bomb(path: Path, megabytes: int, declared: int | None) -> None:
    sheet = '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
    _workbook(path, sheet, _huge_string(megabytes), declared)


def make_files(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}

    def name(label: str, file_name: str) -> Path:
        files[label] = folder / file_name
        return files[label]

    folder.mkdir(exist_ok=True)
    _far_cell(name("cell at XFD1048576", "far-corner.xlsx"), "XFD1048576")
    _far_cell(name("cell at Z1000000", "far-down.xlsx"), "Z1000000")
    _bomb(name("bomb (ratio ~1000)", "bomb.xlsx"), 300, None)
    _bomb(name("bomb lying about its size", "liar.xlsx"), 1000, 900_000)
    name("not a zip", "noise.xlsx").write_bytes(bytes(range(256)) * 64)
    good = folder / "good.xlsx"
    _workbook(good, f"<sheetData>{_good_rows()}</sheetData>")
    whole = good.read_bytes()
    name("truncated zip", "truncated.xlsx").write_bytes(whole[: len(whole) // 2])
    _zip(
        name(".xlsb renamed .xlsx", "binary.xlsx"),
        [
            ("[Content_Types].xml", [CONTENT_TYPES.replace("workbook.xml", "workbook.bin").encode()], None),
            ("_rels/.rels", [ROOT_RELS.replace("workbook.xml", "workbook.bin").encode()], None),
            ("xl/workbook.bin", [b"\x83\x01\x00\x80\x01\x00" * 200], None),
            ("xl/worksheets/sheet1.bin", [b"\x81\x01\x00\x94\x03\x00" * 200], None),
        ],
    )
    big5_header = ("交易流水號", "交易時間", "客戶編號", "手機號碼", "交易類型", "交易金額", "交易狀態")
    lines = [",".join(big5_header)] + [
        f"B{n:05d},2026-11-02 10:00:00,C8{n:04d},1371234{n:04d},消費,9.50,成功" for n in range(40)
    ]
    name("CSV in Big5", "big5.csv").write_bytes("\r\n".join(lines).encode("big5"))
    return files


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def hostile_workbooks(work: Path, template: Path) -> Outcome:
    outcome = Outcome("hostile workbooks")
    files = make_files(work / "hostile")
    failures: list[str] = []
    slowest = 0.0
    far = ""
    for label, path in files.items():
        db = work / f"hostile-{path.stem}.sqlite3"
        copy_database(template, db)
        before = snapshot(db)
        transactions = _count(db, "SELECT COUNT(*) FROM transactions")
        started = time.monotonic()
        try:
            result = run_cli(db, "import", str(path), timeout=TIME_LIMIT, preexec_fn=_limit_memory)
        except subprocess.TimeoutExpired:
            outcome.runs += 1
            failures.append(f"{label}: still running after {TIME_LIMIT:.0f} s")
            continue
        seconds = time.monotonic() - started
        slowest = max(slowest, seconds)
        outcome.runs += 1
        refused = one_error_line(result.returncode, result.stderr) and snapshot(db) == before
        stray_ignored = (
            label.startswith("cell at")
            and result.returncode == 0
            and _count(db, "SELECT COUNT(*) FROM transactions") == transactions + 2
        )
        if refused or stray_ignored:
            outcome.passed += 1
            if stray_ignored:
                far += f", {label} imported its 2 rows in {seconds:.0f} s"
        else:
            tail = result.stderr.strip().splitlines()[-1:] or [""]
            failures.append(
                f"{label}: exit {result.returncode}, {len(result.stderr.splitlines())} lines: {tail[0][:70]}"
            )
    outcome.note = "; ".join(failures)[:200] if failures else f"each refused in one line{far}; slowest {slowest:.1f} s"
    return outcome
