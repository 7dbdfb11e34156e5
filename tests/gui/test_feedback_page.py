"""The Feedback page over the hand-built history: tiles agree with the CLI and the workbook, drill-down works."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCharts import QValueAxis
from PySide6.QtCore import QDate, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.cli.test_cli import run
from tests.feedback_data import AS_OF, PERIOD, History, build_history
from tests.gui.conftest import LOAD_TIMEOUT_MS, RecordedDialogs, make_window
from wallet_crm.db import close_database, open_database
from wallet_crm.feedback.definitions import format_figure
from wallet_crm.ui.export_dialog import ExportChoice
from wallet_crm.ui.main_window import MainWindow
from wallet_crm.ui.pages.feedback import FeedbackPage
from wallet_crm.ui.session import Topic

TILES = ("attempts", "tasks_worked", "contact_rate", "resolution_rate", "csat_pct", "csat_avg", "nps", "complaints",
         "win_back_rate")  # fmt: skip


@pytest.fixture
def history_path(tmp_path: Path) -> Iterator[tuple[Path, History]]:
    path = tmp_path / "crm.sqlite3"
    history = build_history(open_database(path))
    close_database()
    yield path, history


@pytest.fixture
def window(
    qtbot: QtBot, english: None, history_path: tuple[Path, History], dialogs: RecordedDialogs
) -> Iterator[MainWindow]:
    window = make_window(qtbot, history_path[0], dialogs)
    window.feedback.clock = lambda: AS_OF
    yield window
    window.close()
    close_database()


def show_period(qtbot: QtBot, window: MainWindow) -> FeedbackPage:
    """Open the page, then choose the custom range 2026-11-09 – 2026-11-22."""
    page = window.feedback
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        window.show_page("feedback")
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.period.setCurrentIndex(page.period.findData("custom"))
    page.date_to.setDate(QDate(2026, 11, 22))
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.date_from.setDate(QDate(2026, 11, 9))
    assert page.report is not None and page.report.current.period == PERIOD
    return page


def test_tiles_the_cli_and_the_workbook_agree(
    qtbot: QtBot, window: MainWindow, history_path: tuple[Path, History], tmp_path: Path
) -> None:
    page = show_period(qtbot, window)
    path = history_path[0]
    cli = run("--db", str(path), "report", "--from", "2026-11-09", "--to", "2026-11-22", "--as-of", "2026-11-22 12:00",
              "--json")  # fmt: skip
    data = json.loads(cli.stdout)
    shown = {key: page.tiles[key].value_text() for key in TILES}
    assert shown == {key: format_figure(key, data[key]) for key in TILES}
    assert shown["contact_rate"] == "75.0%" and shown["attempts"] == "8" and shown["win_back_rate"] == "50.0%"
    assert page.tiles["open"].value_text() == "3" and "Overdue 2" in page.tiles["open"].detail_label.text()
    assert page.tiles["attempts"].toolTip().startswith("Contact attempts (calls or messages) logged in the period.")
    target = tmp_path / "report.xlsx"
    page.ask_export = lambda _parent, _path, rows: ExportChoice(target, False) if rows is None else None
    with qtbot.waitSignal(page.exported, timeout=LOAD_TIMEOUT_MS):
        page.export_button.click()
    summary = openpyxl.load_workbook(target)["Summary"]
    lines = {summary.cell(row, 1).value: summary.cell(row, 2).value for row in range(2, 21)}
    assert lines["Attempts"] == data["attempts"] == 8
    assert lines["Contact rate"] == pytest.approx(data["contact_rate"] / 100)
    assert lines["Win-back rate"] == pytest.approx(data["win_back_rate"] / 100)
    assert [(agent.name, agent.attempts) for agent in page.agents_model.items] == [("小李", 5), ("小王", 3)]


def test_a_tile_lists_the_attempts_behind_it(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow, history_path: tuple[Path, History]
) -> None:
    page = show_period(qtbot, window)
    history = history_path[1]
    with qtbot.waitSignal(page.drilled, timeout=LOAD_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(page.tiles["contact_rate"], Qt.MouseButton.LeftButton)
    assert blocker.args == [3]
    assert [page.drill_model.row_id(row) for row in range(3)] == [history.attempts[a] for a in ("a8", "a3", "a2")]
    assert "Contact rate" in page.drill_title.text() and "(3)" in page.drill_title.text()
    qtmodeltester.check(page.drill_model)
    qtmodeltester.check(page.agents_model)
    page.tiles["complaints"].setFocus()
    with qtbot.waitSignal(page.drilled, timeout=LOAD_TIMEOUT_MS) as blocker:
        qtbot.keyClick(page.tiles["complaints"], Qt.Key.Key_Return)
    assert blocker.args == [1]
    row = page.drill_model.row_at(0)
    assert row is not None and row.notes == "备注 a3" and row.category == "complaint"
    assert page.drill_model.data(page.drill_model.index(0, 3)) == "138****0002"  # the phone stays masked


def test_topics_agents_and_weeks_drill_down(
    qtbot: QtBot, window: MainWindow, history_path: tuple[Path, History]
) -> None:
    page = show_period(qtbot, window)
    history = history_path[1]
    with qtbot.waitSignal(page.drilled, timeout=LOAD_TIMEOUT_MS) as blocker:
        page.topics.topicClicked.emit("到账慢")
    assert blocker.args == [1] and page.drill_model.row_id(0) == history.attempts["a3"]
    with qtbot.waitSignal(page.drilled, timeout=LOAD_TIMEOUT_MS) as blocker:
        page._agent_clicked(page.agents_model.index(1, 0))  # 小王
    assert blocker.args == [3]
    with qtbot.waitSignal(page.drilled, timeout=LOAD_TIMEOUT_MS) as blocker:
        page.trend.weekClicked.emit(1)  # 11-16 – 11-22
    assert blocker.args == [5]


def test_filters_recompute_and_an_attempt_opens_its_customer(
    qtbot: QtBot, window: MainWindow, history_path: tuple[Path, History]
) -> None:
    page = show_period(qtbot, window)
    history = history_path[1]
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.agent.setCurrentIndex(page.agent.findData(history.agents["小王"]))
    assert page.tiles["attempts"].value_text() == "3" and page.tiles["nps"].value_text() == "-50.0"
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.reason.setCurrentIndex(page.reason.findData("survey"))
    assert page.tiles["attempts"].value_text() == "1"
    # the attempts list follows the filters (its signal may already have come: wait for the state, not the signal)
    qtbot.waitUntil(lambda: page.drill_model.rowCount() == 1, timeout=LOAD_TIMEOUT_MS)
    with qtbot.waitSignal(page.showCustomer, timeout=LOAD_TIMEOUT_MS) as blocker:
        page.drill_table.activated.emit(page.drill_model.index(0, 0))
    assert blocker.args == [history.customers["c4"], "C4"]
    qtbot.waitUntil(lambda: window.current_page_key() == "customers", timeout=LOAD_TIMEOUT_MS)


def test_an_empty_period_shows_dashes_not_zeros(qtbot: QtBot, window: MainWindow) -> None:
    page = window.feedback
    page.clock = lambda: AS_OF.replace(month=12, day=20)  # 近 30 天 then ends 2026-12-20: no attempts
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        window.show_page("feedback")
    assert page.tiles["attempts"].value_text() == "0"
    for key in ("contact_rate", "resolution_rate", "csat_pct", "csat_avg", "nps", "win_back_rate"):
        assert page.tiles[key].value_text() == "—", key
    assert page.trend.chart().title() == "No attempts in this period"
    counts = page.trend.chart().axes(Qt.Orientation.Vertical)[0]
    assert isinstance(counts, QValueAxis)
    assert (counts.min(), counts.max(), counts.tickCount()) == (0, 1, 2)  # ticks 0 and 1, not "1, 0, 0, 0, 0"


def test_a_queue_tile_opens_the_queue(qtbot: QtBot, window: MainWindow) -> None:
    page = show_period(qtbot, window)
    qtbot.mouseClick(page.tiles["open"], Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "queue"


def test_saving_an_outcome_refreshes_the_page_when_next_shown(qtbot: QtBot, window: MainWindow) -> None:
    page = show_period(qtbot, window)
    window.show_page("queue")
    window.session.notify(Topic.OUTCOMES)  # what the call panel's save tells the window
    assert "feedback" in window._stale
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        window.show_page("feedback")
