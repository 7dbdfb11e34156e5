"""A seeded .xlsx shaped like a wallet back-office export, written fast enough for a million rows.

openpyxl writes ~3,500 rows/s, too slow to make 1M-row files, so the parts are written by hand the
way Excel saves them: every text in the shared-strings table, times as serial numbers with a date
style, phone numbers as numbers, a title and a date range above the header, a totals row and a note
below. A share of cells take the messy forms real exports have (trailing tabs, `¥1,234.50`, `+86`).
"""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from wallet_crm.demo import make_mobile, make_name

HEADER = (
    "交易流水号",
    "交易时间",
    "客户编号",
    "用户姓名",
    "手机号码",
    "交易类型",
    "交易金额(元)",
    "交易状态",
    "支付渠道",
    "商户名称",
    "备注",
    "操作员",
)
TYPES = (("消费", 55), ("转账", 20), ("充值", 12), ("提现", 8), ("退款", 5))
STATUSES = (("支付成功", 85), ("失败", 8), ("处理中", 3), ("已退款", 2), ("交易关闭", 2))
CHANNELS = ("余额", "储蓄卡", "信用卡")
MERCHANTS = ("城市便利店", "好味餐厅", "快捷出行", "话费充值", "网上商城", "社区超市", "咖啡小站")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="交易明细" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
# Style 1: numFmt 22 (m/d/yyyy h:mm), so readers see a datetime; style 2: two decimals for money.
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


class _Strings:
    """The shared-strings table: each distinct text once, cells refer to it by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def ref(self, text: str) -> int:
        self.count += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in self.index)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>'
        )


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


COLUMNS = [_column(i) for i in range(len(HEADER))]


def _row(number: int, cells: list[object], strings: _Strings) -> str:
    parts = []
    for column, value in zip(COLUMNS, cells, strict=False):
        ref = f"{column}{number}"
        if value is None:
            continue
        if isinstance(value, str):
            parts.append(f'<c r="{ref}" t="s"><v>{strings.ref(value)}</v></c>')
        elif isinstance(value, dt.datetime):
            serial = (value - EXCEL_EPOCH).total_seconds() / 86400
            parts.append(f'<c r="{ref}" s="1"><v>{serial!r}</v></c>')
        elif isinstance(value, float):
            parts.append(f'<c r="{ref}" s="2"><v>{value!r}</v></c>')
        else:
            parts.append(f'<c r="{ref}"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(parts)}</row>'


def write_export(path: Path, rows: int, seed: int = 20261123, start: dt.datetime | None = None) -> Path:
    """Write `rows` transactions (about one customer per five rows) to `path`."""
    rng = random.Random(seed)
    start = start or dt.datetime(2026, 10, 1)
    strings = _Strings()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
        ):
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<dimension ref="A1:L{rows + 7}"/><sheetData>'.encode()
            )
            for block in _sheet_rows(rng, rows, start, strings):
                sheet.write(block.encode())
            sheet.write(b"</sheetData></worksheet>")
        archive.writestr("xl/sharedStrings.xml", strings.xml())
    return path


def _sheet_rows(rng: random.Random, rows: int, start: dt.datetime, strings: _Strings) -> Iterator[str]:
    """The sheet's rows as XML, a few thousand at a time."""
    customers = [(f"C{100000 + i}", make_name(rng), make_mobile(rng)[3:]) for i in range(max(rows // 5, 1))]
    types = rng.choices([t for t, _ in TYPES], weights=[w for _, w in TYPES], k=rows)
    statuses = rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES], k=rows)
    yield _row(1, ["XX钱包交易明细"], strings)
    yield _row(2, [f"起始日期：{start:%Y-%m-%d}  终止日期：{start + dt.timedelta(days=30):%Y-%m-%d}"], strings)
    yield _row(4, list(HEADER), strings)
    total_fen = 0
    step = 30 * 86400 / max(rows, 1)
    block: list[str] = []
    for index in range(rows):
        customer_id, name, phone = customers[rng.randrange(len(customers))]
        when = start + dt.timedelta(seconds=int(index * step))
        fen = int(rng.lognormvariate(8.5, 1.2)) + 1
        total_fen += fen
        messy = index % 10 == 0  # one row in ten in the forms a hand-edited export has
        txn_id = f"T{when:%Y%m%d}{index:08d}"
        cells: list[object] = [
            txn_id + "\t" if messy else txn_id,
            when.strftime("%Y/%m/%d %H:%M:%S") if messy else when,
            customer_id,
            name,
            f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}" if messy else float(phone),
            types[index],
            f"¥{fen // 100:,}.{fen % 100:02d}" if messy else fen / 100,
            statuses[index],
            CHANNELS[index % 3],
            MERCHANTS[index % 7] if types[index] == "消费" else None,
            "余额不足" if statuses[index] == "失败" else None,
            "system",
        ]
        block.append(_row(index + 5, cells, strings))
        if len(block) == 5000:
            yield "".join(block)
            block = []
    yield "".join(block)
    yield _row(rows + 6, ["合计", None, None, None, None, None, total_fen / 100], strings)
    yield _row(rows + 7, [f"导出时间：{start + dt.timedelta(days=31):%Y-%m-%d %H:%M:%S}"], strings)
