"""Another process holds the database's write lock: the window keeps repainting, the user is told the
database is busy (a notice, never the crash dialog), the form keeps what was typed, and once the lock
is gone the same save works and is stored once (issue 11, item 10)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from tests.conftest import AS_OF
from tests.gui.conftest import LOAD_TIMEOUT_MS, RecordedDialogs, make_window
from wallet_crm.db import close_database, current_database
from wallet_crm.ui.main_window import MainWindow
from wallet_crm.ui.pages.queue import QueuePage

BUSY_TIMEOUT_MS = 1000
LONGEST_STALL_S = 0.5  # generous: the window repaints every 20 ms while the write waits on the lock

HOLD_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()  # until the test lets go (or dies: end of input)
connection.execute("ROLLBACK")
connection.close()
"""


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another process holds `path`'s write lock (BEGIN IMMEDIATE) for the duration of the block."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    with child:  # closes its pipes
        assert child.stdout is not None and child.stdin is not None
        try:
            assert child.stdout.readline().strip() == "locked"
            yield
        finally:
            child.stdin.close()
            assert child.wait(timeout=10) == 0


class StallMeter:
    """A timer ticking every 20 ms on the GUI thread; `longest()` is the longest gap it saw."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))

    def start(self) -> None:
        self.ticks = [time.monotonic()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.ticks.append(time.monotonic())

    def longest(self) -> float:
        return max(later - earlier for earlier, later in zip(self.ticks, self.ticks[1:], strict=False))


@pytest.fixture
def busy_window(
    qtbot: QtBot, english: None, demo_path: Path, dialogs: RecordedDialogs, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setenv("WALLET_CRM_BUSY_TIMEOUT_MS", str(BUSY_TIMEOUT_MS))  # read when the database opens
    window = make_window(qtbot, demo_path, dialogs)
    yield window
    window.close()
    close_database()


def open_queue(qtbot: QtBot, window: MainWindow) -> QueuePage:
    page = window.queue
    page.clock = lambda: AS_OF
    page.ask_agent = lambda _parent, _names, answer: answer("小李")
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        window.show_page("queue")
    qtbot.waitUntil(lambda: page.current_agent() is not None)
    return page


def attempts_on(task_id: int) -> list[tuple[str, str | None]]:
    rows = current_database().execute_sql(
        "SELECT disposition, notes FROM contact_attempts WHERE task_id = ? ORDER BY id", (task_id,)
    )
    return [(str(disposition), notes) for disposition, notes in rows]


def holds() -> list[int]:
    rows = current_database().execute_sql("SELECT id FROM tasks WHERE held_by_id IS NOT NULL ORDER BY id")
    return [int(task_id) for (task_id,) in rows]


def while_locked(qtbot: QtBot, path: Path, act: Callable[[], None], finished: Callable[[], bool]) -> StallMeter:
    """`act()` while another process holds the lock; wait until `finished()`, measuring the stalls."""
    meter = StallMeter()
    with write_lock(path):
        meter.start()
        act()
        qtbot.waitUntil(finished, timeout=LOAD_TIMEOUT_MS)
        qtbot.wait(60)  # a few more ticks after the answer
        meter.stop()
    return meter


def test_saving_an_outcome_while_another_process_writes_shows_a_notice_and_keeps_the_form(
    qtbot: QtBot, busy_window: MainWindow, demo_path: Path, dialogs: RecordedDialogs
) -> None:
    page = open_queue(qtbot, busy_window)
    panel = page.panel
    with qtbot.waitSignal(page.nextDone, timeout=LOAD_TIMEOUT_MS):
        page.take_next()
    assert panel.detail is not None
    task_id = panel.detail.task_id
    before = attempts_on(task_id)
    panel.disposition.setCurrentIndex(panel.disposition.findData("reached_resolved"))
    qtbot.keyClicks(panel.notes, "Typed during the import")
    disabled_while_saving: list[bool] = []

    def save() -> None:
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
        disabled_while_saving.append(panel.saving and not panel.save_button.isEnabled())

    meter = while_locked(qtbot, demo_path, save, lambda: not panel.saving)

    assert disabled_while_saving == [True]
    assert len(meter.ticks) >= 20  # the loop ran all along the ~1 s wait...
    assert meter.longest() < LONGEST_STALL_S  # ...and never stalled
    assert dialogs.shown == []  # no crash dialog, no message box
    assert panel.message.text().startswith(f"The database {demo_path} is busy")
    assert panel.detail is not None and panel.detail.task_id == task_id  # the form stays as typed
    assert panel.notes.toPlainText() == "Typed during the import"
    assert panel.disposition.currentData() == "reached_resolved"
    assert panel.save_button.isEnabled() and panel.save_next_button.isEnabled()
    assert attempts_on(task_id) == before  # nothing was written

    # The lock is gone: the same form saves, once.
    with qtbot.waitSignal(panel.saved, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert attempts_on(task_id) == [*before, ("reached_resolved", "Typed during the import")]
    assert panel.detail is None and dialogs.shown == []


def test_next_customer_while_another_process_writes_shows_a_notice(
    qtbot: QtBot, busy_window: MainWindow, demo_path: Path, dialogs: RecordedDialogs
) -> None:
    page = open_queue(qtbot, busy_window)
    held_before = holds()
    meter = while_locked(qtbot, demo_path, page.take_next, lambda: page.next_button.isEnabled())

    assert len(meter.ticks) >= 20 and meter.longest() < LONGEST_STALL_S
    assert dialogs.shown == []
    assert page.next_message.text().startswith(f"The database {demo_path} is busy")
    assert page.panel.detail is None
    assert holds() == held_before  # nothing was held

    with qtbot.waitSignal(page.nextDone, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.panel.detail is not None and dialogs.shown == []
    assert page.panel.detail.task_id in holds()  # held now that the lock is gone


def assignee_of(task_id: int) -> str | None:
    row = (
        current_database()
        .execute_sql(
            "SELECT g.name FROM tasks t LEFT JOIN agents g ON g.id = t.assigned_to_id WHERE t.id = ?", (task_id,)
        )
        .fetchone()
    )
    return None if row is None or row[0] is None else str(row[0])


def test_assigning_while_another_process_writes_shows_a_notice(
    qtbot: QtBot, busy_window: MainWindow, demo_path: Path, dialogs: RecordedDialogs
) -> None:
    page = open_queue(qtbot, busy_window)
    with qtbot.waitSignal(page.opened, timeout=LOAD_TIMEOUT_MS):
        page.table.selectRow(0)  # held for the agent in the background
    task_id = page.model.row_id(0)
    before = assignee_of(task_id)
    assert before != "小王"
    page.assign_combo.setCurrentIndex(page.assign_combo.findText("小王"))
    disabled_while_assigning: list[bool] = []

    def assign() -> None:
        qtbot.mouseClick(page.assign_button, Qt.MouseButton.LeftButton)
        disabled_while_assigning.append(not page.assign_button.isEnabled() and not page.spread_button.isEnabled())

    meter = while_locked(qtbot, demo_path, assign, lambda: page.assign_button.isEnabled())

    assert disabled_while_assigning == [True]
    assert len(meter.ticks) >= 20 and meter.longest() < LONGEST_STALL_S
    assert dialogs.shown == []
    assert page.next_message.text().startswith(f"The database {demo_path} is busy")
    assert page.spread_button.isEnabled() and page.assign_combo.currentText() == "小王"
    assert assignee_of(task_id) == before  # nothing was written

    with qtbot.waitSignal(page.assigned, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.assign_button, Qt.MouseButton.LeftButton)
    assert assignee_of(task_id) == "小王" and dialogs.shown == []
