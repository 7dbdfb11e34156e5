"""Unexpected errors become a dialog (and a log entry), and background work reports back on the GUI thread."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from peewee import Database
from pytestqt.qtbot import QtBot

from tests.gui.conftest import RecordedDialogs
from wallet_crm.errors import KnownError
from wallet_crm.logging_setup import current_log_file, setup_logging
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.main_window import MainWindow
from wallet_crm.ui.operations import ProgressCallback, TaskRunner


def test_an_unexpected_exception_shows_what_failed_and_where_the_log_is(
    demo_window: MainWindow, dialogs: RecordedDialogs
) -> None:
    log_file = setup_logging()
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as error:
        demo_window.crash.handle(type(error), error, error.__traceback__)
    (title, text, is_bug) = dialogs.shown[-1]
    assert is_bug and title == "Unexpected error"
    assert "ZeroDivisionError" in text and str(current_log_file()) in text
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "ZeroDivisionError: boom" in log_file.read_text(encoding="utf-8")
    assert demo_window.isVisible()


def test_a_known_error_is_shown_as_its_own_sentence(dialogs: RecordedDialogs) -> None:
    handler = CrashHandler(show=dialogs)
    handler.report(KnownError("The file is password-protected."), "Import")
    assert dialogs.shown == [("Import", "The file is password-protected.", False)]


@pytest.mark.sqlite_only
def test_a_busy_database_is_a_notice_not_a_crash(db: Database, db_path: Path, dialogs: RecordedDialogs) -> None:
    """A write that waited out another writer's lock is told as "busy", with no crash dialog."""
    log_file = setup_logging()
    db.execute_sql("PRAGMA busy_timeout = 0")  # the lock is held already: no need to wait for the answer
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Exception) as caught, db.atomic():
            db.execute_sql("DELETE FROM settings")
    finally:
        other.execute("ROLLBACK")
        other.close()
    handler = CrashHandler(show=dialogs)
    handler.shown_database = lambda: str(db_path)  # what the window's session tells it
    handler.handle(type(caught.value), caught.value, caught.value.__traceback__)
    [(title, text, is_bug)] = dialogs.shown
    assert not is_bug and title == "An action"
    assert text.startswith(f"The database {db_path} is busy") and "\n" not in text
    for log_handler in logging.getLogger().handlers:
        log_handler.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "database error (busy)" in logged and "Traceback" not in logged


def test_background_results_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: dict[str, Any] = {}
    progress: list[tuple[int, int]] = []

    def work(report: ProgressCallback, cancel: threading.Event) -> str:
        seen["worker"] = threading.current_thread()
        report(1, 2)
        report(2, 2)
        return "done"

    def succeeded(result: str) -> None:
        seen["result"] = result
        seen["callback"] = threading.current_thread()

    runner.start(work, succeeded, lambda error: seen.setdefault("error", error), lambda d, t: progress.append((d, t)))
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == "done"
    assert seen["callback"] is threading.main_thread() and seen["worker"] is not threading.main_thread()
    qtbot.waitUntil(lambda: len(progress) == 2, timeout=5000)
    assert progress == [(1, 2), (2, 2)]
    assert not runner.busy()


def test_background_failures_and_cancel_are_delivered(qtbot: QtBot) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []

    def work(_report: ProgressCallback, cancel: threading.Event) -> None:
        cancel.wait(5)
        raise KnownError("cancelled" if cancel.is_set() else "not cancelled")

    task = runner.start(work, lambda _result: None, errors.append)
    task.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert str(errors[0]) == "cancelled"
