"""The window rebuilds a queue an import left stale (its process killed before it rebuilt): at start, and
when the queue page refreshes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.conftest import AS_OF
from tests.gui.conftest import LOAD_TIMEOUT_MS, RecordedDialogs, make_window
from tests.import_files import row, write_csv
from wallet_crm.db import close_database, open_database
from wallet_crm.imports import import_file


def failed_payments(path: Path, when: dt.datetime, count: int) -> Path:
    stamp = when.strftime("%Y-%m-%d %H:%M:%S")
    rows = [row(f"T{i}", when=stamp, customer=f"C{i}", phone=f"1381234{i:04d}", status="失败") for i in range(count)]
    return write_csv(path, rows, "utf-8-sig")


def tasks_and_marks(db_path: Path) -> tuple[int, int]:
    check = sqlite3.connect(db_path)
    try:
        tasks = check.execute("SELECT COUNT(*) FROM tasks WHERE status = 'open'").fetchone()[0]
        marks = check.execute("SELECT COUNT(*) FROM settings WHERE key = 'queue_stale'").fetchone()[0]
    finally:
        check.close()
    return int(tasks), int(marks)


def test_the_window_rebuilds_a_stale_queue_when_it_starts(
    qtbot: QtBot, english: None, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    db_path = tmp_path / "crm.sqlite3"
    source = failed_payments(tmp_path / "failed.csv", dt.datetime.now() - dt.timedelta(days=2), 3)
    import_file(open_database(db_path), source)  # the process that imported it died before the rebuild
    close_database()
    assert tasks_and_marks(db_path) == (0, 1)

    window = make_window(qtbot, db_path, dialogs)
    try:
        qtbot.waitUntil(lambda: tasks_and_marks(db_path) == (3, 0), timeout=LOAD_TIMEOUT_MS)
        with qtbot.waitSignal(window.queue.loaded, timeout=LOAD_TIMEOUT_MS) as shown:
            window.show_page("queue")
        assert shown.args == [3]
        assert dialogs.shown == []
    finally:
        window.close()
        close_database()


def test_the_queue_page_rebuilds_a_stale_queue_when_it_refreshes(
    qtbot: QtBot, english: None, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    db_path = tmp_path / "crm.sqlite3"
    window = make_window(qtbot, db_path, dialogs)  # an empty database: nothing to rebuild
    try:
        page = window.queue
        page.clock = lambda: AS_OF
        other = open_database(db_path, bind=False)  # another copy of the app imports, and is killed
        import_file(other, failed_payments(tmp_path / "failed.csv", AS_OF - dt.timedelta(days=2), 2))
        other.close()
        assert tasks_and_marks(db_path) == (0, 1)

        with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS) as shown:
            window.show_page("queue")

        assert shown.args == [2]
        assert tasks_and_marks(db_path) == (2, 0)
    finally:
        window.close()
        close_database()
