"""Queue, outcomes and report workbooks, opened again with openpyxl; the round trip; the export record."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from peewee import Database

from tests.feedback_data import AS_OF, PERIOD, History, build_history
from wallet_crm.db import close_database, open_database
from wallet_crm.db.browse import CustomerQuery, TransactionQuery, customer_ids, transaction_ids
from wallet_crm.exports.followup_tables import OutcomeQuery
from wallet_crm.exports.record import list_exports
from wallet_crm.exports.service import run_export
from wallet_crm.feedback.figures import compute_report
from wallet_crm.feedback.outcomes import Focus, outcome_ids
from wallet_crm.feedback.period import Period
from wallet_crm.feedback.scope import ReportQuery
from wallet_crm.followup.queue_query import QueueQuery, queue_ids
from wallet_crm.imports import import_file


@pytest.fixture
def history(db: Database) -> History:
    return build_history(db)


def test_queue_export_follows_the_filter_and_masks_phones(db: Database, history: History, tmp_path: Path) -> None:
    result = run_export(db, "queue", tmp_path / "q.xlsx", QueueQuery(as_of=AS_OF))
    sheet = openpyxl.load_workbook(result.path).active
    assert sheet.title == "回访队列" and result.rows == 3
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["任务号", "优先级", "原因"] and sheet.freeze_panes == "A2"
    assert [sheet.cell(row, 1).value for row in range(2, 5)] == list(queue_ids(db, QueueQuery(as_of=AS_OF)))
    phones = {sheet.cell(row, header.index("手机号码") + 1).value for row in range(2, 5)}
    assert phones == {"138****0002", "138****0005", "138****0006"}
    due = sheet.cell(2, header.index("应完成") + 1)
    assert isinstance(due.value, dt.datetime) and due.number_format == "yyyy-mm-dd hh:mm:ss"
    full = run_export(db, "queue", tmp_path / "f.xlsx", QueueQuery(as_of=AS_OF, status=None), "en", full_phone=True)
    sheet = openpyxl.load_workbook(full.path).active
    assert full.rows == 8 and sheet.title == "Queue" and sheet["G1"].value == "Phone"
    assert "13800000002" in {sheet.cell(row, 7).value for row in range(2, 10)}


def test_outcomes_export_is_the_attempts_behind_the_figure(db: Database, history: History, tmp_path: Path) -> None:
    result = run_export(
        db, "outcomes", tmp_path / "o.xlsx", OutcomeQuery(ReportQuery(PERIOD), Focus(figure="complaints"))
    )
    sheet = openpyxl.load_workbook(result.path).active
    assert result.rows == 1 and sheet.max_row == 2
    row = {sheet.cell(1, column).value: sheet.cell(2, column) for column in range(1, sheet.max_column + 1)}
    assert row["联系时间"].value == dt.datetime(2026, 11, 11, 10, 0)
    assert (row["坐席"].value, row["客户号"].value, row["手机号码"].value) == ("小王", "C2", "138****0002")
    assert (row["原因"].value, row["结果"].value, row["接通"].value) == ("支付失败、退款", "已接通，需跟进", "是")
    assert (row["满意度"].value, row["NPS"].value, row["反馈类别"].value) == (2, 3, "投诉")
    assert row["主题"].value == "到账慢、手续费" and row["备注"].value == "备注 a3"
    assert row["满意度"].data_type == "n"


def test_notes_that_look_like_formulas_stay_text(db: Database, history: History, tmp_path: Path) -> None:
    evil = '=HYPERLINK("http://x","点我")'
    for value, expected in ((evil, evil), ("@SUM(1)\x07", "@SUM(1)"), ("-1+2", "-1+2"), ("\t=1", "\t=1")):
        with db.atomic():
            db.execute_sql("UPDATE contact_attempts SET notes = ? WHERE id = ?", (value, history.attempts["a3"]))
        query = OutcomeQuery(ReportQuery(PERIOD), Focus(figure="complaints"))
        sheet = openpyxl.load_workbook(run_export(db, "outcomes", tmp_path / "x.xlsx", query).path).active
        cell = sheet.cell(2, 15)
        assert sheet.cell(1, 15).value == "备注"
        assert cell.data_type == "s" and cell.value == expected


def test_report_workbook_holds_the_report(db: Database, history: History, tmp_path: Path) -> None:
    report = compute_report(db, ReportQuery(PERIOD), AS_OF)
    path = run_export(db, "report", tmp_path / "report.xlsx", report).path
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["汇总", "趋势", "主题", "坐席"]
    summary = book["汇总"]
    assert [c.value for c in summary[1]] == ["指标", "本期", "上期", "说明"] and summary.freeze_panes == "A2"
    lines = {summary.cell(row, 1).value: (summary.cell(row, 2), summary.cell(row, 3)) for row in range(2, 21)}
    now, before = lines["接通率"]
    assert (now.value, now.number_format, before.value) == (0.75, "0.0%", 1.0)
    assert lines["联系次数"][0].value == 8 and lines["联系次数"][1].value == 1
    assert lines["满意度 (CSAT)（3 个回答）"][0].value == pytest.approx(0.667)
    assert lines["净推荐值 (NPS)（3 个回答）"][0].value == 0.0
    assert lines["支付失败挽回率"][0].value == 0.5 and lines["支付失败挽回率"][1].value == "—"
    assert lines["待处理任务"][0].value == 3 and lines["待处理任务"][1].value is None
    assert lines["类别：投诉"][0].value == 1
    trend = book["趋势"]
    assert [trend.cell(row, 4).value for row in (2, 3)] == [3, 5]
    assert trend.cell(2, 2).value == dt.datetime(2026, 11, 9) and trend.cell(3, 5).value == pytest.approx(0.333)
    topics = book["主题"]
    assert [(topics.cell(r, 1).value, topics.cell(r, 2).value, topics.cell(r, 3).value) for r in (2, 3)] == [
        ("到账慢", 1, 1),
        ("手续费", 1, 1),
    ]
    agents = book["坐席"]
    assert [agents.cell(2, c).value for c in range(1, 9)] == ["小李", 5, 1, 1, 2, 1.0, 1, 2.5]
    assert len(trend._charts) == 1 and len(topics._charts) == 1  # native Excel charts
    charts = [name for name in zipfile.ZipFile(path).namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 2


def test_report_of_an_empty_period_says_so(db: Database, history: History, tmp_path: Path) -> None:
    report = compute_report(db, ReportQuery(Period(dt.date(2026, 12, 1), dt.date(2026, 12, 2))), AS_OF)
    book = openpyxl.load_workbook(run_export(db, "report", tmp_path / "e.xlsx", report, "en").path)
    summary = book["Summary"]
    rows = {summary.cell(row, 1).value: summary.cell(row, 2).value for row in range(2, 21)}
    assert rows["Attempts"] == 0 and rows["Contact rate"] == "—" and rows["NPS (0 answers)"] == "—"
    assert book["Topics"].max_row == 1 and book["Topics"]._charts == []


def test_every_export_is_recorded_with_the_phone_choice(db: Database, history: History, tmp_path: Path) -> None:
    run_export(db, "queue", tmp_path / "a.xlsx", QueueQuery(as_of=AS_OF))
    run_export(db, "transactions", tmp_path / "b.xlsx", TransactionQuery(), full_phone=True)
    entries = list_exports(db)
    assert [(e.kind, e.file_name, e.rows, e.full_phone) for e in entries] == [
        ("transactions", "b.xlsx", 3, True),
        ("queue", "a.xlsx", 3, False),
    ]
    assert all(e.exported_by for e in entries)


@pytest.mark.parametrize("full_phone", [True, False])
def test_an_exported_transactions_workbook_imports_back_the_same(
    demo_db: Database, tmp_path: Path, full_phone: bool
) -> None:
    """Symmetric: export → import into an empty database gives the same transactions, none rejected."""
    path = run_export(demo_db, "transactions", tmp_path / "交易.xlsx", TransactionQuery(), full_phone=full_phone).path
    columns = (
        "t.txn_id, t.occurred_at, t.amount_fen, t.status, t.txn_type, t.channel, t.merchant, t.remark, "
        "c.external_id, c.name"
    )
    query = f"SELECT {columns}, c.phone FROM transactions t JOIN customers c ON c.id = t.customer_id ORDER BY t.txn_id"
    before = demo_db.execute_sql(query).fetchall()
    close_database()
    target = open_database(tmp_path / "empty.sqlite3")
    result = import_file(target, path)
    assert (result.rejected, result.duplicates, result.inserted) == (0, 0, len(before))
    after = target.execute_sql(query).fetchall()
    if full_phone:
        assert after == before
    else:  # masked numbers are not numbers: the customer id carries the customer, without a phone
        assert [row[:-1] for row in after] == [row[:-1] for row in before] and {row[-1] for row in after} == {None}
    close_database()


def test_every_export_reads_and_records_the_database_it_is_given_not_the_one_the_window_shows(
    tmp_path: Path,
) -> None:
    """Issue 11: the models are bound to `shown` (empty); every kind exported from `other` holds
    `other`'s rows, and the export log that records it is `other`'s."""
    shown = open_database(tmp_path / "shown.sqlite3")
    other = open_database(tmp_path / "other.sqlite3", bind=False)
    try:
        build_history(other)
        report_query = ReportQuery(PERIOD)
        report = compute_report(other, report_query, AS_OF)
        queries: dict[str, object] = {
            "transactions": TransactionQuery(),
            "customers": CustomerQuery(),
            "queue": QueueQuery(as_of=AS_OF, status=None),
            "outcomes": OutcomeQuery(report_query),
            "report": report,
        }
        expected = {
            "transactions": len(transaction_ids(other, TransactionQuery())),
            "customers": len(customer_ids(other, CustomerQuery())),
            "queue": len(queue_ids(other, QueueQuery(as_of=AS_OF, status=None))),
            "outcomes": len(outcome_ids(other, report_query, Focus())),
        }
        assert all(count > 0 for count in expected.values())
        for kind, query in queries.items():
            result = run_export(other, kind, tmp_path / f"{kind}.xlsx", query)
            sheet = openpyxl.load_workbook(result.path).worksheets[0]
            if kind != "report":
                assert result.rows == expected[kind] == sheet.max_row - 1, kind
        book = openpyxl.load_workbook(tmp_path / "transactions.xlsx").active
        txn_ids = {row[0] for row in other.execute_sql("SELECT txn_id FROM transactions")}
        assert {book.cell(row, 1).value for row in range(2, book.max_row + 1)} == txn_ids
        summary = openpyxl.load_workbook(tmp_path / "report.xlsx")["汇总"]
        assert summary.cell(2, 2).value == report.current.totals.attempts > 0
        assert sorted(entry.kind for entry in list_exports(other)) == sorted(queries)
        assert list_exports(shown) == []
        assert shown.execute_sql("SELECT COUNT(*) FROM transactions").fetchone()[0] == 0
    finally:
        other.close()
        close_database()
