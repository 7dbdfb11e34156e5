"""The Follow-up queue page: choosing who works, three tasks worked with the keyboard alone, holds, skip,
filters, assignment and export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.conftest import AS_OF
from tests.gui.conftest import LOAD_TIMEOUT_MS, RecordedDialogs
from wallet_crm.db import current_database
from wallet_crm.followup.agents import agent_by_name
from wallet_crm.followup.work import next_task
from wallet_crm.ui.export_dialog import ExportChoice
from wallet_crm.ui.main_window import MainWindow
from wallet_crm.ui.pages.queue import UNASSIGNED, QueuePage

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def attempts_by(agent: str) -> list[tuple[int, str]]:
    rows = current_database().execute_sql(
        "SELECT a.task_id, a.disposition FROM contact_attempts a JOIN agents g ON g.id = a.agent_id "
        "WHERE g.name = ? AND a.attempted_at >= ? ORDER BY a.id",
        (agent, AS_OF.strftime("%Y-%m-%d %H:%M:%S")),
    )
    return [(int(task), str(disposition)) for task, disposition in rows]


def outcomes_by(agent: str) -> list[tuple[object, ...]]:
    """(task, channel, disposition, csat, nps, category, notes, topics) of the agent's calls since AS_OF."""
    db = current_database()
    rows = db.execute_sql(
        "SELECT a.id, a.task_id, a.channel, a.disposition, a.csat, a.nps, a.category, a.notes FROM contact_attempts a "
        "JOIN agents g ON g.id = a.agent_id WHERE g.name = ? AND a.attempted_at >= ? ORDER BY a.id",
        (agent, AS_OF.strftime("%Y-%m-%d %H:%M:%S")),
    ).fetchall()
    result = []
    for attempt_id, *values in rows:
        topics = [t for (t,) in db.execute_sql("SELECT topic FROM attempt_topics WHERE attempt_id = ?", (attempt_id,))]
        result.append((*values, topics))
    return result


def task_row(task_id: int) -> tuple[object, ...]:
    row = current_database().execute_sql(
        "SELECT t.status, t.attempts, h.name FROM tasks t LEFT JOIN agents h ON h.id = t.held_by_id WHERE t.id = ?",
        (task_id,),
    )
    return tuple(row.fetchone())


class AgentChooser:
    """Stands in for the "who is working" dialog: records each question, answers `answer`."""

    def __init__(self, answer: str | None = None) -> None:
        self.answer = answer
        self.asked: list[list[str]] = []

    def __call__(self, _parent: QWidget, names: Sequence[str], answer: Callable[[str | None], None]) -> None:
        self.asked.append(list(names))
        answer(self.answer)


def open_queue(qtbot: QtBot, window: MainWindow, chooser: AgentChooser | None = None) -> QueuePage:
    page = window.queue
    page.clock = lambda: AS_OF
    page.ask_agent = chooser or AgentChooser()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts reach only the active window
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(window, Qt.Key.Key_2, CTRL)  # the page loads when first shown
    assert window.current_page_key() == "queue"
    return page


def choose_agent(page: QueuePage, name: str) -> None:
    page.agent.setCurrentIndex(page.agent.findText(name))


def click_row(qtbot: QtBot, page: QueuePage, row: int) -> int:
    """Click a row of the queue table as the user would and wait until it is shown (held in the
    background); returns its task id."""
    page.table.scrollTo(page.model.index(row, 0))
    rect = page.table.visualRect(page.model.index(row, 2))
    with qtbot.waitSignal(page.opened, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return page.model.row_id(row)


def assign(qtbot: QtBot, page: QueuePage) -> None:
    """Assign the selected rows and wait for the write in the background."""
    with qtbot.waitSignal(page.assigned, timeout=LOAD_TIMEOUT_MS):
        page.assign_selected()


def take_next(qtbot: QtBot, page: QueuePage, action: Callable[[], object] | None = None) -> None:
    """Next customer (or `action`, which asks for one) and wait for its answer from the background."""
    with qtbot.waitSignal(page.nextDone, timeout=LOAD_TIMEOUT_MS):
        (action or page.take_next)()


def row_of(page: QueuePage, task_id: int) -> int:
    return next(r for r in range(page.model.rowCount()) if page.model.row_id(r) == task_id)


def test_nobody_is_working_at_start_and_the_page_asks_once(qtbot: QtBot, demo_window: MainWindow) -> None:
    chooser = AgentChooser(answer="小王")
    page = open_queue(qtbot, demo_window, chooser)
    qtbot.waitUntil(lambda: page.current_agent() is not None)
    assert chooser.asked == [["小张", "小李", "小王"]]
    assert page.agent.itemText(0) == "Choose who is working…" and page.agent.currentText() == "小王"
    qtbot.keyClick(demo_window, Qt.Key.Key_4, CTRL)
    qtbot.keyClick(demo_window, Qt.Key.Key_2, CTRL)
    qtbot.wait(50)
    assert len(chooser.asked) == 1  # once only, even when nobody is chosen again
    choose_agent(page, "Choose who is working…")
    assert page.current_agent() is None


def test_next_customer_with_nobody_chosen_asks_for_the_agent_first(qtbot: QtBot, demo_window: MainWindow) -> None:
    chooser = AgentChooser(answer=None)  # the agent closes the chooser
    page = open_queue(qtbot, demo_window, chooser)
    qtbot.waitUntil(lambda: bool(chooser.asked))
    assert page.current_agent() is None and page.agent.currentIndex() == 0
    page.table.setFocus()
    take_next(qtbot, page, lambda: qtbot.keyClick(page, Qt.Key.Key_F5))
    assert page.panel.detail is None and page.next_message.text() == "Choose who is working first."
    assert QApplication.focusWidget() is page.agent
    # A row opened from the table can be read, not logged, while nobody is chosen.
    task_id = click_row(qtbot, page, 0)
    panel = page.panel
    assert panel.detail is not None and panel.read_only and not panel.save_button.isEnabled()
    assert "Choose who is working" in panel.notice.text()
    assert task_row(task_id)[2] is None  # and it is not held for anybody


def test_three_tasks_worked_with_the_keyboard_alone(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    panel = page.panel
    qtbot.keyClick(demo_window, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # &Working:
    assert QApplication.focusWidget() is page.agent
    for _ in range(len(page.agents)):
        if page.agent.currentText() == "小李":
            break
        qtbot.keyClick(page.agent, Qt.Key.Key_Down)
    assert page.current_agent() is not None and page.current_agent().name == "小李"  # type: ignore[union-attr]

    def field(key: Qt.Key, presses: int = 1) -> None:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        for _ in range(presses):
            qtbot.keyClick(QApplication.focusWidget(), key)

    # 1: reached and resolved, CSAT 5, NPS 9, praise, topic 1, a note; Ctrl+Enter saves.
    take_next(qtbot, page, lambda: qtbot.keyClick(page.agent, Qt.Key.Key_F5))
    assert panel.detail is not None and QApplication.focusWidget() is panel.disposition
    first, earlier = panel.detail.task_id, {panel.detail.task_id: panel.detail.attempts}
    assert panel.disposition.currentData() == "reached_resolved"
    field(Qt.Key.Key_Down)  # satisfaction: — -> 5
    field(Qt.Key.Key_Down, 2)  # NPS: — -> 10 -> 9
    field(Qt.Key.Key_Down)  # feedback type: — -> praise
    field(Qt.Key.Key_Home)  # topics: the first one
    qtbot.keyClick(panel.topics, Qt.Key.Key_Space)
    qtbot.keyClick(panel.topics, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.notes
    qtbot.keyClicks(panel.notes, "All good, thanks")
    with qtbot.waitSignal(panel.saved, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(panel.notes, Qt.Key.Key_Return, CTRL)
    assert panel.detail is None

    # 2: F5, reached but needs more, CSAT 3, complaint, two topics; Ctrl+Shift+Enter saves and takes the next.
    take_next(qtbot, page, lambda: qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key.Key_F5))
    assert panel.detail is not None and panel.detail.task_id != first
    second = panel.detail.task_id
    earlier[second] = panel.detail.attempts
    qtbot.keyClick(panel.disposition, Qt.Key.Key_Down)
    assert panel.disposition.currentData() == "reached_followup"
    field(Qt.Key.Key_Down, 3)  # satisfaction 3
    field(Qt.Key.Key_Down, 0)  # NPS left empty
    field(Qt.Key.Key_Down, 2)  # complaint
    field(Qt.Key.Key_End)  # topics: the last one and the one before it
    qtbot.keyClick(panel.topics, Qt.Key.Key_Space)
    qtbot.keyClick(panel.topics, Qt.Key.Key_Left)
    qtbot.keyClick(panel.topics, Qt.Key.Key_Space)
    qtbot.keyClick(panel.topics, Qt.Key.Key_Tab)
    qtbot.keyClicks(panel.notes, "Slow transfer; call again")
    with qtbot.waitSignals([panel.saved, page.nextDone], timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(panel.notes, Qt.Key.Key_Return, CTRL_SHIFT)

    # 3: handed out by save-and-next; no answer, saved with Ctrl+Shift+Enter from the result box.
    assert panel.detail is not None and panel.detail.task_id not in (first, second)
    third = panel.detail.task_id
    earlier[third] = panel.detail.attempts
    assert QApplication.focusWidget() is panel.disposition
    for _ in range(2):
        qtbot.keyClick(panel.disposition, Qt.Key.Key_Down)
    assert panel.disposition.currentData() == "no_answer"
    with qtbot.waitSignals([panel.saved, page.nextDone], timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(panel.disposition, Qt.Key.Key_Return, CTRL_SHIFT)

    topics = list(panel.topics.item(row).text() for row in range(panel.topics.count()))
    assert outcomes_by("小李") == [
        (first, "phone", "reached_resolved", 5, 9, "praise", "All good, thanks", [topics[0]]),
        (second, "phone", "reached_followup", 3, None, "complaint", "Slow transfer; call again", topics[-2:]),
        (third, "phone", "no_answer", None, None, None, None, []),
    ]
    assert task_row(first)[:2] == ("done", earlier[first] + 1)
    assert task_row(second)[:2] == ("open", earlier[second] + 1)
    assert task_row(third)[0] in ("open", "unreachable") and task_row(third)[1] == earlier[third] + 1
    assert panel.detail is not None and panel.detail.task_id not in (first, second, third)  # the fourth, held
    assert task_row(panel.detail.task_id)[2] == "小李"


def test_a_held_task_is_not_handed_to_another_agent(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    db = current_database()
    held = next_task(db, agent_by_name(db, "小王").id, AS_OF).task_id  # 小王 on another PC
    choose_agent(page, "小李")
    take_next(qtbot, page)
    assert page.panel.detail is not None and page.panel.detail.task_id != held
    assert task_row(held or 0)[2] == "小王"


def test_bad_outcome_keeps_the_form_and_writes_nothing(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    page.agent.setCurrentIndex(page.agent.findText("小张"))
    take_next(qtbot, page)
    panel = page.panel
    panel.disposition.setCurrentIndex(panel.disposition.findData("no_answer"))
    panel.csat.setCurrentIndex(panel.csat.findData(5))  # satisfaction needs a reached customer
    panel.save(then_next=False)
    qtbot.waitUntil(lambda: not panel.saving, timeout=LOAD_TIMEOUT_MS)
    assert panel.message.text() != "" and panel.detail is not None
    assert attempts_by("小张") == []


def test_after_saving_the_empty_form_shows_none_of_the_saved_answers(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    page.agent.setCurrentIndex(page.agent.findText("小张"))
    take_next(qtbot, page)
    panel = page.panel
    panel.disposition.setCurrentIndex(panel.disposition.findData("reached_followup"))
    panel.csat.setCurrentIndex(panel.csat.findData(2))
    panel.notes.setPlainText("客户说到账慢")
    panel.topics.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        panel.save(then_next=False)
    assert panel.detail is None and not panel.isEnabled()
    assert [disposition for _task, disposition in attempts_by("小张")] == ["reached_followup"]
    assert panel.disposition.currentIndex() == 0 and panel.csat.currentData() is None
    assert panel.notes.toPlainText() == ""
    assert all(panel.topics.item(row).checkState() == Qt.CheckState.Unchecked for row in range(panel.topics.count()))


def test_selected_tasks_can_be_assigned(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    page.table.selectRow(0)
    task_id = page.model.row_id(0)
    page.assign_combo.setCurrentIndex(page.assign_combo.findText("小王"))
    assign(qtbot, page)
    row = (
        current_database()
        .execute_sql("SELECT g.name FROM tasks t JOIN agents g ON g.id = t.assigned_to_id WHERE t.id = ?", (task_id,))
        .fetchone()
    )
    assert row == ("小王",)


def test_customer_timeline_and_do_not_contact_from_the_call_panel(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window)
    page.agent.setCurrentIndex(page.agent.findText("小李"))
    take_next(qtbot, page)
    detail = page.panel.detail
    assert detail is not None
    qtbot.mouseClick(page.panel.timeline_button, Qt.MouseButton.LeftButton)
    assert demo_window.current_page_key() == "customers"
    timeline = demo_window.customers.timeline
    assert timeline.customer_id == detail.customer.id
    texts = [timeline.events.item(row).text() for row in range(timeline.events.count())]
    assert any(detail.transactions[0].txn_id in text for text in texts)
    with qtbot.waitSignal(timeline.finished, timeout=LOAD_TIMEOUT_MS):
        timeline.do_not_contact.setChecked(True)
    assert timeline.do_not_contact.isChecked() and timeline.do_not_contact.isEnabled()
    db = current_database()
    assert db.execute_sql("SELECT do_not_contact FROM customers WHERE id = ?", (detail.customer.id,)).fetchone()[0]
    assert db.execute_sql(
        "SELECT COUNT(*) FROM tasks WHERE customer_id = ? AND status = 'open'", (detail.customer.id,)
    ).fetchone() == (0,)


def test_skip_gives_the_task_back_and_takes_the_next_customer(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window, AgentChooser(answer="小李"))
    qtbot.waitUntil(lambda: page.current_agent() is not None)
    take_next(qtbot, page, lambda: qtbot.keyClick(page, Qt.Key.Key_F5))
    panel = page.panel
    assert panel.detail is not None
    skipped, attempts = panel.detail.task_id, panel.detail.attempts
    assert task_row(skipped)[2] == "小李"
    take_next(qtbot, page, lambda: qtbot.keyClick(panel.disposition, Qt.Key.Key_Escape))  # Skip (Esc)
    assert panel.detail is not None and panel.detail.task_id != skipped
    assert task_row(skipped) == ("open", attempts, None)  # released, nothing logged
    assert task_row(panel.detail.task_id)[2] == "小李"
    assert attempts_by("小李") == []
    # Skipping passes over the task once: after the next call is logged, it is handed out again.
    with qtbot.waitSignals([panel.saved, page.nextDone], timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(panel.disposition, Qt.Key.Key_Return, CTRL_SHIFT)
    assert panel.detail is not None and panel.detail.task_id == skipped
    take_next(qtbot, page, lambda: qtbot.mouseClick(panel.skip_button, Qt.MouseButton.LeftButton))
    assert panel.detail is not None and panel.detail.task_id != skipped


def test_a_row_opened_from_the_table_is_held_or_read_only(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window, AgentChooser(answer="小李"))
    qtbot.waitUntil(lambda: page.current_agent() is not None)
    panel = page.panel
    first = click_row(qtbot, page, 1)
    assert panel.detail is not None and panel.detail.task_id == first and not panel.read_only
    assert task_row(first)[2] == "小李" and panel.save_button.isEnabled()
    second = click_row(qtbot, page, 2)  # another row: the first is given back
    assert task_row(first)[2] is None and task_row(second)[2] == "小李"
    take_next(qtbot, page, lambda: qtbot.keyClick(page, Qt.Key.Key_F5))  # the agent's own hold comes first
    assert panel.detail is not None and panel.detail.task_id == second

    choose_agent(page, "小王")  # another agent sits down: 小李's task goes back to the queue
    assert panel.detail is None
    qtbot.waitUntil(lambda: task_row(second)[2] is None)  # given back in the background
    take_next(qtbot, page)
    assert panel.detail is not None
    held_by_wang = panel.detail.task_id
    choose_agent(page, "小李")
    qtbot.waitUntil(lambda: task_row(held_by_wang)[2] is None)
    next_task(current_database(), agent_by_name(current_database(), "小王").id, AS_OF)  # 小王 on the other PC
    assert task_row(held_by_wang)[2] == "小王"
    click_row(qtbot, page, row_of(page, held_by_wang))
    assert panel.detail is not None and panel.detail.task_id == held_by_wang and panel.read_only
    assert panel.notice.isVisible() and panel.notice.text() == "Being worked by 小王 until 10:15."
    assert not panel.save_button.isEnabled() and not panel.form_box.isEnabled()
    assert not panel.reveal_button.isEnabled() and not panel.skip_button.isEnabled()
    panel.save(then_next=False)
    qtbot.keyClick(panel, Qt.Key.Key_Escape)
    assert attempts_by("小李") == [] and task_row(held_by_wang)[2] == "小王"


def test_a_closed_task_shows_read_only_with_its_contacts(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window, AgentChooser(answer="小李"))
    qtbot.waitUntil(lambda: page.current_agent() is not None)
    take_next(qtbot, page)
    panel = page.panel
    assert panel.detail is not None
    done, contacts = panel.detail.task_id, panel.detail.attempts + 1
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        panel.save(then_next=False)  # reached, resolved
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.status.setCurrentIndex(page.status.findData("done"))
    queue_row = page.model.row_at(row_of(page, done))
    assert queue_row is not None and queue_row.explanation.endswith(f" · {contacts} contacts")
    click_row(qtbot, page, row_of(page, done))
    assert panel.detail is not None and panel.detail.task_id == done and panel.read_only
    assert panel.notice.text() == "This task is closed (Done)."
    assert task_row(done) == ("done", contacts, None)


def test_the_assignee_filter_shows_one_agent_or_the_unassigned(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = open_queue(qtbot, demo_window, AgentChooser(answer="小李"))
    qtbot.waitUntil(lambda: page.current_agent() is not None)
    total = page.model.rowCount()
    first = click_row(qtbot, page, 0)
    page.assign_combo.setCurrentIndex(page.assign_combo.findText("小王"))
    assign(qtbot, page)
    second = click_row(qtbot, page, 1)
    page.assign_combo.setCurrentIndex(page.assign_combo.findText("小李"))
    assign(qtbot, page)
    items = [page.assignee.itemText(i) for i in range(page.assignee.count())]
    assert items == ["All assignees", "Unassigned", "小张", "小李", "小王"]
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.assignee.setCurrentIndex(page.assignee.findText("小王"))
    assert [page.model.row_id(r) for r in range(page.model.rowCount())] == [first]
    assert page.reason.itemText(0) == "All reasons (1)"  # one task, whatever its number of reasons
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.assignee.setCurrentIndex(page.assignee.findData(UNASSIGNED))
    assert page.model.rowCount() == total - 2
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.mine.setChecked(True)  # "mine" wins over the assignee filter, which waits greyed out
    assert [page.model.row_id(r) for r in range(page.model.rowCount())] == [second]
    assert not page.assignee.isEnabled()


def test_ctrl_e_exports_what_the_filter_shows(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path, dialogs: RecordedDialogs
) -> None:
    page = open_queue(qtbot, demo_window)
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.reason.setCurrentIndex(page.reason.findData("refund"))
    shown = [page.model.row_id(r) for r in range(page.model.rowCount())]
    assert 0 < len(shown) < 50
    target = tmp_path / "queue.xlsx"
    asked: list[tuple[Path, int]] = []

    def choose(_parent: QWidget, suggested: Path, rows: int) -> ExportChoice:
        asked.append((suggested, rows))
        return ExportChoice(target, full_phone=False)

    page.ask_export = choose
    with qtbot.waitSignal(page.exported, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(demo_window, Qt.Key.Key_E, CTRL)
    assert asked and asked[0][1] == len(shown) and asked[0][0].name.startswith("follow-up-queue-")
    assert page.next_message.text() == f"Exported {len(shown)} rows to {target}"
    book = load_workbook(target, read_only=True)  # read-only keeps the file open until close()
    sheet = book.active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    book.close()
    assert values[0][:3] == ("Task", "Priority", "Reasons")
    assert [row[0] for row in values[1:]] == shown
    assert all("Refund" in str(row[2]) for row in values[1:])
    assert all("****" in str(row[6]) for row in values[1:] if row[6])
    assert dialogs.shown == []


def test_the_queue_model_passes_the_model_tester(
    qtbot: QtBot, demo_window: MainWindow, qtmodeltester: ModelTester
) -> None:
    page = open_queue(qtbot, demo_window)
    assert page.model.rowCount() > 0
    qtmodeltester.check(page.model)
