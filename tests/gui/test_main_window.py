"""The main window: first start, keyboard navigation, status bar, language, demo data."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from tests.gui.conftest import RecordedDialogs, make_window
from wallet_crm.db import close_database
from wallet_crm.paths import default_demo_db_path
from wallet_crm.preferences import load_preferences, preferences_file
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.i18n import install_language
from wallet_crm.ui.main_window import NAV_KEYS, MainWindow


def test_first_start_on_an_empty_database_shows_the_welcome_page(empty_window: MainWindow) -> None:
    assert empty_window.current_page_key() == "welcome"
    assert empty_window.welcome.import_button.isVisible() and empty_window.welcome.demo_button.isVisible()
    assert "Transactions 0" in empty_window.counts_label.text()
    assert not empty_window.demo_badge.isVisible()


def test_welcome_import_button_leads_to_the_import_page(qtbot: QtBot, empty_window: MainWindow) -> None:
    qtbot.mouseClick(empty_window.welcome.import_button, Qt.MouseButton.LeftButton)
    assert empty_window.current_page_key() == "import"
    assert empty_window.nav.currentRow() == NAV_KEYS.index("import")


def test_every_page_is_reachable_with_the_keyboard(qtbot: QtBot, demo_window: MainWindow) -> None:
    assert demo_window.current_page_key() == "transactions"
    for number, key in enumerate(NAV_KEYS, start=1):
        qtbot.keyClick(demo_window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        assert demo_window.current_page_key() == key
    demo_window.nav.setFocus()
    qtbot.keyClick(demo_window.nav, Qt.Key.Key_Home)
    visited = [demo_window.current_page_key()]
    for _ in NAV_KEYS[1:]:
        qtbot.keyClick(demo_window.nav, Qt.Key.Key_Down)
        visited.append(demo_window.current_page_key())
    assert visited == list(NAV_KEYS)


def test_status_bar_shows_database_and_counts(demo_window: MainWindow, demo_path: Path) -> None:
    assert str(demo_path) in demo_window.db_label.text()
    assert demo_window.counts_label.text() == "Customers 300 · Transactions 3,000"
    assert demo_window.demo_badge.isVisible()


def test_window_speaks_chinese_when_chosen(
    qtbot: QtBot, qapp: QApplication, demo_path: Path, dialogs: RecordedDialogs
) -> None:
    assert install_language(qapp, "zh_CN"), "run `make translations` to build the .qm"
    try:
        window = make_window(qtbot, demo_path, dialogs)
        labels = [window.nav.item(row).text() for row in range(window.nav.count())]
        assert labels == ["导入", "回访队列", "客户", "交易", "反馈汇总", "设置"]
        assert window.transactions.count_label.text() == "共 3,000 条"
        assert window.counts_label.text() == "客户 300 · 交易 3,000"
        window.close()
    finally:
        install_language(qapp, "en")
        close_database()


def test_demo_button_opens_a_separate_demo_database(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, dialogs: RecordedDialogs
) -> None:
    qtbot.mouseClick(empty_window.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: empty_window.status is not None and empty_window.status.is_demo, timeout=60_000)
    assert empty_window.status is not None and empty_window.status.transactions == 20_000
    assert empty_window.db_target == str(default_demo_db_path())
    assert empty_window.current_page_key() == "transactions"
    assert dialogs.shown == []
    import sqlite3

    original = sqlite3.connect(db_path)
    assert original.execute("SELECT COUNT(*) FROM transactions").fetchone()[0] == 0
    original.close()


def test_language_choice_is_saved_for_the_next_start(qtbot: QtBot, empty_window: MainWindow) -> None:
    settings = empty_window.settings
    settings.language.setCurrentIndex(settings.language.findData("en"))
    saved = json.loads(preferences_file().read_text(encoding="utf-8"))
    assert saved["language"] == "en"
    assert "next start" in settings.language_note.text()


def test_switching_to_a_bad_file_keeps_the_current_database(
    tmp_path: Path, demo_window: MainWindow, demo_path: Path, dialogs: RecordedDialogs
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"PK\x03\x04 not a database at all" * 20)
    demo_window.switch_database(str(bad))
    assert demo_window.db_target == str(demo_path)
    assert len(dialogs.shown) == 1 and "not a wallet-crm database" in dialogs.shown[0][1]
    assert dialogs.shown[0][2] is False
    close_database()


def test_the_window_fits_the_screen_and_opens_next_time_as_it_was_left(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, dialogs: RecordedDialogs
) -> None:
    available = empty_window.screen().availableGeometry()
    size = empty_window.size()
    assert size.width() <= max(available.width(), empty_window.minimumWidth())
    assert size.height() <= max(available.height(), empty_window.minimumHeight())
    empty_window.resize(900, 650)  # the offscreen screen is 800×800: the minimum width, a lower height
    empty_window.close()
    saved = json.loads(preferences_file().read_text(encoding="utf-8"))["window_geometry"]
    assert saved != ""
    again = MainWindow(str(db_path), load_preferences(), CrashHandler(show=dialogs), empty_window.session.db)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (900, 650)


def test_the_language_is_chosen_on_the_welcome_page_and_the_app_starts_again_in_it(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    welcome = empty_window.welcome
    restarts: list[bool] = []
    welcome.restart = lambda: restarts.append(True)
    chinese, english = (welcome.findChild(QPushButton, f"language_{code}") for code in ("zh_CN", "en"))
    assert chinese is not None and english is not None
    assert english.isChecked() and not chinese.isChecked()  # the tests run in English
    qtbot.mouseClick(english, Qt.MouseButton.LeftButton)
    assert restarts == []  # already in English: nothing to restart
    qtbot.mouseClick(chinese, Qt.MouseButton.LeftButton)
    assert json.loads(preferences_file().read_text(encoding="utf-8"))["language"] == "zh_CN"
    assert restarts == [True]
