"""The Follow-up queue page: who to call next, and the call panel to log what happened.

The agent says who is working first (nobody is chosen at start, and the page asks once when it is
first shown; the choice is not remembered, the PC may be shared). When the database has users, the
signed-in user is the one working: an agent can't choose another name, a supervisor or admin may (to
work calls on someone's behalf); rebuilding, assigning and exports are a supervisor's. One key (F5 or Ctrl+N, or the big
button) then takes the highest-priority callable task and holds it for this agent; the call panel
shows why and what to say; Ctrl+Shift+Enter saves and takes the next one, Esc skips to the next one.
A task opened from the table is held for the agent too, or shown read-only while another agent
holds it. The table lists the queue a page at a time with filters, a count per reason, assignment
and export to Excel (Ctrl+E).
"""

from __future__ import annotations

import datetime as dt
import threading
from array import array
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from peewee import Database
from PySide6.QtCore import QCoreApplication, QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
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

from wallet_crm.accounts.users import User
from wallet_crm.errors import OperationCancelled
from wallet_crm.exports.workbook import ExportResult
from wallet_crm.followup.agents import Agent, add_agent, assign_round_robin, assign_tasks, list_agents
from wallet_crm.followup.build import BuildResult, build_queue, rebuild_if_stale
from wallet_crm.followup.queue_query import QueueQuery, QueueRow, queue_ids, queue_rows, reason_counts, task_count
from wallet_crm.followup.stale import stale_mark
from wallet_crm.followup.vocabulary import REASONS, TASK_STATUSES, join_labels, label
from wallet_crm.followup.work import HoldResult, NextResult, hold_task, next_task, release_task
from wallet_crm.formatting import format_fen
from wallet_crm.ui.access import allowed, gate, refused
from wallet_crm.ui.export_dialog import (
    ExportChoice,
    ask_export,
    export_in_background,
    exported_message,
    interface_language,
)
from wallet_crm.ui.operations import ProgressCallback
from wallet_crm.ui.paged_model import PAGE_SIZE, Column, PagedTableModel
from wallet_crm.ui.pages.call_panel import CallPanel
from wallet_crm.ui.session import Say, Session, Topic

UNASSIGNED = -1  # the assignee filter's "unassigned" choice (agent ids start at 1)


# The module's dialogs translate with an explicit context: lupdate files `parent.tr()` under "parent".
def ask_agent_name(parent: QWidget) -> str | None:
    name, ok = QInputDialog.getText(
        parent,
        QCoreApplication.translate("QueuePage", "Add agent"),
        QCoreApplication.translate("QueuePage", "Name of the agent:"),
    )
    return name.strip() if ok and name.strip() else None


def ask_agent(parent: QWidget, names: Sequence[str], answer: Callable[[str | None], None]) -> None:
    """Ask who is working, one of `names`; `answer(name)`, or `answer(None)` when cancelled.

    The dialog is window-modal but does not block the caller (no nested event loop), so a page shown
    while other work waits never hangs on it. Tests replace this function on the page.
    """
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("QueuePage", "Who is working?"))
    dialog.setLabelText(QCoreApplication.translate("QueuePage", "Calls are logged under the agent you choose:"))
    dialog.setComboBoxItems(list(names))
    dialog.setComboBoxEditable(False)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(
        lambda result: answer(dialog.textValue() if result == QInputDialog.DialogCode.Accepted else None)
    )
    dialog.open()


class QueuePage(QWidget):
    loaded = Signal(int)
    showCustomer = Signal(int, str)
    exported = Signal(str)
    nextDone = Signal()  # "next customer" (or skip) has its answer, shown or refused
    opened = Signal()  # a row chosen in the table is shown (held, read-only, or refused)
    assigned = Signal()  # "assign" or "share out evenly" has its answer, written or refused

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.clock: Callable[[], dt.datetime] = dt.datetime.now
        self.ask_agent_name: Callable[[QWidget], str | None] = ask_agent_name
        self.ask_agent: Callable[[QWidget, Sequence[str], Callable[[str | None], None]], None] = ask_agent
        self.ask_export: Callable[[QWidget, Path, int], ExportChoice | None] = ask_export
        self.language = interface_language()
        self.sort_key, self.descending = "priority", True
        self._generation = 0
        self.agents: list[Agent] = []
        self.user: User | None = None  # signed in (None: a database without users)
        self._working_id: int | None = None  # the agent the panel works for
        self._held: tuple[int, int] | None = None  # (task, agent) this page holds
        self._asked_agent = False
        self._taking = False  # "next customer" is being written in the background
        self._opening = 0  # counts rows opened from the table: only the latest one's answer is shown
        self._assigning = False  # an assignment is being written in the background

        heading = QLabel(self.tr("Follow-up queue"))
        heading.setObjectName("pageTitle")
        self.agent = QComboBox()
        self.agent.setMinimumWidth(150)
        self.agent.setAccessibleName(self.tr("Who is working"))
        self.agent.addItem(self.tr("Choose who is working…"), None)
        self.agent.currentIndexChanged.connect(self._agent_changed)
        working_label = QLabel(self.tr("&Working:"))
        working_label.setBuddy(self.agent)
        self.add_agent_button = add_agent_button = QPushButton(self.tr("Add agent…"))
        add_agent_button.clicked.connect(self.add_agent)
        self.next_button = QPushButton(self.tr("Next customer (F5)"))
        self.next_button.setObjectName("bigButton")
        self.next_button.clicked.connect(lambda: self.take_next())
        self.next_action = QAction(self.tr("Next customer"), self)
        self.next_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+N")])
        self.next_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)  # only while this page shows
        self.next_action.triggered.connect(lambda: self.take_next())
        self.addAction(self.next_action)
        self.build_button = QPushButton(self.tr("Rebuild queue"))
        self.build_button.clicked.connect(self.rebuild)
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setToolTip(self.tr("Export what the table shows (Ctrl+E)"))
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))  # a button's shortcut works only while it shows
        self.export_button.clicked.connect(self.export)
        self.next_message = QLabel()
        self.next_message.setObjectName("hint")
        self.next_message.setWordWrap(True)
        self.next_message.hide()
        top = QHBoxLayout()
        top.addWidget(working_label)
        top.addWidget(self.agent)
        top.addWidget(add_agent_button)
        top.addSpacing(16)
        top.addWidget(self.next_button)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.build_button)

        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        for code in TASK_STATUSES:
            self.status.addItem(label(code, self.language), code)
        self.status.addItem(self.tr("All statuses"), None)
        self.reason = QComboBox()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setMinimumWidth(170)
        self.assignee = QComboBox()
        self.assignee.setAccessibleName(self.tr("Assignee"))
        self.assignee.addItem(self.tr("All assignees"), None)
        self.assignee.addItem(self.tr("Unassigned"), UNASSIGNED)
        self.mine = QCheckBox(self.tr("&Mine only"))
        self.mine.toggled.connect(lambda mine: self.assignee.setEnabled(not mine))
        self.overdue = QCheckBox(self.tr("&Overdue only"))
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.assign_combo = QComboBox()
        self.assign_combo.setAccessibleName(self.tr("Assign to"))
        self.assign_button = assign_button = QPushButton(self.tr("Assign selected"))
        assign_button.clicked.connect(self.assign_selected)
        self.spread_button = spread_button = QPushButton(self.tr("Share out evenly"))
        spread_button.setToolTip(self.tr("Assign the selected tasks round-robin to every active agent"))
        spread_button.clicked.connect(self.assign_round_robin)
        filters = QHBoxLayout()
        for widget in (self.status, self.reason, self.assignee, self.mine, self.overdue):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        # What to do with the selected rows sits under the table, so the filters keep one row at 1024 px.
        assign_bar = QHBoxLayout()
        assign_bar.setContentsMargins(0, 0, 0, 0)
        assign_bar.addWidget(QLabel(self.tr("Selected:")))
        assign_bar.addWidget(self.assign_combo)
        assign_bar.addWidget(assign_button)
        assign_bar.addWidget(spread_button)
        assign_bar.addStretch(1)

        self.model: PagedTableModel[QueueRow] = PagedTableModel(self.make_columns(), self.load_rows, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Fit columns to the first screen of rows: the default samples 1,000 rows, which loads 5 pages
        # (0, "the visible rows", reads every row while the page is hidden).
        self.table.horizontalHeader().setResizeContentsPrecision(PAGE_SIZE // 4)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.model.sortRequested.connect(self._sort)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.panel = CallPanel(session, lambda: self.clock(), self.language)
        self.panel.saved.connect(self._saved)
        self.panel.saveAndNext.connect(lambda: self.take_next())
        self.panel.skipRequested.connect(self.skip)
        self.panel.showCustomer.connect(self.showCustomer)
        table_side = QWidget()
        table_layout = QVBoxLayout(table_side)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addLayout(assign_bar)
        splitter = QSplitter()
        splitter.addWidget(table_side)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([620, 420])

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.next_message)  # a line of its own: at 1024 px beside the buttons it wrapped 3 times
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        for widget in (self.status, self.reason, self.assignee):
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
                lambda r: join_labels((label(c, lang) for c in r.reasons), lang),
                tooltip=lambda r: r.explanation,
            ),
            Column("customer", self.tr("Customer"), lambda r: r.customer_name or ""),
            Column("phone", self.tr("Phone"), lambda r: r.phone_masked if r.has_phone else self.tr("no phone")),
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
        return queue_rows(self.session.db, ids, self.clock(), self.language)

    def current_agent(self) -> Agent | None:
        agent_id = self.agent.currentData()
        return next((agent for agent in self.agents if agent.id == agent_id), None)

    def current_query(self) -> QueueQuery:
        agent = self.current_agent()
        chosen = self.assignee.currentData()
        if self.mine.isChecked():
            assignee_id, unassigned = (agent.id if agent is not None else None), False
        else:
            assignee_id = chosen if isinstance(chosen, int) and chosen != UNASSIGNED else None
            unassigned = chosen == UNASSIGNED
        return QueueQuery(
            status=self.status.currentData(),
            reason=self.reason.currentData(),
            assignee_id=assignee_id,
            unassigned=unassigned,
            overdue_only=self.overdue.isChecked(),
            as_of=self.clock(),
            sort_key=self.sort_key,
            descending=self.descending,
        )

    def _sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self.reload()

    def reload(self, catch_up: bool = True) -> None:
        """Read the tasks for the filters on a worker (only the newest answer is shown). A queue an import or
        undo left stale (perhaps its process was killed before it rebuilt) is rebuilt first, through the
        session's writer, then read again; `catch_up=False` reads it as it is."""
        self._generation += 1
        generation = self._generation
        query = self.current_query()
        self.count_label.setText(self.tr("Loading…"))

        def work(
            db: Database, _progress: ProgressCallback, _cancel: threading.Event
        ) -> tuple[array[int], dict[str, int], int] | None:
            if catch_up and stale_mark(db) is not None:
                return None  # rebuilt first
            counts_query = QueueQuery(
                status=query.status,
                assignee_id=query.assignee_id,
                unassigned=query.unassigned,
                overdue_only=query.overdue_only,
                as_of=query.as_of,
            )
            ids = queue_ids(db, query)
            total = len(ids) if query.reason is None else task_count(db, counts_query)  # under "all reasons"
            return ids, reason_counts(db, counts_query), total

        def done(result: Any) -> None:
            if generation != self._generation:
                return
            if result is None:
                self._rebuild_then_reload()
                return
            ids, counts, total = result
            self.model.set_ids(ids)
            self._show_reason_counts(counts, total)
            self.count_label.setText(self.tr("%1 tasks").replace("%1", f"{len(ids):,}"))
            self.table.resizeColumnsToContents()
            self.loaded.emit(len(ids))

        self.session.read(self.tr("Loading the queue"), work, done)

    def _rebuild_then_reload(self) -> None:
        """The stale queue rebuilt, then shown; failed (a busy database, said on the line), shown as it is."""
        self.catch_up(
            lambda: self.reload(catch_up=False), failed=lambda _error: self.reload(catch_up=False), say=self._say
        )

    def _show_reason_counts(self, counts: dict[str, int], total: int) -> None:
        chosen = self.reason.currentData()
        self.reason.blockSignals(True)
        self.reason.clear()
        self.reason.addItem(self.tr("All reasons (%1)").replace("%1", f"{total:,}"), None)
        for code in REASONS:
            self.reason.addItem(f"{label(code, self.language)} ({counts.get(code, 0):,})", code)
        self.reason.setCurrentIndex(max(0, self.reason.findData(chosen)))
        self.reason.blockSignals(False)

    # --- agents -----------------------------------------------------------------------
    def load(self) -> None:
        """Fresh database: agents and the queue."""
        self._held = None  # a hold in the database shown before stays until it runs out
        self.refresh_agents()
        self.panel.clear()
        self.reload()

    def refresh_agents(self, select: str | None = None) -> None:
        """Re-read the agents; the working agent stays chosen (or `select`), else nobody is."""
        working = self.current_agent()
        self.agents = list_agents(self.session.db)
        chosen_assignee = self.assignee.currentData()
        for combo in (self.agent, self.assign_combo, self.assignee):
            combo.blockSignals(True)
        self.agent.clear()
        self.agent.addItem(self.tr("Choose who is working…"), None)
        self.assign_combo.clear()
        self.assignee.clear()
        self.assignee.addItem(self.tr("All assignees"), None)
        self.assignee.addItem(self.tr("Unassigned"), UNASSIGNED)
        for agent in self.agents:
            for combo in (self.agent, self.assign_combo, self.assignee):
                combo.addItem(agent.name, agent.id)
        self.assign_combo.addItem(self.tr("(nobody)"), None)
        if self.user is not None and (not self.user.may("queue.assign") or (select is None and working is None)):
            self.agent.setCurrentIndex(max(0, self.agent.findData(self.user.id)))  # the signed-in user works
        elif select is not None:
            self.agent.setCurrentIndex(max(0, self.agent.findText(select)))
        elif working is not None:
            self.agent.setCurrentIndex(max(0, self.agent.findData(working.id)))
        self.assignee.setCurrentIndex(max(0, self.assignee.findData(chosen_assignee)))
        for combo in (self.agent, self.assign_combo, self.assignee):
            combo.blockSignals(False)
        self._pin_agent()
        has_agent = bool(self.agents)
        self.next_button.setEnabled(has_agent)
        self._say("" if has_agent else self.tr("Add the agents of your team first."))
        self._agent_changed()

    def set_user(self, user: User | None) -> None:
        """The signed-in user works the queue; what their role may not do is disabled with the role it needs."""
        previous, self.user = self.user, user
        if (previous.id if previous else None) != (user.id if user else None):
            self._release_held()  # the task the previous user held goes back to the queue
            self.panel.clear()
        gate(self.build_button, user, "queue.build")
        for control in (self.assign_combo, self.assign_button, self.spread_button):
            gate(control, user, "queue.assign")
        gate(self.export_button, user, "export")
        gate(self.add_agent_button, user, "users")  # with users, agents are added as users by an admin
        if user is not None and self.agents:
            self.agent.setCurrentIndex(max(0, self.agent.findData(user.id)))
        self._pin_agent()

    def _pin_agent(self) -> None:
        """An agent works as themselves: the choice is fixed to them; others may choose."""
        user = self.user
        fixed = user is not None and not user.may("queue.assign")
        self.agent.setEnabled(not fixed)
        self.agent.setToolTip(
            self.tr("Signed in as %1: calls are logged under this name.").replace("%1", user.name)
            if fixed and user is not None
            else ""
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self._ask_agent_once)  # after the page has painted and loaded its agents

    def _ask_agent_once(self) -> None:
        """The first time the page shows with agents and nobody chosen: ask who is working."""
        if self._asked_agent or not self.isVisible() or not self.agents or self.current_agent() is not None:
            return
        self._asked_agent = True
        self.ask_agent(self, [agent.name for agent in self.agents], self._agent_answered)

    def _agent_answered(self, name: str | None) -> None:
        index = self.agent.findText(name) if name else -1
        if index > 0:
            self.agent.setCurrentIndex(index)
        elif self.current_agent() is None:
            self._say(self.tr("Choose who is working before you call."))
            self.agent.setFocus()

    def _agent_changed(self) -> None:
        agent = self.current_agent()
        agent_id = agent.id if agent is not None else None
        if agent_id == self._working_id:
            return
        self._working_id = agent_id
        self._release_held()  # the panel worked for the agent before: give its task back
        if self.panel.detail is not None:
            self.panel.clear()
        if self.mine.isChecked():
            self.reload()

    def add_agent(self) -> None:
        if refused(self.user, "users", self._say):
            return
        name = self.ask_agent_name(self)
        if not name:
            return
        now = self.clock()
        self.add_agent_button.setEnabled(False)

        def done(_result: Any) -> None:
            self.add_agent_button.setEnabled(allowed(self.user, "users"))
            self.refresh_agents(select=name)

        def failed(_error: BaseException) -> None:
            self.add_agent_button.setEnabled(allowed(self.user, "users"))

        self.session.write(
            self.tr("Add agent"),
            lambda db, _p, _c: add_agent(db, name, now),
            done,
            changes=(Topic.AGENTS,),
            failed=failed,
        )

    # --- working tasks ----------------------------------------------------------------
    def _say(self, text: str) -> None:
        """What "next customer" answered, on the line under the buttons; the line goes when there is nothing to say."""
        self.next_message.setText(text)
        self.next_message.setVisible(bool(text))

    def take_next(self, exclude_task_id: int | None = None, release_task_id: int | None = None) -> None:
        """Hold and show the next customer for the working agent, in the background; `release_task_id`
        (the one just skipped) is given back first and `exclude_task_id` passed over this once."""
        if self._taking:
            return
        agent = self.current_agent()
        if agent is None:
            if self.agents:
                self._say(self.tr("Choose who is working first."))
            else:
                self._say(self.tr("Add the agents of your team first."))
            self.agent.setFocus()
            self.nextDone.emit()
            return
        agent_id, now, mine_only = agent.id, self.clock(), self.mine.isChecked()
        self._opening += 1  # a row still being opened is not shown over the next customer
        self._set_taking(True)

        def work(db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> NextResult:
            if release_task_id is not None:
                release_task(db, release_task_id, agent_id)
            return next_task(db, agent_id, now, mine_only=mine_only, exclude_task_id=exclude_task_id)

        def done(result: Any) -> None:
            self._set_taking(False)
            if release_task_id is not None and self._held is not None and self._held[0] == release_task_id:
                self._held = None
            self._say(result.message(self.language))
            if result.task_id is None:
                self.panel.clear()
            else:
                self._held_now(result.task_id, agent_id)
                if self._working_id == agent_id:
                    self.show_in_panel(result.task_id)
                else:  # another agent sat down meanwhile: give the task back
                    self._release_held()
            self.model.refresh_rows()
            self.nextDone.emit()

        def failed(error: BaseException) -> bool:
            self._set_taking(False)
            self.session.report(error, self.tr("Next customer"), self._say)
            self.nextDone.emit()
            return True

        self.session.write(self.tr("Next customer"), work, done, failed=failed)

    def _set_taking(self, taking: bool) -> None:
        self._taking = taking
        self.next_button.setEnabled(not taking and bool(self.agents))
        self.next_action.setEnabled(not taking)
        if taking:
            self._say(self.tr("Taking the next customer…"))

    def skip(self, task_id: int) -> None:
        """Give the task back to the queue and take the next customer instead (nothing is logged)."""
        if self.current_agent() is None:
            if self._held is not None and self._held[0] == task_id:
                self._held = None
            self.panel.clear()
        self.take_next(exclude_task_id=task_id, release_task_id=task_id)

    def open_task(self, task_id: int) -> None:
        """A task chosen in the table: hold it for the working agent (in the background), or show it
        read-only; the task the page held before is given back first."""
        agent = self.current_agent()
        if agent is None:
            self.show_in_panel(task_id, self.tr("Choose who is working to log a call."))
            self.opened.emit()
            return
        self._opening += 1
        opening, agent_id, now = self._opening, agent.id, self.clock()
        previous = self._held if self._held != (task_id, agent_id) else None
        if previous is not None:
            self._held = None  # given back by the work below
        self.panel.clear()  # nothing to log until the hold is known
        self._say(self.tr("Opening the task…"))

        def work(db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> HoldResult:
            if previous is not None:
                release_task(db, *previous)
            return hold_task(db, task_id, agent_id, now)

        def done(hold: Any) -> None:
            if opening != self._opening or self._working_id != agent_id:  # another row or agent since
                if hold.held:
                    self._release_in_background(task_id, agent_id)
                self.opened.emit()
                return
            self._say("")
            note: str | None = None
            if hold.held:
                self._held_now(task_id, agent_id)
            elif hold.held_by is not None:
                until = f"{hold.held_until:%H:%M}" if hold.held_until else ""
                note = self.tr("Being worked by %1 until %2.").replace("%1", hold.held_by).replace("%2", until)
            self.show_in_panel(task_id, note)
            self.model.refresh_rows()
            self.opened.emit()

        def failed(error: BaseException) -> bool:
            if previous is not None and self._held is None:
                self._held = previous  # nothing was written: the page still holds it
            if opening == self._opening:
                self._say("")

                def said(text: str) -> None:  # a busy database: the task can be read, not logged, until it is held
                    self._say(text)
                    self.show_in_panel(task_id, text)

                self.session.report(error, self.tr("Opening the task"), said)
            self.opened.emit()
            return True

        self.session.write(self.tr("Opening the task"), work, done, failed=failed)

    def show_in_panel(self, task_id: int, read_only: str | None = None) -> None:
        agent = self.current_agent()
        try:
            self.panel.show_task(
                task_id, agent.id if agent else None, agent.name if agent else None, read_only=read_only
            )
        except Exception as error:
            self.session.report(error, self.tr("Opening the task"))

    def _held_now(self, task_id: int, agent_id: int) -> None:
        """The page now holds `task_id`: give back the task it held before, if another."""
        if self._held is not None and self._held != (task_id, agent_id):
            self._release_held()
        self._held = (task_id, agent_id)

    def _release_held(self) -> None:
        if self._held is None:
            return
        task_id, agent_id = self._held
        self._held = None
        self._release_in_background(task_id, agent_id)

    def _release_in_background(self, task_id: int, agent_id: int) -> None:
        """Give a held task back; when the database is busy the hold simply runs out later."""

        self.session.write(
            self.tr("Skip"),
            lambda db, _p, _c: release_task(db, task_id, agent_id),
            lambda _result: self.model.refresh_rows(),
            say=self._say,
        )

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if len(rows) == 1:  # several rows are chosen to assign them, not to call
            self.open_task(self.model.row_id(rows[0].row()))

    def _saved(self, _result: object) -> None:
        self._held = None  # logging the outcome released the hold (the session told the window what changed)
        self._say(self.tr("Saved."))
        self.reload()

    def selected_task_ids(self) -> list[int]:
        return sorted({self.model.row_id(index.row()) for index in self.table.selectionModel().selectedRows()})

    def assign_selected(self) -> None:
        ids = self.selected_task_ids()
        assignee_id = self.assign_combo.currentData()
        if ids:
            self._assign(lambda db: assign_tasks(db, ids, assignee_id))

    def assign_round_robin(self) -> None:
        ids = self.selected_task_ids()
        agent_ids = [agent.id for agent in self.agents if agent.active]
        if ids and agent_ids:
            self._assign(lambda db: assign_round_robin(db, ids, agent_ids))

    def _assign(self, action: Callable[[Database], object]) -> None:
        """Write an assignment in the background, the assign buttons disabled meanwhile."""
        if self._assigning or refused(self.user, "queue.assign", self._say):
            return
        self._set_assigning(True)

        def done(_result: Any) -> None:
            self._set_assigning(False)
            self._say("")
            self.model.refresh_rows()
            self.assigned.emit()

        def failed(error: BaseException) -> bool:
            self._set_assigning(False)
            self._say("")
            self.session.report(error, self.tr("Assign"), self._say)  # nothing was written
            self.assigned.emit()
            return True

        self.session.write(
            self.tr("Assign"), lambda db, _p, _c: action(db), done, changes=(Topic.TASKS,), failed=failed
        )

    def _set_assigning(self, assigning: bool) -> None:
        self._assigning = assigning
        for widget in (self.assign_button, self.spread_button, self.assign_combo):
            widget.setEnabled(not assigning and allowed(self.user, "queue.assign"))
        if assigning:
            self._say(self.tr("Assigning…"))

    def export(self) -> None:
        """Write what the table shows (the current filter and order) to an Excel file."""
        if refused(self.user, "export", self._say):
            return
        stem = self.tr("follow-up-queue")
        suggested = Path.home() / f"{stem}-{dt.date.today():%Y%m%d}.xlsx"
        choice = self.ask_export(self, suggested, self.model.rowCount())
        if choice is None:
            return

        def done(result: ExportResult) -> None:
            message = exported_message(result)
            self._say(message)
            self.exported.emit(message)

        export_in_background(self, self.session, "queue", choice, self.current_query(), done)

    def catch_up(
        self,
        then: Callable[[], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        say: Say | None = None,
    ) -> None:
        """Rebuild the queue through the session's writer if an import or undo left it stale (one whose process
        was killed before it could rebuild, or another PC's); a rebuild tells the window the tasks changed.
        `then()` once it is done, `failed(error)` when it failed (a cancel is the window closing: not said)."""
        now = self.clock()

        def done(result: BuildResult | None) -> None:
            if result is not None:
                self.session.notify(Topic.TASKS)
            if then is not None:
                then()

        def went_wrong(error: BaseException) -> bool:
            if failed is not None:
                failed(error)
            return isinstance(error, OperationCancelled)

        self.session.write(
            self.tr("Rebuild queue"),
            lambda db, _p, cancel: rebuild_if_stale(db, now, cancel=cancel),
            done,
            failed=went_wrong,
            say=say,
        )

    def rebuild(self) -> None:
        if refused(self.user, "queue.build", self._say):
            return
        now = self.clock()
        self.build_button.setEnabled(False)

        def done(result: Any) -> None:
            self.build_button.setEnabled(allowed(self.user, "queue.build"))
            self._say(
                self.tr("Queue rebuilt: %1 new, %2 updated, %3 closed, %4 open.")
                .replace("%1", f"{result.created:,}")
                .replace("%2", f"{result.updated:,}")
                .replace("%3", f"{result.closed:,}")
                .replace("%4", f"{result.open:,}")
            )
            self.reload()

        def failed(_error: BaseException) -> None:
            self.build_button.setEnabled(allowed(self.user, "queue.build"))

        self.session.write(
            self.tr("Rebuild queue"),
            lambda db, p, c: build_queue(db, now, progress=p, cancel=c),
            done,
            changes=(Topic.TASKS,),
            failed=failed,
        )
