"""The import wizard driven end to end with qtbot: preview, mapping, check, errors file, import, cancel, undo."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from tests.gui.conftest import LOAD_TIMEOUT_MS, RecordedDialogs
from wallet_crm.ui.main_window import MainWindow
from wallet_crm.ui.pages.import_page import ImportPage

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


def transaction_count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT COUNT(*) FROM transactions").fetchone()[0])
    finally:
        connection.close()


def open_in_wizard(qtbot: QtBot, page: ImportPage, path: Path) -> None:
    page.choose_files = lambda _parent: [path]
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_step() == 1, timeout=LOAD_TIMEOUT_MS)


def test_wizard_imports_a_messy_export_end_to_end(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    source = tmp_path / "export.xlsx"
    write_messy_export(source)
    page = empty_window.importer
    empty_window.show_page("import")
    open_in_wizard(qtbot, page, source)

    assert page.header_label.text().startswith("Header found in row 4")
    assert page.mapping_table.rowCount() == len(HEADER)
    assert page.check_button.isEnabled() and page.missing_label.text() == ""
    assert page.preview_model.rowCount() >= 6

    phone_box = page.mapping_table.cellWidget(3, 2)
    assert isinstance(phone_box, QComboBox) and phone_box.currentData() == "phone"
    phone_box.setCurrentIndex(0)
    assert not page.check_button.isEnabled() and "Customer ID or phone" in page.missing_label.text()
    phone_box.setCurrentIndex(phone_box.findData("phone"))
    assert page.check_button.isEnabled()

    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_step() == 2, timeout=LOAD_TIMEOUT_MS)
    assert page.check_result is not None
    assert (page.check_result.inserted, page.check_result.duplicates, page.check_result.rejected) == (3, 1, 2)
    assert page.errors_model.rowCount() == 2
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
    assert transaction_count(db_path) == 3
    qtbot.waitUntil(lambda: empty_window.status is not None and empty_window.status.transactions == 3, timeout=5000)
    qtbot.waitUntil(lambda: page.history_model.rowCount() == 1, timeout=5000)
    assert dialogs.shown == []


def test_undo_from_the_history(qtbot: QtBot, empty_window: MainWindow, db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "export.xlsx"
    write_messy_export(source)
    page = empty_window.importer
    open_in_wizard(qtbot, page, source)
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_step() == 2, timeout=LOAD_TIMEOUT_MS)
    with qtbot.waitSignal(page.imported, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
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
