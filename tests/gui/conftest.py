"""GUI fixtures: a main window over a real database, in English unless a test asks for Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wallet_crm.db import close_database, open_database
from wallet_crm.preferences import Preferences
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.i18n import install_language
from wallet_crm.ui.main_window import MainWindow

LOAD_TIMEOUT_MS = 10_000


class RecordedDialogs:
    """Stands in for the message box so a test can read what the user would have been shown."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, bool]] = []

    def __call__(self, title: str, text: str, is_bug: bool) -> None:
        self.shown.append((title, text, is_bug))


@pytest.fixture
def dialogs() -> RecordedDialogs:
    return RecordedDialogs()


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    install_language(qapp, "en")
    yield


def make_window(qtbot: QtBot, target: Path, dialogs: RecordedDialogs, start_page: str | None = None) -> MainWindow:
    window = MainWindow(str(target), Preferences(), CrashHandler(show=dialogs), open_database(target))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.transactions.loaded, timeout=LOAD_TIMEOUT_MS):
        window.load(start_page)
        if window.current_page_key() != "transactions":  # the welcome page: load the tables all the same
            window.transactions.reload()
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def demo_window(qtbot: QtBot, english: None, demo_path: Path, dialogs: RecordedDialogs) -> Iterator[MainWindow]:
    window = make_window(qtbot, demo_path, dialogs)
    yield window
    window.close()
    close_database()


@pytest.fixture
def empty_window(qtbot: QtBot, english: None, db_path: Path, dialogs: RecordedDialogs) -> Iterator[MainWindow]:
    window = make_window(qtbot, db_path, dialogs)
    yield window
    window.close()
    close_database()
