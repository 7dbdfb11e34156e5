"""The Follow-up queue page: who to call next, and the call panel to log what happened.

One key (F5 or Ctrl+N, or the big button) takes the highest-priority callable task and holds it for
this agent; the call panel shows why and what to say; Ctrl+Shift+Enter saves and takes the next one.
The table lists the queue a page at a time with filters, a count per reason and assignment.
"""

from __future__ import annotations

import datetime as dt
import threading
from array import array
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wallet_crm.db import current_database
from wallet_crm.errors import KnownError
from wallet_crm.followup.agents import Agent, add_agent, assign_round_robin, assign_tasks, list_agents
from wallet_crm.followup.build import build_queue
from wallet_crm.followup.queue_query import QueueQuery, QueueRow, queue_ids, queue_rows, reason_counts
from wallet_crm.followup.vocabulary import REASONS, TASK_STATUSES, label
from wallet_crm.followup.work import next_task
from wallet_crm.formatting import format_fen
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.export_dialog import interface_language
from wallet_crm.ui.operations import ProgressCallback, TaskRunner
from wallet_crm.ui.paged_model import Column, PagedTableModel
from wallet_crm.ui.pages.call_panel import CallPanel


def ask_agent_name(parent: QWidget) -> str | None:
    name, ok = QInputDialog.getText(parent, parent.tr("Add agent"), parent.tr("Name of the agent:"))
    return name.strip() if ok and name.strip() else None


class QueuePage(QWidget):
    loaded = Signal(int)
    changed = Signal()
    showCustomer = Signal(int, str)

    def __init__(self, runner: TaskRunner, crash: CrashHandler) -> None:
        super().__init__()
        self.runner = runner
        self.crash = crash
        self.clock: Callable[[], dt.datetime] = dt.datetime.now
        self.ask_agent_name: Callable[[QWidget], str | None] = ask_agent_name
        self.language = interface_language()
        self.sort_key, self.descending = "priority", True
        self._generation = 0
        self.agents: list[Agent] = []

        heading = QLabel(self.tr("Follow-up queue"))
        heading.setObjectName("pageTitle")
        self.agent = QComboBox()
        self.agent.setMinimumWidth(120)
        self.agent.setAccessibleName(self.tr("Who is working"))
        self.agent.currentIndexChanged.connect(self._agent_changed)
        add_agent_button = QPushButton(self.tr("Add agent…"))
        add_agent_button.clicked.connect(self.add_agent)
        self.next_button = QPushButton(self.tr("Next customer (F5)"))
        self.next_button.setObjectName("bigButton")
        self.next_button.clicked.connect(self.take_next)
        self.next_action = QAction(self.tr("Next customer"), self)
        self.next_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+N")])
        self.next_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)  # only while this page shows
        self.next_action.triggered.connect(self.take_next)
        self.addAction(self.next_action)
        self.build_button = QPushButton(self.tr("Rebuild queue"))
        self.build_button.clicked.connect(self.rebuild)
        self.next_message = QLabel()
        self.next_message.setObjectName("hint")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Working:")))
        top.addWidget(self.agent)
        top.addWidget(add_agent_button)
        top.addSpacing(16)
        top.addWidget(self.next_button)
        top.addWidget(self.next_message, 1)
        top.addWidget(self.build_button)

        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        for code in TASK_STATUSES:
            self.status.addItem(label(code, self.language), code)
        self.status.addItem(self.tr("All statuses"), None)
        self.reason = QComboBox()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setMinimumWidth(170)
        self.mine = QCheckBox(self.tr("&Mine only"))
        self.overdue = QCheckBox(self.tr("&Overdue only"))
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.assign_combo = QComboBox()
        self.assign_combo.setAccessibleName(self.tr("Assign to"))
        assign_button = QPushButton(self.tr("Assign selected"))
        assign_button.clicked.connect(self.assign_selected)
        spread_button = QPushButton(self.tr("Share out evenly"))
        spread_button.setToolTip(self.tr("Assign the selected tasks round-robin to every active agent"))
        spread_button.clicked.connect(self.assign_round_robin)
        filters = QHBoxLayout()
        for widget in (self.status, self.reason, self.mine, self.overdue):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        filters.addWidget(self.assign_combo)
        filters.addWidget(assign_button)
        filters.addWidget(spread_button)

        self.model: PagedTableModel[QueueRow] = PagedTableModel(self.make_columns(), self.load_rows, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.model.sortRequested.connect(self._sort)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.panel = CallPanel(crash, lambda: self.clock(), self.language)
        self.panel.saved.connect(self._saved)
        self.panel.saveAndNext.connect(self.take_next)
        self.panel.showCustomer.connect(self.showCustomer)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([620, 420])

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        for widget in (self.status, self.reason):
            widget.currentIndexChanged.connect(self.reload)
        for box in (self.mine, self.overdue):
            box.toggled.connect(self.reload)

    # --- table ------------------------------------------------------------------------
    def make_columns(self) -> Sequence[Column[QueueRow]]:
        lang = self.language
        return [
            Column("priority", self.tr("Priority"), lambda r: str(r.priority), align_right=True),
            Column(
                "reasons",
                self.tr("Reasons"),
                lambda r: "、".join(label(c, lang) for c in r.reasons),
                tooltip=lambda r: r.explanation,
            ),
            Column("customer", self.tr("Customer"), lambda r: r.customer_name or ""),
            Column("phone", self.tr("Phone"), lambda r: r.phone_masked),
            Column(
                "amount_fen",
                self.tr("Amount"),
                lambda r: format_fen(r.amount_fen) if r.amount_fen is not None else "",
                align_right=True,
            ),
            Column("due_at", self.tr("Due"), lambda r: f"{r.due_at:%m-%d %H:%M}" + (" !" if r.overdue else "")),
            Column("attempts", self.tr("Attempts"), lambda r: str(r.attempts), align_right=True),
            Column("assignee", self.tr("Assignee"), lambda r: r.assignee or (f"({r.held_by})" if r.held_by else "")),
            Column("status", self.tr("Status"), lambda r: label(r.status, lang)),
        ]

    def load_rows(self, ids: Sequence[int]) -> Mapping[int, QueueRow]:
        return queue_rows(current_database(), ids, self.clock(), self.language)

    def current_agent(self) -> Agent | None:
        index = self.agent.currentIndex()
        return self.agents[index] if 0 <= index < len(self.agents) else None

    def current_query(self) -> QueueQuery:
        agent = self.current_agent()
        return QueueQuery(
            status=self.status.currentData(),
            reason=self.reason.currentData(),
            assignee_id=agent.id if agent is not None and self.mine.isChecked() else None,
            overdue_only=self.overdue.isChecked(),
            as_of=self.clock(),
            sort_key=self.sort_key,
            descending=self.descending,
        )

    def _sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        query = self.current_query()
        self.count_label.setText(self.tr("Loading…"))

        def work(_progress: ProgressCallback, _cancel: threading.Event) -> tuple[array[int], dict[str, int]]:
            db = current_database()
            counts_query = QueueQuery(
                status=query.status, assignee_id=query.assignee_id, overdue_only=query.overdue_only, as_of=query.as_of
            )
            return queue_ids(db, query), reason_counts(db, counts_query)

        def done(result: Any) -> None:
            if generation != self._generation:
                return
            ids, counts = result
            self.model.set_ids(ids)
            self._show_reason_counts(counts)
            self.count_label.setText(self.tr("%1 tasks").replace("%1", f"{len(ids):,}"))
            self.table.resizeColumnsToContents()
            self.loaded.emit(len(ids))

        self.runner.start(work, done, lambda error: self.crash.report(error, self.tr("Loading the queue")))

    def _show_reason_counts(self, counts: dict[str, int]) -> None:
        chosen = self.reason.currentData()
        self.reason.blockSignals(True)
        self.reason.clear()
        self.reason.addItem(self.tr("All reasons (%1)").replace("%1", f"{sum(counts.values()):,}"), None)
        for code in REASONS:
            self.reason.addItem(f"{label(code, self.language)} ({counts.get(code, 0):,})", code)
        self.reason.setCurrentIndex(max(0, self.reason.findData(chosen)))
        self.reason.blockSignals(False)

    # --- agents -----------------------------------------------------------------------
    def load(self) -> None:
        """Fresh database: agents and the queue."""
        self.refresh_agents()
        self.panel.clear()
        self.reload()

    def refresh_agents(self, select: str | None = None) -> None:
        working = self.current_agent()
        current = select or (working.name if working is not None else None)
        self.agents = list_agents(current_database())
        for combo in (self.agent, self.assign_combo):
            combo.blockSignals(True)
            combo.clear()
            for agent in self.agents:
                combo.addItem(agent.name, agent.id)
            combo.blockSignals(False)
        self.assign_combo.addItem(self.tr("(nobody)"), None)
        if current is not None and self.agent.findText(current) >= 0:
            self.agent.setCurrentIndex(self.agent.findText(current))
        has_agent = bool(self.agents)
        self.next_button.setEnabled(has_agent)
        self.next_message.setText("" if has_agent else self.tr("Add the agents of your team first."))

    def _agent_changed(self) -> None:
        if self.mine.isChecked():
            self.reload()

    def add_agent(self) -> None:
        name = self.ask_agent_name(self)
        if not name:
            return
        try:
            add_agent(current_database(), name, self.clock())
        except KnownError as error:
            self.crash.report(error, self.tr("Add agent"))
            return
        self.refresh_agents(select=name)

    # --- working tasks ----------------------------------------------------------------
    def take_next(self) -> None:
        agent = self.current_agent()
        if agent is None:
            self.next_message.setText(self.tr("Add the agents of your team first."))
            return
        try:
            result = next_task(current_database(), agent.id, self.clock(), mine_only=self.mine.isChecked())
        except Exception as error:
            self.crash.report(error, self.tr("Next customer"))
            return
        self.next_message.setText(result.message(self.language))
        if result.task_id is None:
            self.panel.clear()
            return
        self.open_task(result.task_id)
        self.model.refresh_rows()

    def open_task(self, task_id: int) -> None:
        agent = self.current_agent()
        try:
            self.panel.show_task(task_id, agent.id if agent else None, agent.name if agent else None)
        except Exception as error:
            self.crash.report(error, self.tr("Opening the task"))

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            self.open_task(self.model.row_id(rows[0].row()))

    def _saved(self, _result: object) -> None:
        self.next_message.setText(self.tr("Saved."))
        self.changed.emit()
        self.reload()

    def selected_task_ids(self) -> list[int]:
        return sorted({self.model.row_id(index.row()) for index in self.table.selectionModel().selectedRows()})

    def assign_selected(self) -> None:
        ids = self.selected_task_ids()
        if ids:
            self._assign(lambda: assign_tasks(current_database(), ids, self.assign_combo.currentData()))

    def assign_round_robin(self) -> None:
        ids = self.selected_task_ids()
        agent_ids = [agent.id for agent in self.agents if agent.active]
        if ids and agent_ids:
            self._assign(lambda: assign_round_robin(current_database(), ids, agent_ids))

    def _assign(self, action: Callable[[], object]) -> None:
        try:
            action()
        except Exception as error:
            self.crash.report(error, self.tr("Assign"))
            return
        self.model.refresh_rows()

    def rebuild(self) -> None:
        now = self.clock()
        self.build_button.setEnabled(False)

        def done(result: Any) -> None:
            self.build_button.setEnabled(True)
            self.next_message.setText(
                self.tr("Queue rebuilt: %1 new, %2 updated, %3 closed, %4 open.")
                .replace("%1", f"{result.created:,}")
                .replace("%2", f"{result.updated:,}")
                .replace("%3", f"{result.closed:,}")
                .replace("%4", f"{result.open:,}")
            )
            self.reload()

        def failed(error: BaseException) -> None:
            self.build_button.setEnabled(True)
            self.crash.report(error, self.tr("Rebuild queue"))

        self.runner.start(lambda p, c: build_queue(current_database(), now, progress=p, cancel=c), done, failed)
