"""The Follow-up queue page: working three tasks with the keyboard alone, holds, and assignment."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import AS_OF
from tests.gui.conftest import LOAD_TIMEOUT_MS
from wallet_crm.db import current_database
from wallet_crm.ui.main_window import MainWindow
from wallet_crm.ui.pages.queue import QueuePage


def attempts_by(agent: str) -> list[tuple[int, str]]:
    rows = current_database().execute_sql(
        "SELECT a.task_id, a.disposition FROM contact_attempts a JOIN agents g ON g.id = a.agent_id "
        "WHERE g.name = ? AND a.attempted_at >= ? ORDER BY a.id",
        (agent, AS_OF.strftime("%Y-%m-%d %H:%M:%S")),
    )
    return [(int(task), str(disposition)) for task, disposition in rows]


def open_queue(qtbot: QtBot, window: MainWindow) -> QueuePage:
    page = window.queue
    page.clock = lambda: AS_OF
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts reach only the active window
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        page.load()
    assert window.current_page_key() == "queue"
    return page


def test_three_tasks_worked_with_the_keyboard_alone(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    page.agent.setCurrentIndex(page.agent.findText("小李"))
    assert page.model.rowCount() > 3
    qtbot.keyClick(page, Qt.Key.Key_F5)
    handed: list[int] = []
    for _ in range(3):
        assert page.panel.isEnabled() and page.panel.detail is not None
        handed.append(page.panel.detail.task_id)
        focus = QApplication.focusWidget()
        assert focus is page.panel.disposition
        qtbot.keyClick(focus, Qt.Key.Key_Down)  # reached_followup -> ...: move to "no answer"
        qtbot.keyClick(focus, Qt.Key.Key_Down)
        assert page.panel.disposition.currentData() == "no_answer"
        with qtbot.waitSignal(page.panel.saved, timeout=LOAD_TIMEOUT_MS):
            qtbot.keyClick(
                focus, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
            )
    assert len(set(handed)) == 3
    assert attempts_by("小李") == [(task, "no_answer") for task in handed]
    first_priority = page.model.row_at(0)
    assert first_priority is not None


def test_a_held_task_is_not_handed_to_another_agent(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    page.agent.setCurrentIndex(page.agent.findText("小李"))
    page.take_next()
    assert page.panel.detail is not None
    held = page.panel.detail.task_id
    page.agent.setCurrentIndex(page.agent.findText("小王"))
    page.take_next()
    assert page.panel.detail is not None and page.panel.detail.task_id != held


def test_bad_outcome_keeps_the_form_and_writes_nothing(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    page.agent.setCurrentIndex(page.agent.findText("小张"))
    page.take_next()
    panel = page.panel
    panel.disposition.setCurrentIndex(panel.disposition.findData("no_answer"))
    panel.csat.setCurrentIndex(panel.csat.findData(5))  # satisfaction needs a reached customer
    panel.save(then_next=False)
    assert panel.message.text() != "" and panel.detail is not None
    assert attempts_by("小张") == []


def test_selected_tasks_can_be_assigned(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    page.table.selectRow(0)
    task_id = page.model.row_id(0)
    page.assign_combo.setCurrentIndex(page.assign_combo.findText("小王"))
    page.assign_selected()
    row = (
        current_database()
        .execute_sql("SELECT g.name FROM tasks t JOIN agents g ON g.id = t.assigned_to_id WHERE t.id = ?", (task_id,))
        .fetchone()
    )
    assert row == ("小王",)


def test_customer_timeline_and_do_not_contact_from_the_call_panel(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    page.agent.setCurrentIndex(page.agent.findText("小李"))
    page.take_next()
    detail = page.panel.detail
    assert detail is not None
    qtbot.mouseClick(page.panel.timeline_button, Qt.MouseButton.LeftButton)
    assert demo_window.current_page_key() == "customers"
    timeline = demo_window.customers.timeline
    assert timeline.customer_id == detail.customer.id
    texts = [timeline.events.item(row).text() for row in range(timeline.events.count())]
    assert any(detail.transactions[0].txn_id in text for text in texts)
    timeline.do_not_contact.setChecked(True)
    db = current_database()
    assert db.execute_sql("SELECT do_not_contact FROM customers WHERE id = ?", (detail.customer.id,)).fetchone()[0]
    assert db.execute_sql(
        "SELECT COUNT(*) FROM tasks WHERE customer_id = ? AND status = 'open'", (detail.customer.id,)
    ).fetchone() == (0,)
