"""What an import does with each kind of row: good, bad, blank, totals, duplicate, and the customers behind them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from peewee import Database

from tests.import_files import numbered_rows, row, snapshot, write_xlsx
from wallet_crm.db.models import Customer, ImportBatch, Transaction
from wallet_crm.imports import ImportOptions, ImportResult, UnknownWordsError, import_file

AS_OF = dt.datetime(2026, 11, 20, 10, 0, 0)


def _import(db: Database, path: Path, dry_run: bool = False) -> ImportResult:
    return import_file(db, path, ImportOptions(as_of=AS_OF, imported_by="tester", dry_run=dry_run))


def test_a_real_export_with_preamble_totals_and_notes_goes_in(db: Database, tmp_path: Path) -> None:
    rows = [
        row("T001\t", dt.datetime(2026, 11, 3, 14, 5, 9), "C001", "张三", 13812345678.0, "消费", 12.5, "支付成功"),
        row("'T002", "2026/11/3 14:05", "C002", "李四", "+86 139-1234-5678", "转账", "¥1,234.50", "成功"),
        row("T003", "2026年11月3日 14:05", "C003", "王五", "138 1234 0000", "充值", "1234.50元", "处理中"),
        row("T004", "2026-11-03 15:00:00", "C001", "张三", "13812345678", "退款", "-88.00", "已退款"),
        row("T005", dt.date(2026, 11, 4), "C002", "李四", 13912345678, "提现", 100, "交易关闭"),
    ]
    footer = [(), ("合计", None, None, None, None, None, 1359.0), ("导出时间：2026-11-05 09:00:00",)]
    path = write_xlsx(tmp_path / "export.xlsx", rows, footer=footer)

    result = _import(db, path)

    assert (result.inserted, result.duplicates, result.rejected, result.skipped) == (5, 0, 0, 3)
    assert result.errors == ()
    assert (result.customers_created, result.customers_updated) == (3, 0)
    stored = {
        txn.txn_id: (
            txn.customer.external_id,
            str(txn.occurred_at),
            txn.amount_fen,
            txn.direction,
            txn.currency,
            txn.status,
            txn.txn_type,
        )
        for txn in Transaction.select()
    }
    assert stored == {
        "T001": ("C001", "2026-11-03 14:05:09", 1250, None, "CNY", "success", "payment"),
        "T002": ("C002", "2026-11-03 14:05:00", 123450, None, "CNY", "success", "transfer"),
        "T003": ("C003", "2026-11-03 14:05:00", 123450, None, "CNY", "pending", "top_up"),
        "T004": ("C001", "2026-11-03 15:00:00", 8800, "out", "CNY", "refunded", "refund"),  # the minus is the direction
        "T005": ("C002", "2026-11-04 00:00:00", 10000, None, "CNY", "closed", "withdrawal"),
    }
    phones = {customer.external_id: customer.phone for customer in Customer.select()}
    assert phones == {"C001": "+8613812345678", "C002": "+8613912345678", "C003": "+8613812340000"}
    batch = ImportBatch.get_by_id(result.batch_id)
    assert (batch.file_name, batch.imported_by, batch.rows_read, batch.inserted, batch.skipped) == (
        "export.xlsx",
        "tester",
        8,
        5,
        3,
    )
    assert len(batch.sha256) == 64 and str(batch.imported_at) == "2026-11-20 10:00:00"
    assert result.header_row == 4


def test_each_kind_of_bad_row_is_rejected_with_its_reason_and_the_rest_goes_in(db: Database, tmp_path: Path) -> None:
    rows = [
        row("T001"),
        row("", customer="C002"),  # row 6: no id
        row("T003", amount="twelve"),  # row 7
        row("T004", when="last tuesday"),  # row 8
        row("T005", amount="1,5"),  # row 9
        row("T006", customer="C006", phone="12345"),  # row 10: kept as written, with a warning
        row("T007", amount="1.005"),  # row 11
        row("T008", txn_type="红包"),  # row 12: an unknown type is "other", the word kept
        row("T009", customer=None, phone=None, name=None),  # row 13
        row("T010", amount="abc", when="soon"),  # row 14: two problems, one row
        row("T011"),
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)

    result = _import(db, path)

    assert (result.inserted, result.rejected, result.skipped, result.duplicates) == (4, 7, 0, 0)
    assert [(e.row, e.field, e.value, e.code) for e in result.errors] == [
        (6, "transaction id", "", "missing"),
        (7, "amount", "twelve", "not_amount"),
        (8, "time", "last tuesday", "not_date"),
        (9, "amount", "1,5", "ambiguous_decimal_comma"),
        (11, "amount", "1.005", "too_many_decimals"),
        (13, "customer id", "", "no_customer"),
        (14, "time", "soon", "not_date"),
        (14, "amount", "abc", "not_amount"),
    ]
    assert result.errors[4].reason == "more than 2 decimals for CNY"
    assert [(w.row, w.field, w.value, w.code) for w in result.warnings] == [
        (10, "phone", "12345", "phone_not_callable")
    ]
    stored = {
        t.txn_id: (t.txn_type, t.type_word, t.customer.phone, t.customer.phone_callable) for t in Transaction.select()
    }
    assert stored == {
        "T001": ("payment", "消费", "+8613812345678", True),
        "T006": ("payment", "消费", "12345", False),  # C006's only row
        "T008": ("other", "红包", "+8613812345678", True),
        "T011": ("payment", "消费", "+8613812345678", True),
    }


@pytest.mark.sqlite_only
def test_an_unknown_status_writes_nothing_and_lists_each_word_with_its_rows(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    rows = [row("T001"), row("T002", status="挂起"), row("T003", status="Settled"), row("T004", status="挂起")]
    path = write_xlsx(tmp_path / "words.xlsx", rows)
    before = snapshot(db_path)

    dry = _import(db, path, dry_run=True)
    assert dict(dry.unknown_words) == {"status": {"挂起": 2, "Settled": 1}}
    assert dict(dry.unknown_examples["status"]) == {"挂起": (6, 8), "Settled": (7,)}
    assert (dry.inserted, dry.held, dry.rejected) == (1, 3, 0)
    with pytest.raises(UnknownWordsError, match="挂起") as refused:
        _import(db, path)
    assert refused.value.words == {"status": {"挂起": 2, "Settled": 1}}
    assert "'挂起' (2 rows, e.g. row 6)" in str(refused.value)
    assert "状态（status）“挂起”（2 行，例如第 6 行）、“Settled”（1 行，例如第 7 行）" in refused.value.text("zh_CN")
    assert snapshot(db_path) == before

    mapped = import_file(
        db, path, ImportOptions(as_of=AS_OF, words={"status": {"挂起": "pending", "settled": "success"}})
    )
    assert (mapped.inserted, mapped.held) == (4, 0)
    statuses = {t.txn_id: t.status for t in Transaction.select()}
    assert statuses == {"T001": "success", "T002": "pending", "T003": "success", "T004": "pending"}


def test_blank_rows_and_totals_rows_between_and_after_data_are_skipped(db: Database, tmp_path: Path) -> None:
    rows = [row("T001"), (), row("T002"), ("小计", None, None, None, None, None, 25.0), row("T003")]
    footer = [("总计", "3 笔", None, None, None, None, 37.5), ("Total", None, None, None, None, None, 37.5), ("-----",)]
    result = _import(db, write_xlsx(tmp_path / "x.xlsx", rows, footer=footer))
    assert (result.inserted, result.skipped, result.rejected) == (3, 5, 0)


def test_a_repeated_header_row_is_skipped(db: Database, tmp_path: Path) -> None:
    from tests.import_files import HEADER

    result = _import(db, write_xlsx(tmp_path / "x.xlsx", [row("T001"), HEADER, row("T002")]))
    assert (result.inserted, result.skipped, result.rejected) == (2, 1, 0)


def test_duplicates_in_the_file_and_across_imports(db: Database, tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "day1.xlsx", [*numbered_rows(4), row("T00002", amount=99)])
    result = _import(db, first)
    assert (result.inserted, result.duplicates) == (4, 1)
    assert Transaction.get(Transaction.txn_id == "T00002").amount_fen == 250  # the first one counts

    before = Transaction.select().count()
    again = _import(db, first)
    assert (again.inserted, again.duplicates, again.rejected) == (0, 5, 0)
    assert Transaction.select().count() == before

    next_day = write_xlsx(tmp_path / "day2.xlsx", numbered_rows(7))  # T00001..T00004 again, plus 3 new
    third = _import(db, next_day)
    assert (third.inserted, third.duplicates) == (3, 4)
    assert Transaction.select().count() == 7
    assert ImportBatch.select().count() == 2  # the import that brought nothing new records no batch


@pytest.mark.sqlite_only
def test_dry_run_counts_the_same_and_writes_nothing(db: Database, db_path: Path, tmp_path: Path) -> None:
    _import(db, write_xlsx(tmp_path / "day1.xlsx", numbered_rows(3)))
    path = write_xlsx(tmp_path / "day2.xlsx", [*numbered_rows(6), row("BAD", amount="x")])
    before = snapshot(db_path)

    dry = _import(db, path, dry_run=True)

    assert snapshot(db_path) == before
    assert dry.batch_id is None and dry.dry_run
    real = _import(db, path)
    counts = ("inserted", "duplicates", "rejected", "skipped", "customers_created", "customers_updated")
    assert [getattr(dry, name) for name in counts] == [getattr(real, name) for name in counts]
    assert (real.inserted, real.duplicates, real.rejected) == (3, 3, 1)


def test_customers_match_by_id_and_a_later_row_updates_name_and_phone(db: Database, tmp_path: Path) -> None:
    rows = [
        row("T1", dt.datetime(2026, 11, 3, 9, 0), "C001", "张三", "13812345678"),
        row("T2", dt.datetime(2026, 11, 3, 11, 0), "C001", "张三丰", "13912345678"),
        row("T3", dt.datetime(2026, 11, 3, 10, 0), "C001", "张小三", "13812345678"),  # earlier than T2
    ]
    result = _import(db, write_xlsx(tmp_path / "a.xlsx", rows))
    assert (result.customers_created, result.customers_updated) == (1, 0)
    customer = Customer.get(Customer.external_id == "C001")
    assert (customer.name, customer.phone) == ("张三丰", "+8613912345678")

    newer = [row("T4", dt.datetime(2026, 11, 4, 9, 0), "C001", "张三", "13912345678")]
    result = _import(db, write_xlsx(tmp_path / "b.xlsx", newer))
    assert (result.customers_created, result.customers_updated) == (0, 1)
    assert Customer.get(Customer.external_id == "C001").name == "张三"

    older = [row("T0", dt.datetime(2026, 11, 1, 9, 0), "C001", "旧名字", "13700000000")]
    result = _import(db, write_xlsx(tmp_path / "c.xlsx", older))
    assert (result.inserted, result.customers_updated) == (1, 0)
    assert Customer.get(Customer.external_id == "C001").name == "张三"  # an old file doesn't undo news


def test_without_a_customer_id_column_customers_match_by_phone(db: Database, tmp_path: Path) -> None:
    header = ("交易单号", "交易时间", "姓名", "手机", "类型", "金额", "状态")
    rows = [
        ("T1", "2026-11-03 09:00:00", "张三", 13812345678.0, "消费", 10, "成功"),
        ("T2", "2026-11-03 10:00:00", "张三", "+86 138 1234 5678", "消费", 20, "成功"),
        ("T3", "2026-11-03 11:00:00", "李四", "139-1234-5678", "转账", 30, "成功"),
    ]
    result = _import(db, write_xlsx(tmp_path / "p.xlsx", rows, header=header))
    assert (result.inserted, result.customers_created) == (3, 2)
    assert {c.phone: c.external_id for c in Customer.select()} == {"+8613812345678": None, "+8613912345678": None}

    # A later export with wallet ids: the phone-only customer is adopted, not duplicated.
    later = [row("T9", dt.datetime(2026, 11, 5, 9, 0), "C777", "张三", "13812345678")]
    result = _import(db, write_xlsx(tmp_path / "q.xlsx", later))
    assert (result.customers_created, result.customers_updated) == (0, 1)
    assert Customer.get(Customer.phone == "+8613812345678").external_id == "C777"
    assert Customer.select().count() == 2


def test_extra_columns_are_ignored_and_english_headers_work(db: Database, tmp_path: Path) -> None:
    header = ("Transaction ID", "Date", "Account ID", "Name", "Phone", "Type", "Amount", "Status", "Operator", "Note")
    rows = [("A1", "2026-11-03 09:00:00", "U1", "Li Lei", "13812345678", "payment", "9.90", "success", "ops", "hi")]
    result = _import(db, write_xlsx(tmp_path / "en.xlsx", rows, header=header, preamble=()))
    assert (result.inserted, result.rejected) == (1, 0)
    assert Transaction.get(Transaction.txn_id == "A1").remark == "hi"
