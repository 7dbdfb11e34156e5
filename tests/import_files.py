"""Messy export files built in code for the import tests: workbooks with openpyxl, CSVs in explicit encodings."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import openpyxl

HEADER = ("交易流水号", "交易时间", "客户编号", "用户姓名", "手机号码", "交易类型", "交易金额(元)", "交易状态", "备注")
PREAMBLE: tuple[tuple[object, ...], ...] = (
    ("XX钱包交易明细",),
    ("起始日期：[2026-11-01 00:00:00]   终止日期：[2026-11-03 23:59:59]",),
    (),
)


def row(
    txn_id: object = "T001",
    when: object = dt.datetime(2026, 11, 3, 14, 5, 9),
    customer: object = "C001",
    name: object = "张三",
    phone: object = 13812345678.0,
    txn_type: object = "消费",
    amount: object = 12.5,
    status: object = "支付成功",
    remark: object = None,
) -> tuple[object, ...]:
    """One data row in HEADER's order; every argument is a cell as an export might hold it."""
    return (txn_id, when, customer, name, phone, txn_type, amount, status, remark)


def numbered_rows(count: int, prefix: str = "T", start: int = 1) -> list[tuple[object, ...]]:
    """`count` good rows with ids prefix0001..., five customers, one second apart."""
    base = dt.datetime(2026, 11, 3, 9, 0, 0)
    return [
        row(
            txn_id=f"{prefix}{number:05d}",
            when=base + dt.timedelta(seconds=number),
            customer=f"C{number % 5:03d}",
            name=f"客户{number % 5}",
            phone=f"1381234{number % 5:04d}",
            amount=f"{number}.50",
        )
        for number in range(start, start + count)
    ]


def failed_payment_rows(count: int, before: dt.datetime) -> list[tuple[object, ...]]:
    """`count` customers, each with one failed payment in the day before `before`: one task each in a build."""
    start = before - dt.timedelta(days=1)
    return [
        row(
            txn_id=f"F{number:06d}",
            when=start + dt.timedelta(seconds=number),
            customer=f"C{number:05d}",
            name=f"客户{number}",
            phone=f"139{number:08d}",
            amount=f"{100 + number % 900}.25",
            status="支付失败",
        )
        for number in range(count)
    ]


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    header: Sequence[object] = HEADER,
    preamble: Sequence[Sequence[object]] = PREAMBLE,
    footer: Sequence[Sequence[object]] = (),
    sheet: str = "交易明细",
    other_sheets: dict[str, Sequence[Sequence[object]]] | None = None,
) -> Path:
    """A workbook as a back office saves it: preamble lines, the header, the rows, then the footer."""
    book = openpyxl.Workbook()
    for name, lines in (other_sheets or {}).items():
        extra = book.create_sheet(name)
        for line in lines:
            extra.append(list(line))
    main = book.worksheets[0]
    main.title = sheet
    for line in [*preamble, header, *rows, *footer]:
        main.append(list(line))
    book.save(path)
    return path


def write_csv(
    path: Path,
    rows: Sequence[Sequence[object]],
    encoding: str,
    delimiter: str = ",",
    header: Sequence[object] = HEADER,
    preamble: Sequence[Sequence[object]] = (),
    footer: Sequence[Sequence[object]] = (),
) -> Path:
    """A CSV in exactly `encoding` (`utf-8-sig` writes the BOM Excel writes)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for line in [*preamble, header, *rows, *footer]:
            writer.writerow(["" if cell is None else cell for cell in line])
    return path


def snapshot(db_path: Path) -> tuple[object, ...]:
    """Everything an import may change, to compare before and after (a read of the file itself)."""
    connection = sqlite3.connect(db_path)
    try:
        return tuple(
            tuple(connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall())
            for table in ("customers", "transactions", "import_batches", "import_profiles")
        )
    finally:
        connection.close()
