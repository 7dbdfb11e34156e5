"""The paged Transactions and Customers tables over a real demo database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from PySide6.QtCore import QDate, QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.gui.conftest import LOAD_TIMEOUT_MS
from wallet_crm.db import current_database
from wallet_crm.db.browse import TransactionQuery, transaction_ids
from wallet_crm.db.models import Customer, Transaction
from wallet_crm.formatting import format_fen, mask_phone
from wallet_crm.ui.export_dialog import ExportChoice
from wallet_crm.ui.main_window import MainWindow
from wallet_crm.ui.paged_model import PAGE_SIZE


def test_transactions_model_passes_the_model_tester(qtmodeltester: ModelTester, demo_window: MainWindow) -> None:
    model = demo_window.transactions.model
    assert model.rowCount() == 3000
    qtmodeltester.check(model)


def test_customers_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_window: MainWindow
) -> None:
    with qtbot.waitSignal(demo_window.customers.loaded, timeout=LOAD_TIMEOUT_MS):
        demo_window.show_page("customers")
    assert demo_window.customers.model.rowCount() == 300
    qtmodeltester.check(demo_window.customers.model)


def test_rows_far_down_load_their_own_page(demo_window: MainWindow) -> None:
    model = demo_window.transactions.model
    last = model.rowCount() - 1
    txn = Transaction.get_by_id(model.row_id(last))
    assert model.data(model.index(last, 1)) == txn.txn_id
    assert model.data(model.index(last, 6)) == format_fen(txn.amount_fen)
    assert model.data(model.index(last, 3)) == mask_phone(Customer.get_by_id(txn.customer.id).phone)
    assert model.data(model.index(PAGE_SIZE, 1)) == Transaction.get_by_id(model.row_id(PAGE_SIZE)).txn_id
    assert model.data(QModelIndex()) is None


def test_search_box_filters_the_table(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = demo_window.transactions
    customer = Customer.get_by_id(5)
    last_digits = str(customer.phone)[-8:]
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS) as blocker:
        qtbot.keyClicks(page.search, last_digits)
    expected = transaction_ids(current_database(), TransactionQuery(search=last_digits))
    assert blocker.args == [len(expected)]
    assert page.model.rowCount() == len(expected) > 0
    assert all(page.model.data(page.model.index(row, 3)).endswith(last_digits[-4:]) for row in range(len(expected)))


def test_status_and_type_filters(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = demo_window.transactions
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.status.setCurrentIndex(page.status.findData("failed"))
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.txn_type.setCurrentIndex(page.txn_type.findData("payment"))
    expected = (
        Transaction.select().where((Transaction.status == "failed") & (Transaction.txn_type == "payment")).count()
    )
    assert page.model.rowCount() == expected > 0
    assert {page.model.data(page.model.index(row, 5)) for row in range(page.model.rowCount())} == {"Failed"}


def test_clicking_a_header_sorts_by_that_column(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = demo_window.transactions
    header = page.table.horizontalHeader()
    amount_column = 6
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        header.setSortIndicator(amount_column, Qt.SortOrder.AscendingOrder)
    assert (page.sort_key, page.descending) == ("amount_fen", False)
    amounts = [Transaction.get_by_id(page.model.row_id(row)).amount_fen for row in range(50)]
    assert amounts == sorted(amounts)
    assert amounts[0] == min(t.amount_fen for t in Transaction.select(Transaction.amount_fen))


def test_customers_page_lists_every_customer_with_figures(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = demo_window.customers
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        demo_window.show_page("customers")  # pages load when first shown
    assert page.model.rowCount() == 300
    first = Customer.get_by_id(page.model.row_id(0))
    count = Transaction.select().where(Transaction.customer == first).count()
    assert page.model.data(page.model.index(0, 0)) == first.external_id
    assert page.model.data(page.model.index(0, 3)) == f"{count:,}"
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClicks(page.search, str(first.external_id))
    assert page.model.rowCount() == 1


def test_custom_date_range_shows_date_pickers_and_filters(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = demo_window.transactions
    assert not page.date_from.isVisible()
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.period.setCurrentIndex(page.period.findData(-1))
    assert page.date_from.isVisible() and page.date_to.isVisible()
    day = dt.date(2026, 11, 10)
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.date_from.setDate(QDate(day.year, day.month, day.day))
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.date_to.setDate(QDate(day.year, day.month, day.day))
    start = dt.datetime.combine(day, dt.time())
    expected = (
        Transaction.select()
        .where((Transaction.occurred_at >= start) & (Transaction.occurred_at < start + dt.timedelta(days=1)))
        .count()
    )
    assert page.model.rowCount() == expected > 0


def test_export_button_writes_what_the_table_shows(qtbot: QtBot, demo_window: MainWindow, tmp_path: Path) -> None:
    page = demo_window.transactions
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.txn_type.setCurrentIndex(page.txn_type.findData("refund"))
    target = tmp_path / "refunds.xlsx"
    asked: list[int] = []

    def ask(_parent: object, _suggested: Path, rows: int) -> ExportChoice:
        asked.append(rows)
        return ExportChoice(target, full_phone=False)

    page.ask_export = ask
    with qtbot.waitSignal(page.exported, timeout=LOAD_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert asked == [page.model.rowCount()]
    assert str(target) in blocker.args[0]
    sheet = openpyxl.load_workbook(target).active
    assert sheet.max_row - 1 == page.model.rowCount() > 0
    assert {row[5].value for row in sheet.iter_rows(min_row=2)} == {"refund"}  # English words: app is in English


def test_cancelling_the_export_dialog_writes_nothing(qtbot: QtBot, demo_window: MainWindow, tmp_path: Path) -> None:
    page = demo_window.customers
    page.ask_export = lambda *_args: None
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert not demo_window.runner.busy()
    assert [p for p in tmp_path.iterdir() if p.suffix == ".xlsx"] == []
