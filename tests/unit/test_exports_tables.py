"""Table exports, opened again with openpyxl: layout, types, safety, masking, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import openpyxl
import pytest
from peewee import Database

from wallet_crm.db.browse import CustomerQuery, TransactionQuery, transaction_ids
from wallet_crm.db.models import Customer, Transaction
from wallet_crm.exports.tables import export_customers, export_transactions
from wallet_crm.exports.workbook import ExportCancelled


def _add_customer(db: Database, name: str, phone: str, remark: str) -> None:
    with db.atomic():
        customer = Customer.create(
            external_id="EVIL",
            phone=phone,
            name=name,
            created_at=dt.datetime(2026, 1, 1),
            updated_at=dt.datetime(2026, 1, 1),
        )
        Transaction.create(
            txn_id="EVIL-1", customer=customer, occurred_at=dt.datetime(2026, 11, 3, 14, 5, 9), amount_fen=128050,
            status="failed", txn_type="payment", remark=remark,
        )  # fmt: skip


def test_transactions_export_is_laid_out_and_typed(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "out" / "交易.xlsx"
    result = export_transactions(demo_db, path, TransactionQuery(status="failed"))
    expected = transaction_ids(demo_db, TransactionQuery(status="failed"))
    assert result.rows == len(expected) > 0
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "交易"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["交易流水号", "交易时间", "客户号"] and header[7:10] == ["交易金额", "币种", "收/支"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{len(expected) + 1}"
    assert sheet.column_dimensions["A"].width >= len("T202611200000001")
    first = Transaction.get_by_id(expected[0])
    row = [cell for cell in sheet[2]]
    assert row[0].value == first.txn_id and row[0].data_type == "s"
    assert isinstance(row[1].value, dt.datetime) and row[1].value == first.occurred_at
    assert row[7].number_format == "¥#,##0.00" and row[7].value == pytest.approx(first.amount_fen / 100)
    assert row[6].value == "失败"
    assert sheet.max_row == len(expected) + 1


def test_each_amount_keeps_its_currency_and_totals_are_never_added_across_currencies(
    db: Database, tmp_path: Path
) -> None:
    _add_customer(db, "Emily", "+8613812348000", "ok")
    customer = Customer.get(Customer.external_id == "EVIL")
    for txn_id, amount, currency, direction in (
        ("U1", 12500, "USD", "in"),
        ("J1", 1500, "JPY", "in"),
        ("C1", 4560, "CNY", "out"),
    ):
        Transaction.create(
            txn_id=txn_id, customer=customer, occurred_at=dt.datetime(2026, 11, 4), amount_fen=amount,
            currency=currency, direction=direction, status="success", txn_type="payment",
        )  # fmt: skip

    sheet = openpyxl.load_workbook(
        export_transactions(db, tmp_path / "t.xlsx", TransactionQuery(), language="en").path
    ).active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert (cells["U1"][7].value, cells["U1"][7].number_format, cells["U1"][8].value) == (125, "#,##0.00", "USD")
    assert (cells["J1"][7].value, cells["J1"][7].number_format) == (1500, "#,##0")
    assert (cells["C1"][7].number_format, cells["C1"][9].value) == ("¥#,##0.00", "out")

    people = openpyxl.load_workbook(
        export_customers(db, tmp_path / "c.xlsx", CustomerQuery(), language="en").path
    ).active
    header = [cell.value for cell in people[1]]
    row = {header[i]: cell.value for i, cell in enumerate(people[2])}
    assert row["Successful amount (CNY)"] == pytest.approx(45.60)  # only CNY; the failed ¥1,280.50 is not counted
    assert row["Successful amount, other currencies"] == "JPY 1,500; USD 125.00"


def test_phones_are_masked_unless_asked(db: Database, tmp_path: Path) -> None:
    _add_customer(db, "张三", "+8613812348000", "请回拨13811110001，订单4200002101202611031234567801")
    masked = openpyxl.load_workbook(export_transactions(db, tmp_path / "m.xlsx", TransactionQuery()).path).active
    assert masked["E2"].value == "138****8000"
    assert masked["M2"].value == "请回拨138****0001，订单4200002101202611031234567801"  # typed numbers too, not ids
    full = openpyxl.load_workbook(
        export_transactions(db, tmp_path / "f.xlsx", TransactionQuery(), full_phone=True).path
    ).active
    assert full["E2"].value == "13812348000"
    assert full["M2"].value == "请回拨13811110001，订单4200002101202611031234567801"


@pytest.mark.sqlite_only
def test_formula_like_text_is_written_as_text_and_controls_removed(db: Database, tmp_path: Path) -> None:
    _add_customer(db, '=HYPERLINK("http://x","点我")', "+8613812348000", "@SUM(1+1)\x07\x00 备注")
    sheet = openpyxl.load_workbook(export_transactions(db, tmp_path / "x.xlsx", TransactionQuery()).path).active
    name, remark = sheet["D2"], sheet["M2"]
    assert name.data_type == "s" and name.value == '=HYPERLINK("http://x","点我")'
    assert remark.data_type == "s" and remark.value == "@SUM(1+1) 备注"
    for value in ("+1", "-2", "\tx", "=1+2"):
        with db.atomic():
            Customer.update(name=value).where(Customer.external_id == "EVIL").execute()
        path = export_transactions(db, tmp_path / "y.xlsx", TransactionQuery()).path
        cell = openpyxl.load_workbook(path).active["D2"]
        assert cell.data_type == "s" and cell.value == value


def test_english_headers_when_the_app_is_in_english(demo_db: Database, tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(
        export_customers(demo_db, tmp_path / "c.xlsx", CustomerQuery(), language="en").path
    ).active
    assert sheet.title == "Customers"
    assert [c.value for c in sheet[1]][:3] == ["Customer ID", "Name", "Phone"]
    assert sheet.max_row == 301


def test_cancelled_export_leaves_no_file(demo_db: Database, tmp_path: Path) -> None:
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        cancel.set()

    target = tmp_path / "out" / "cancel.xlsx"
    with pytest.raises(ExportCancelled):
        export_transactions(demo_db, target, TransactionQuery(), progress=progress, cancel=cancel)
    assert seen == [1000]
    assert list(target.parent.iterdir()) == []


def test_an_export_over_an_older_file_replaces_it(demo_db: Database, tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")
    export_transactions(demo_db, target, TransactionQuery(txn_type="refund"))
    sheet = openpyxl.load_workbook(target).active
    assert sheet.max_row == Transaction.select().where(Transaction.txn_type == "refund").count() + 1
