"""The import wizard driven end to end with qtbot: the recognised format, the header row, the mapping, the
check with its rejected rows, warnings and words to map, the errors file, import, cancel, undo; and the
import settings on the Settings page."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QTableWidget
from pytestqt.qtbot import QtBot

from tests.gui.conftest import LOAD_TIMEOUT_MS, RecordedDialogs, make_window
from tests.import_files import row, write_xlsx
from tests.platform_files import write_wechat_pay_fund, write_wechat_pay_trade
from wallet_crm.db import close_database, current_database
from wallet_crm.imports.settings import ImportSettings, load_import_settings
from wallet_crm.ui.i18n import install_language
from wallet_crm.ui.main_window import MainWindow
from wallet_crm.ui.pages.import_page import ImportPage
from wallet_crm.ui.pages.import_settings import ImportSettingsPanel

HEADER = ["交易流水号", "交易时间", "用户姓名", "手机号码", "交易金额(元)", "交易状态", "交易类型", "渠道", "备注"]


def write_messy_export(path: Path) -> None:
    """A back-office export as people get them: title and date lines, good, duplicate and bad rows, a total."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "交易明细"
    sheet.append(["钱包交易明细导出"])
    sheet.append(["导出时间：2026-11-20 10:00"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(
        ["T1001\t", dt.datetime(2026, 11, 3, 14, 5, 9), "张三", 13812345678.0, 1280.5, "支付失败", "消费", "余额", ""]
    )
    sheet.append(
        ["'T1002", "2026/11/3 14:05", "李四", "+86 139-1234-5678", "¥1,234.50", "交易成功", "转账", "储蓄卡", ""]
    )
    sheet.append(["T1003", "2026年11月3日 14:05", "王五", "13712345678", "88.00元", "已退款", "退款", "余额", "=cmd"])
    sheet.append(["", "2026-11-03 10:00", "无号", "13612345678", "5", "成功", "消费", "", ""])
    sheet.append(["T1005", "not a date", "坏日期", "13512345678", "5", "成功", "消费", "", ""])
    sheet.append(
        ["T1001", dt.datetime(2026, 11, 3, 14, 5, 9), "张三", 13812345678.0, 1280.5, "支付失败", "消费", "余额", ""]
    )
    sheet.append(["合计", None, None, None, 2603.0])
    book.save(path)


def write_big_export(path: Path, rows: int) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append(
            [f"B{n:07d}", "2026-11-01 10:00:00", "客户", f"138{n % 10**8:08d}", "12.30", "成功", "消费", "", ""]
        )
    book.save(path)


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.execute(sql).fetchall())
    finally:
        connection.close()


def transaction_count(path: Path) -> int:
    return int(query(path, "SELECT COUNT(*) FROM transactions")[0][0])


def open_in_wizard(qtbot: QtBot, page: ImportPage, path: Path) -> None:
    page.choose_files = lambda _parent: [path]
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_step() == 1 and page.path == path, timeout=LOAD_TIMEOUT_MS)


def check_rows(qtbot: QtBot, page: ImportPage) -> None:
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_step() == 2, timeout=LOAD_TIMEOUT_MS)


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, f"no cell {row},{column}"
    return item.text()


def combo_for(page: ImportPage, header: str) -> QComboBox:
    """The "imports as" combo of the column titled `header`."""
    for index in range(page.mapping_table.rowCount()):
        if cell(page.mapping_table, index, 0) == header:
            box = page.mapping_table.cellWidget(index, 2)
            assert isinstance(box, QComboBox)
            return box
    raise AssertionError(f"no column {header!r}")


def test_wizard_imports_a_messy_export_end_to_end(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    source = tmp_path / "export.xlsx"
    write_messy_export(source)
    page = empty_window.importer
    empty_window.show_page("import")
    open_in_wizard(qtbot, page, source)

    assert page.header_label.text().startswith("Header found in row 4")
    assert page.header_spin.value() == 4
    assert page.format_label.text().startswith("Recognised as: any table")
    assert page.mapping_table.rowCount() == len(HEADER)
    assert page.check_button.isEnabled() and page.missing_label.text() == ""
    assert page.preview_model.rowCount() >= 6

    phone_box, name_box = combo_for(page, "手机号码"), combo_for(page, "用户姓名")
    assert phone_box.currentData() == "phone" and name_box.currentData() == "name"
    phone_box.setCurrentIndex(0)
    name_box.setCurrentIndex(0)
    assert page.identity_label.isVisibleTo(page) and "who the customer is" in page.identity_label.text()
    assert page.check_button.isEnabled(), "no customer column is a warning, not a block"
    phone_box.setCurrentIndex(phone_box.findData("phone"))
    name_box.setCurrentIndex(name_box.findData("name"))
    assert not page.identity_label.isVisibleTo(page)

    amount_box = combo_for(page, "交易金额(元)")
    amount_box.setCurrentIndex(0)
    assert not page.check_button.isEnabled() and "Amount (or Amount in and Amount out)" in page.missing_label.text()
    amount_box.setCurrentIndex(amount_box.findData("amount_in"))
    assert page.check_button.isEnabled(), "money in is an amount too"
    amount_box.setCurrentIndex(amount_box.findData("amount"))
    assert page.options(dry_run=True).mapping is None, "the mapping as recognised is no correction"

    check_rows(qtbot, page)
    assert page.check_result is not None
    assert (page.check_result.inserted, page.check_result.duplicates, page.check_result.rejected) == (3, 1, 2)
    assert page.errors_model.rowCount() == 2
    reasons = {page.errors_model.index(r, 3).data() for r in range(2)}
    assert reasons == {"missing", "not a date"}
    assert page.check_tabs.tabText(0) == "Rejected rows (2)" and not page.check_tabs.isTabVisible(2)
    assert transaction_count(db_path) == 0, "checking writes nothing"

    errors_file = tmp_path / "errors.xlsx"
    page.choose_errors_file = lambda _parent, _suggested: errors_file
    qtbot.mouseClick(page.save_errors_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(errors_file.exists, timeout=LOAD_TIMEOUT_MS)
    saved = openpyxl.load_workbook(errors_file).active
    assert saved.max_row == 3
    header = [cell.value for cell in saved[1]]
    assert [value for value in header if value in HEADER] == HEADER
    assert any("Reason" in str(value) for value in header)

    with qtbot.waitSignal(page.imported, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert page.current_step() == 3
    assert "Imported 3 new transactions" in page.result_summary.text()
    assert "profile" not in page.result_summary.text()
    assert transaction_count(db_path) == 3
    assert query(db_path, "SELECT COUNT(*) FROM import_profiles") == [(0,)]
    qtbot.waitUntil(lambda: empty_window.status is not None and empty_window.status.transactions == 3, timeout=5000)
    qtbot.waitUntil(lambda: page.history_model.rowCount() == 1, timeout=5000)
    assert dialogs.shown == []


def test_a_wechat_pay_bill_is_recognised_and_imports(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    source = write_wechat_pay_trade(tmp_path / "wechat.csv")
    page = empty_window.importer
    open_in_wizard(qtbot, page, source)
    assert page.format_label.text() == "Recognised as: WeChat Pay merchant trade bill"
    assert combo_for(page, "微信订单号").currentData() == "txn_id"
    assert combo_for(page, "用户标识").currentText() == "Platform user ID"
    assert page.missing_label.text() == "" and not page.identity_label.isVisibleTo(page)
    check_rows(qtbot, page)
    assert page.check_result is not None and page.check_result.inserted == 13
    with qtbot.waitSignal(page.imported, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert transaction_count(db_path) == 13
    assert query(db_path, "SELECT format_id FROM import_batches") == [("wechat_pay_trade",)]
    assert dialogs.shown == []


def test_unknown_status_words_are_mapped_in_the_wizard_then_imported_and_kept(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    rows = [row("T001"), row("T002", status="挂起"), row("T003", status="Settled"), row("T004", status="挂起")]
    source = write_xlsx(tmp_path / "words.xlsx", rows)
    page = empty_window.importer
    open_in_wizard(qtbot, page, source)
    check_rows(qtbot, page)

    assert page.check_result is not None and page.check_result.held == 3
    assert "3 rows held until their status or direction word is mapped" in page.check_summary.text()
    assert page.check_tabs.isTabVisible(2) and page.check_tabs.currentIndex() == 2
    assert page.check_tabs.tabText(2) == "Words to map (2)"
    table = page.words_table
    shown = {
        cell(table, r, 1): (cell(table, r, 0), cell(table, r, 3), cell(table, r, 4)) for r in range(table.rowCount())
    }
    assert shown == {"挂起": ("Status", "2", "6, 8"), "Settled": ("Status", "1", "7")}
    assert not page.import_button.isEnabled(), "held rows: nothing may be imported yet"

    boxes = {cell(table, r, 1): table.cellWidget(r, 2) for r in range(table.rowCount())}
    pending, settled = boxes["挂起"], boxes["Settled"]
    assert isinstance(pending, QComboBox) and isinstance(settled, QComboBox)
    assert [pending.itemData(i) for i in range(1, pending.count())] == [
        "success", "failed", "pending", "refunded", "closed",
    ]  # fmt: skip
    first_check = page.check_result
    pending.setCurrentIndex(pending.findData("pending"))
    assert page.check_tabs.tabText(2) == "Words to map (1)"
    assert page.check_result is first_check and not page.import_button.isEnabled()
    settled.setCurrentIndex(settled.findData("success"))  # the last word: the rows are checked again
    qtbot.waitUntil(lambda: page.check_result is not first_check, timeout=LOAD_TIMEOUT_MS)
    assert page.check_result is not None
    assert (page.check_result.inserted, page.check_result.held) == (4, 0)
    assert page.words_table.rowCount() == 2, "mapped words stay listed, to be changed"
    assert page.check_tabs.currentIndex() == 2 and page.check_tabs.tabText(2) == "Words mapped (2)"
    assert page.import_button.isEnabled()
    assert transaction_count(db_path) == 0

    with qtbot.waitSignal(page.imported, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    statuses = dict(query(db_path, "SELECT txn_id, status FROM transactions"))
    assert statuses == {"T001": "success", "T002": "pending", "T003": "success", "T004": "pending"}
    [(name, definition)] = query(db_path, "SELECT name, definition FROM import_profiles")
    assert json.loads(str(definition))["words"]["status"]["挂起"] == "pending"
    assert f"kept as the profile “{name}”" in page.result_summary.text()

    again = write_xlsx(tmp_path / "again.xlsx", [row("T010", status="挂起")])
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    open_in_wizard(qtbot, page, again)
    assert page.format_label.text() == f"Recognised as: your profile “{name}”."
    check_rows(qtbot, page)
    assert page.check_result is not None and (page.check_result.inserted, page.check_result.held) == (1, 0)
    assert dialogs.shown == []


def test_a_word_that_appears_after_the_check_stops_the_import_with_a_clear_message(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    source = write_xlsx(tmp_path / "edited.xlsx", [row("T001"), row("T002")])
    page = empty_window.importer
    open_in_wizard(qtbot, page, source)
    check_rows(qtbot, page)
    assert page.import_button.isEnabled()
    write_xlsx(source, [row("T001"), row("T002", status="冻结中")])  # the file changed after the check
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=LOAD_TIMEOUT_MS)
    [(title, text, is_bug)] = dialogs.shown
    assert (title, is_bug) == ("Import", False) and text.startswith("Some status or direction words are new")
    assert page.current_step() == 2 and page.check_tabs.currentIndex() == 2
    assert cell(page.words_table, 0, 1) == "冻结中" and not page.import_button.isEnabled()
    assert transaction_count(db_path) == 0


def test_header_row_and_columns_chosen_by_hand(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    header = ("Ref No", "Booked", "Contact", "Sum", "Outcome")
    rows = [
        ("A1", "2026-11-03 10:00", "13812345678", "12.50", "成功"),
        ("A2", "2026-11-03 11:00", "13912345678", "8", "失败"),
    ]
    source = write_xlsx(tmp_path / "own.xlsx", rows, header=header)
    page = empty_window.importer
    open_in_wizard(qtbot, page, source)
    assert page.preview is not None and page.preview.header_row == 1, "no header recognised: the first filled row"
    assert page.header_label.text().startswith("No header row recognised; row 1 is shown.")
    assert not page.check_button.isEnabled()

    page.header_spin.setValue(4)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.header_row == 4, timeout=LOAD_TIMEOUT_MS)
    assert page.header_label.text() == "Header row 4, as you chose it."
    assert [cell(page.mapping_table, r, 0) for r in range(page.mapping_table.rowCount())] == list(header)
    assert page.preview_model.rowCount() == 2
    for title, name in zip(header, ("txn_id", "occurred_at", "phone", "amount", "status"), strict=True):
        box = combo_for(page, title)
        box.setCurrentIndex(box.findData(name))
    assert page.check_button.isEnabled() and page.missing_label.text() == ""
    options = page.options(dry_run=False)
    assert options.header_row == 4 and options.mapping == {
        "txn_id": 0, "occurred_at": 1, "phone": 2, "amount": 3, "status": 4,
    }  # fmt: skip

    check_rows(qtbot, page)
    with qtbot.waitSignal(page.imported, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert dict(query(db_path, "SELECT txn_id, status FROM transactions")) == {"A1": "success", "A2": "failed"}
    assert query(db_path, "SELECT COUNT(*) FROM import_profiles") == [(1,)]

    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    open_in_wizard(
        qtbot,
        page,
        write_xlsx(tmp_path / "next.xlsx", [("A3", "2026-11-04 09:00", "13812345678", "3", "成功")], header=header),
    )
    assert page.preview is not None and page.preview.header_row == 4, "the saved profile finds the header"
    assert page.format_label.text().startswith("Recognised as: your profile")
    assert page.check_button.isEnabled()
    assert dialogs.shown == []


def test_warnings_are_listed_and_the_date_order_can_be_chosen(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path
) -> None:
    rows = [row("T001", when="03/04/2026 10:00"), row("T002", when="05/06/2026 11:00", phone="12345")]
    source = write_xlsx(tmp_path / "dates.xlsx", rows)
    page = empty_window.importer
    open_in_wizard(qtbot, page, source)
    check_rows(qtbot, page)
    assert page.check_result is not None and page.check_result.inserted == 2
    assert page.check_tabs.currentIndex() == 1 and page.check_tabs.tabText(1) == "Warnings (2)"
    assert "2 warnings" in page.check_summary.text()
    warnings = [[page.warnings_model.index(r, c).data() for c in range(4)] for r in range(2)]
    assert warnings[0][:2] == ["5", "Date and time"] and "month-first" in warnings[0][3]
    assert page.warnings_model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == warnings[0][3], "long reasons on hover"
    assert warnings[1] == ["6", "Phone", "12345", "not a valid phone number: kept as written, not called"]
    assert page.import_button.isEnabled(), "warnings don't block"

    qtbot.keyClick(page, Qt.Key.Key_Escape)
    assert page.current_step() == 1
    page.date_combo.setCurrentIndex(page.date_combo.findData("dmy"))
    check_rows(qtbot, page)
    assert page.check_result is not None and page.check_tabs.tabText(1) == "Warnings (1)"
    with qtbot.waitSignal(page.imported, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    times = dict(query(db_path, "SELECT txn_id, occurred_at FROM transactions"))
    assert str(times["T001"]).startswith("2026-04-03 10:00"), "day first, as chosen"


def test_a_file_that_names_no_customer_is_refused_with_a_clear_message(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    source = write_wechat_pay_fund(tmp_path / "fund.csv")
    page = empty_window.importer
    open_in_wizard(qtbot, page, source)
    assert page.format_label.text() == "Recognised as: WeChat Pay merchant fund-flow bill"
    assert page.identity_label.isVisibleTo(page) and page.check_button.isEnabled()
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=LOAD_TIMEOUT_MS)
    [(title, text, is_bug)] = dialogs.shown
    assert title == "Checking the rows" and not is_bug
    assert text.startswith("fund.csv names no customer") and "Nothing was imported" in text
    assert page.current_step() == 1
    assert transaction_count(db_path) == 0


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    assert install_language(qapp, "zh_CN"), "run `make translations` to build the .qm"
    yield
    install_language(qapp, "en")


def test_the_wizard_speaks_chinese(
    qtbot: QtBot, chinese: None, db_path: Path, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    window = make_window(qtbot, db_path, dialogs)
    try:
        page = window.importer
        assert page.language == "zh_CN"
        open_in_wizard(qtbot, page, write_wechat_pay_trade(tmp_path / "wechat.csv"))
        assert page.format_label.text() == "识别为：微信支付商户交易账单"
        assert combo_for(page, "用户标识").currentText() == "平台用户标识"
        rows = [row("T001", phone="12345"), row("T002", status="挂起")]
        page.restart()
        open_in_wizard(qtbot, page, write_xlsx(tmp_path / "zh.xlsx", rows))
        check_rows(qtbot, page)
        assert page.warnings_model.index(0, 3).data() == "不是有效的电话号码：按原样保存，不会拨打"
        assert page.warnings_model.index(0, 1).data() == "手机号"
        assert page.check_tabs.tabText(2) == "待对应的词 (1)"
        assert "1 行暂缓导入" in page.check_summary.text()
    finally:
        window.close()
        close_database()


def test_undo_from_the_history(qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "export.xlsx"
    write_messy_export(source)
    page = empty_window.importer
    open_in_wizard(qtbot, page, source)
    check_rows(qtbot, page)
    with qtbot.waitSignal(page.imported, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    stale = "SELECT COUNT(*) FROM settings WHERE key = 'queue_stale'"
    assert query(db_path, stale) == [(0,)]  # the import rebuilt the queue it marked stale
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.current_step() == 0
    qtbot.waitUntil(lambda: page.history_model.rowCount() == 1, timeout=5000)
    page.history.selectRow(0)
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str) -> bool:
        asked.append(text)
        return True

    page.confirm = confirm
    with qtbot.waitSignal(page.imported, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert asked and "3" in asked[0]
    assert transaction_count(db_path) == 0
    assert query(db_path, stale) == [(0,)]  # and so did the undo
    qtbot.waitUntil(lambda: page.history_model.items[0].undone, timeout=5000)


def test_cancelling_an_import_writes_nothing(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path
) -> None:
    source = tmp_path / "big.xlsx"
    write_big_export(source, 30_000)
    page = empty_window.importer
    open_in_wizard(qtbot, page, source)
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_step() == 2, timeout=60_000)
    assert page.check_result is not None and page.check_result.inserted == 30_000
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert page.active_task is not None
    page.active_task.cancel()
    qtbot.waitUntil(lambda: "Cancelled" in page.notice.text(), timeout=60_000)
    assert transaction_count(db_path) == 0
    assert page.current_step() == 2


def test_import_settings_are_saved_reloaded_and_used(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    panel = empty_window.settings.imports
    assert (panel.zone.currentText(), panel.limit.value()) == ("Asia/Shanghai", 1_000_000)

    panel.zone.setCurrentText("Asia/Tokyo")
    panel.limit.setValue(5_000)
    with qtbot.waitSignal(panel.saveDone, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == "Saved. The next import uses these settings."
    assert load_import_settings(current_database()) == ImportSettings("Asia/Tokyo", 5_000)

    fresh = ImportSettingsPanel(empty_window.session)
    qtbot.addWidget(fresh)
    fresh.load()
    assert (fresh.zone.currentText(), fresh.limit.value()) == ("Asia/Tokyo", 5_000)

    fresh.zone.setCurrentText("Mars/Olympus_Mons")
    qtbot.mouseClick(fresh.save_button, Qt.MouseButton.LeftButton)
    assert fresh.message.text().startswith("Unknown time zone “Mars/Olympus_Mons”")
    assert load_import_settings(current_database()).timezone == "Asia/Tokyo"
    assert fresh.zone.currentText() == "Mars/Olympus_Mons", "the form keeps what was typed"

    page = empty_window.importer
    open_in_wizard(qtbot, page, write_xlsx(tmp_path / "big.xlsx", [row("T001", amount="6000.00"), row("T002")]))
    check_rows(qtbot, page)
    codes = [page.warnings_model.items[r].code for r in range(page.warnings_model.rowCount())]
    assert codes == ["amount_implausible"], "the import reads the limit from the settings"
    assert dialogs.shown == []
