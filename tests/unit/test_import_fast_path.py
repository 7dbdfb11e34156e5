"""The per-layout fast path for good rows gives exactly what the general row check gives, on every platform's
layout, with cells mangled into every shape the general path handles (it must hand those rows back)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest

import tests.platform_files as platform_files
from wallet_crm.imports.formats import builtin_formats, generic_format
from wallet_crm.imports.readers import open_source
from wallet_crm.imports.recognise import recognise
from wallet_crm.imports.safety import inspect_file
from wallet_crm.imports.validate import CheckSettings, RowChecker
from wallet_crm.imports.values import Cell
from wallet_crm.imports.zones import operator_zone

WRITERS = [
    getattr(platform_files, name)
    for name in dir(platform_files)
    if name.startswith("write_") and getattr(platform_files, name).__module__ == platform_files.__name__
]
NAMING_NOBODY = {"write_wechat_pay_fund", "write_alipay_merchant_business"}  # refused files: no good row to compare
JUNK: list[Cell] = [
    "", " ", "\t", "-", "/", "无", "`123", "'abc", "T1", "T2\t", "退款", "转账", "失败", "收入", "支出", "weird",
    1.0, 0.0, -5.5, 12.345, True, 3, dt.datetime(2026, 1, 1, 1, 1, 1, 500), dt.date(2026, 1, 2),
    "2026-01-02T03:04:05Z", "03/04/2026 10:00", "13/04/2026 10:00", "USD", "cny", "XXX", "138****8000",
    "13812345678", "+86 138 1234 5678", 13812345678.0, "a@b.com", "N/A", "1,234.50", "(12.00)",
    "131.77(已退款89.84)", "合计", 1e20, float("nan"), 99999999.0, "\u202fC1", None, "-12.5", "refund", "in", "out",
]  # fmt: skip


def _state(checker: RowChecker, rows: list[list[Cell]]) -> tuple[int, tuple[object, ...]]:
    """The records made, and everything the checker said and kept, chunk by chunk."""
    chunks = []
    for start in range(0, len(rows), 37):
        done = checker.check(rows[start : start + 37], start + 2)
        chunks.append((done.records, done.rejected, done.skipped, done.duplicates, done.held, done.rows_read))
    return sum(len(chunk[0]) for chunk in chunks), (
        chunks, checker.errors, checker.warnings, checker.unknown, checker.examples, checker.seen, checker.order,
        checker.data_rows, checker.no_customer, checker.refund_counts, checker.in_footer, checker.derived_counts,
    )  # fmt: skip


@pytest.mark.parametrize("write", WRITERS, ids=lambda write: write.__name__)
def test_the_fast_path_and_the_general_check_agree(write: Callable[[Path], Path], tmp_path: Path) -> None:
    name = "bill.xlsx" if write.__name__ == "write_wechat_personal" else "bill.csv"
    source = open_source(inspect_file(write(tmp_path / name)))
    rows = [list(row) for row in source.rows(source.sheet_names[0])]
    source.close()
    layout = recognise(iter(rows), list(builtin_formats()), generic_format())
    assert layout is not None
    good = rows[layout.header_index + 1 :]
    pool = [cell for row in good for cell in row]
    rng = random.Random(write.__name__)
    data = []
    for _ in range(20):
        for row in good:
            row = list(row)
            if row and rng.random() < 0.5:
                for _ in range(rng.randint(1, 3)):
                    row[rng.randrange(len(row))] = rng.choice(JUNK + pool)
            data.append(row)

    def checker(fast_path: bool) -> RowChecker:
        settings = CheckSettings(operator_zone("Asia/Shanghai"), 1_000_000)
        return RowChecker(layout, generic_format(), settings, date_order=layout.format.date_order, fast_path=fast_path)

    fast, general = _state(checker(True), data), _state(checker(False), data)
    assert general[0] > 0 or write.__name__ in NAMING_NOBODY  # good rows went through both
    assert fast == general
