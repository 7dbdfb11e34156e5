"""The Feedback page (反馈汇总): what customers said and how the team did, beside the previous period.

Filters on top (period, agent, reason), KPI tiles with their definitions as tooltips, the weekly
trend, topics and categories as charts, the per-agent table, and below them the attempts behind
whatever was clicked, with their notes; from an attempt, the customer. The report is computed on a
worker (`feedback.figures.compute_report`, the same service as `wallet-crm report`), so the page
never freezes; "Export report" writes that same report to Excel.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from peewee import Database
from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wallet_crm.accounts.users import User
from wallet_crm.exports.followup_tables import OutcomeQuery
from wallet_crm.feedback.definitions import figure_definition, figure_name, format_figure
from wallet_crm.feedback.figures import AgentFigures, Report, compute_report
from wallet_crm.feedback.outcomes import FIGURES_WITH_ATTEMPTS, Focus, OutcomeRow, outcome_ids, outcome_rows
from wallet_crm.feedback.period import DEFAULT_PRESET, PRESETS, Period, preset_period
from wallet_crm.feedback.scope import ReportQuery
from wallet_crm.followup.agents import list_agents
from wallet_crm.followup.vocabulary import CATEGORIES, REASONS, disposition_label, join_labels, label
from wallet_crm.formatting import mask_phone
from wallet_crm.ui.access import gate, refused
from wallet_crm.ui.export_dialog import (
    ExportChoice,
    ask_export,
    export_in_background,
    exported_message,
    interface_language,
)
from wallet_crm.ui.feedback_charts import CategoryChart, TopicChart, TrendChart
from wallet_crm.ui.feedback_tiles import KpiTile, change_text
from wallet_crm.ui.list_model import ListTableModel
from wallet_crm.ui.operations import ProgressCallback
from wallet_crm.ui.paged_model import PAGE_SIZE, Column, PagedTableModel
from wallet_crm.ui.session import Session

TILE_KEYS = (
    ("attempts", "tasks_worked", "contact_rate", "resolution_rate", "csat_pct", "csat_avg"),
    ("nps", "complaints", "win_back_rate", "open", "closed_unreachable", "do_not_contact"),
)
QUEUE_TILES = ("open", "closed_unreachable", "do_not_contact")
CUSTOM = "custom"


class FeedbackPage(QWidget):
    loaded = Signal()  # a report is on screen
    drilled = Signal(int)  # the attempts list shows this many attempts
    exported = Signal(str)
    showCustomer = Signal(int, str)
    showQueue = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.user: User | None = None
        self.clock: Callable[[], dt.datetime] = dt.datetime.now
        self.ask_export: Callable[..., ExportChoice | None] = ask_export
        self.language = interface_language()
        self.report: Report | None = None
        self.focus = Focus()
        self.focus_title = ""
        self._generation = 0
        self._drill_generation = 0

        heading = QLabel(self.tr("Feedback"))
        heading.setObjectName("pageTitle")
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        for key, text in (
            ("today", self.tr("Today")),
            ("this_week", self.tr("This week")),
            ("this_month", self.tr("This month")),
            ("last_30_days", self.tr("Last 30 days")),
            (CUSTOM, self.tr("Custom range")),
        ):
            self.period.addItem(text, key)
        assert [self.period.itemData(i) for i in range(len(PRESETS))] == list(PRESETS)
        self.period.setCurrentIndex(PRESETS.index(DEFAULT_PRESET))
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        self.date_dash = QLabel("–")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.agent = QComboBox()
        self.agent.setAccessibleName(self.tr("Agent"))
        self.agent.setMinimumWidth(110)
        self.reason = QComboBox()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.addItem(self.tr("All reasons"), None)
        for code in REASONS:
            self.reason.addItem(label(code, self.language), code)
        self.as_of_label = QLabel()
        self.as_of_label.setObjectName("hint")
        refresh = QPushButton(self.tr("Refresh"))
        refresh.setToolTip("Ctrl+R")
        refresh.setShortcut(QKeySequence("Ctrl+R"))
        refresh.clicked.connect(self.reload)
        self.export_button = QPushButton(self.tr("Export report…"))
        self.export_button.setToolTip("Ctrl+E")
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.clicked.connect(self.export_report)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Period:")))
        for widget in (self.period, self.date_from, self.date_dash, self.date_to):
            filters.addWidget(widget)
        filters.addSpacing(12)
        filters.addWidget(QLabel(self.tr("Agent:")))
        filters.addWidget(self.agent)
        filters.addWidget(QLabel(self.tr("Reason:")))
        filters.addWidget(self.reason)
        filters.addWidget(self.as_of_label, 1)
        filters.addWidget(refresh)
        filters.addWidget(self.export_button)

        self.tiles: dict[str, KpiTile] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for row, keys in enumerate(TILE_KEYS):
            for column, key in enumerate(keys):
                tile = KpiTile(key, figure_name(key, self.language), self._tile_definition(key))
                tile.activated.connect(self._tile_activated)
                self.tiles[key] = tile
                grid.addWidget(tile, row, column)
        for column in range(max(len(keys) for keys in TILE_KEYS)):
            grid.setColumnStretch(column, 1)  # equal tiles, whatever their texts ask for

        self.trend = TrendChart()
        self.trend.weekClicked.connect(self._week_clicked)
        self.topics = TopicChart()
        self.topics.topicClicked.connect(self._topic_clicked)
        self.categories = CategoryChart()
        self.categories.categoryClicked.connect(self._category_clicked)
        self.agents_model: ListTableModel[AgentFigures] = ListTableModel(
            self._agent_headers(), self._agent_cell, self, right_aligned=range(1, 6)
        )
        self.agents_table = QTableView()
        self.agents_table.setModel(self.agents_model)
        self._table_look(self.agents_table)
        self.agents_table.horizontalHeader().setStretchLastSection(False)
        self.agents_table.horizontalHeader().setMinimumSectionSize(90)
        self.agents_table.activated.connect(self._agent_clicked)
        self.agents_table.clicked.connect(self._agent_clicked)
        topics_tab = QWidget()
        topics_layout = QHBoxLayout(topics_tab)
        topics_layout.setContentsMargins(0, 0, 0, 0)
        topics_layout.addWidget(self.topics, 3)
        topics_layout.addWidget(self.categories, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.trend, self.tr("Weekly trend"))
        self.tabs.addTab(topics_tab, self.tr("Topics and categories"))
        self.tabs.addTab(self.agents_table, self.tr("Agents"))

        self.drill_title = QLabel()
        self.drill_title.setObjectName("sectionTitle")
        drill_hint = QLabel(self.tr("Double-click or Enter: open the customer"))
        drill_hint.setObjectName("hint")
        show_all = QPushButton(self.tr("All attempts"))
        show_all.clicked.connect(lambda: self.drill(Focus(), self.tr("all attempts")))
        self.export_drill_button = QPushButton(self.tr("Export these attempts…"))
        self.export_drill_button.setToolTip("Ctrl+Shift+E")
        self.export_drill_button.clicked.connect(self.export_attempts)
        self.export_drill_action = export_drill = QAction(self)
        export_drill.setShortcut(QKeySequence("Ctrl+Shift+E"))
        export_drill.triggered.connect(self.export_attempts)
        self.addAction(export_drill)
        drill_bar = QHBoxLayout()
        drill_bar.addWidget(self.drill_title)
        drill_bar.addWidget(drill_hint, 1)
        drill_bar.addWidget(show_all)
        drill_bar.addWidget(self.export_drill_button)
        self.drill_model: PagedTableModel[OutcomeRow] = PagedTableModel(self._drill_columns(), self._drill_rows, self)
        self.drill_table = QTableView()
        self.drill_table.setModel(self.drill_model)
        self._table_look(self.drill_table)
        self.drill_table.activated.connect(self._open_customer)
        drill = QWidget()
        drill_layout = QVBoxLayout(drill)
        drill_layout.setContentsMargins(0, 4, 0, 0)
        drill_layout.addLayout(drill_bar)
        drill_layout.addWidget(self.drill_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tabs)
        splitter.addWidget(drill)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(filters)
        layout.addLayout(grid)
        layout.addWidget(splitter, 1)

        self._show_custom_dates(False)
        self.period.currentIndexChanged.connect(self._period_changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.reload)
        self.agent.currentIndexChanged.connect(self.reload)
        self.reason.currentIndexChanged.connect(self.reload)

    # --- filters -----------------------------------------------------------------------
    def load(self) -> None:
        """A fresh database (or first show): the agents for the filter, then the report."""
        chosen = self.agent.currentData()
        self.agent.blockSignals(True)
        self.agent.clear()
        self.agent.addItem(self.tr("All agents"), None)
        for agent in list_agents(self.session.db, include_inactive=True):
            self.agent.addItem(agent.name, agent.id)
        self.agent.setCurrentIndex(max(0, self.agent.findData(chosen)))
        self.agent.blockSignals(False)
        self.reload()

    def current_period(self) -> Period | None:
        """The chosen period, or None when a custom range ends before it starts."""
        key = self.period.currentData()
        if key != CUSTOM:
            return preset_period(str(key), self.clock().date())
        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        return Period(start, end) if start <= end else None

    def current_query(self) -> ReportQuery | None:
        period = self.current_period()
        return None if period is None else ReportQuery(period, self.agent.currentData(), self.reason.currentData())

    def _show_custom_dates(self, visible: bool) -> None:
        for widget in (self.date_from, self.date_dash, self.date_to):
            widget.setVisible(visible)

    def _period_changed(self) -> None:
        custom = self.period.currentData() == CUSTOM
        if custom and self.report is not None:  # start from the period on screen
            for edit, day in (
                (self.date_from, self.report.current.period.start),
                (self.date_to, self.report.current.period.end),
            ):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self._show_custom_dates(custom)
        self.reload()

    # --- the report ----------------------------------------------------------------------
    def reload(self) -> None:
        """Compute the report for the filters on a worker; only the newest answer is shown."""
        query = self.current_query()
        if query is None:
            self.as_of_label.setText(self.tr("The range ends before it starts."))
            return
        self._generation += 1
        generation = self._generation
        as_of = self.clock().replace(microsecond=0)
        self.as_of_label.setText(self.tr("Calculating…"))

        def work(db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> Report:
            return compute_report(db, query, as_of)

        def done(report: Any) -> None:
            if generation == self._generation:
                self.show_report(report)

        def failed(_error: BaseException) -> bool:
            if generation != self._generation:
                return True  # a newer report is on its way: neither this one nor its error is shown
            self.as_of_label.setText(self.tr("Could not calculate"))
            return False

        self.session.read(self.tr("Feedback report"), work, done, failed=failed)

    def show_report(self, report: Report) -> None:
        self.report = report
        now, before = report.current.scalars(), report.previous.scalars()
        before_word = self.tr("Before: %1")
        for key in TILE_KEYS[0] + TILE_KEYS[1][:3]:
            tile = self.tiles[key]
            note = ""
            if key in ("csat_pct", "nps"):
                note = self.tr("n=%1").replace("%1", f"{now[key.split('_')[0] + '_responses']:,}")
            tile.show_value(
                now[key],
                before_word.replace("%1", format_figure(key, before[key])),
                change_text(key, now[key], before[key]),
                note,
            )
        queue, queue_before = report.current.queue, report.previous.queue
        self.tiles["open"].show_value(
            queue.open,
            self.tr("Overdue %1 · free %2")
            .replace("%1", f"{queue.overdue or 0:,}")
            .replace("%2", f"{queue.unassigned or 0:,}"),
            ("", ""),
        )
        self.tiles["closed_unreachable"].show_value(
            queue.closed_unreachable,
            before_word.replace("%1", f"{queue_before.closed_unreachable:,}"),
            change_text("closed_unreachable", queue.closed_unreachable, queue_before.closed_unreachable),
        )
        self.tiles["do_not_contact"].show_value(queue.do_not_contact, self.tr("Now"), ("", ""))
        current, previous = report.current.period, report.previous.period
        self.as_of_label.setText(
            self.tr("%1 (before: %2)")
            .replace("%1", f"{current.start:%m-%d} – {current.end:%m-%d}")
            .replace("%2", f"{previous.start:%m-%d} – {previous.end:%m-%d}")
        )
        self.as_of_label.setToolTip(
            self.tr("This period %1, the period before %2; the queue as of %3.")
            .replace("%1", str(current))
            .replace("%2", str(previous))
            .replace("%3", f"{report.as_of:%Y-%m-%d %H:%M}")
        )
        empty = self.tr("No attempts in this period")
        self.trend.show_weeks(
            report.current.trend,
            {key: figure_name(key, self.language) for key in ("attempts", "contact_rate", "csat_pct")},
            empty,
        )
        self.topics.show_topics(
            report.current.topics, {"mentions": self.tr("Mentions"), "complaints": self.tr("Complaints")}, empty
        )
        self.categories.show_categories(
            report.current.categories, {code: label(code, self.language) for code in CATEGORIES}, empty
        )
        self.agents_model.set_items(report.current.agents)
        self.agents_table.resizeColumnsToContents()
        self.loaded.emit()
        self.drill(self.focus, self.focus_title or self.tr("all attempts"))

    def _tile_definition(self, key: str) -> str:
        definition = figure_definition(key, self.language)
        if key in FIGURES_WITH_ATTEMPTS:
            definition += "\n" + self.tr("Click (or Enter) to list the attempts behind it.")
        elif key in QUEUE_TILES:
            definition += "\n" + self.tr("Click (or Enter) to open the follow-up queue.")
        return definition

    # --- agents table ------------------------------------------------------------------
    def _agent_headers(self) -> list[str]:
        return [
            self.tr("Agent"),
            self.tr("Attempts"),
            self.tr("Reached"),
            self.tr("Resolved"),
            self.tr("CSAT"),
            self.tr("Attempts per task"),
        ]

    @staticmethod
    def _agent_cell(agent: AgentFigures, column: int) -> str:
        values = (
            agent.name,
            f"{agent.attempts:,}",
            f"{agent.reached:,}",
            f"{agent.resolved:,}",
            format_figure("csat_pct", agent.csat_pct),
            "—" if agent.avg_attempts_per_task is None else f"{agent.avg_attempts_per_task:.2f}",
        )
        return values[column]

    # --- drill-down ----------------------------------------------------------------------
    def _tile_activated(self, key: str) -> None:
        if key in QUEUE_TILES:
            self.showQueue.emit(key)
            return
        self.drill(Focus(figure=key), figure_name(key, self.language))

    def _week_clicked(self, index: int) -> None:
        if self.report is not None and 0 <= index < len(self.report.current.trend):
            week = self.report.current.trend[index].period
            self.drill(Focus(week=week), self.tr("week %1").replace("%1", str(week)))

    def _topic_clicked(self, topic: str) -> None:
        self.drill(Focus(topic=topic), topic)

    def _category_clicked(self, category: str) -> None:
        self.drill(Focus(category=category), label(category, self.language))

    def _agent_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and 0 <= index.row() < len(self.agents_model.items):
            agent = self.agents_model.items[index.row()]
            self.drill(Focus(agent_id=agent.agent_id), agent.name)

    def drill(self, focus: Focus, title: str) -> None:
        """List the attempts behind `focus` (on a worker), latest first."""
        query = self.current_query()
        if query is None:
            return
        self.focus, self.focus_title = focus, title
        self._drill_generation += 1
        generation = self._drill_generation
        self.drill_title.setText(self.tr("Attempts: %1").replace("%1", title))

        def done(ids: Any) -> None:
            if generation != self._drill_generation:
                return
            self.drill_model.set_ids(ids)
            self.drill_title.setText(self.tr("Attempts: %1 (%2)").replace("%1", title).replace("%2", f"{len(ids):,}"))
            if len(ids):
                self.drill_table.resizeColumnsToContents()
            self.drilled.emit(len(ids))

        self.session.read(self.tr("Listing attempts"), lambda db, _p, _c: outcome_ids(db, query, focus), done)

    def _drill_columns(self) -> Sequence[Column[OutcomeRow]]:
        lang = self.language
        return [
            Column("attempted_at", self.tr("Time"), lambda r: f"{r.attempted_at:%Y-%m-%d %H:%M}"),
            Column("agent", self.tr("Agent"), lambda r: r.agent),
            Column("customer", self.tr("Customer"), lambda r: r.customer_name or r.customer_external_id or ""),
            Column("phone", self.tr("Phone"), lambda r: mask_phone(r.phone)),
            Column("reasons", self.tr("Reasons"), lambda r: join_labels((label(c, lang) for c in r.reasons), lang)),
            Column("disposition", self.tr("Outcome"), lambda r: disposition_label(r.disposition, lang)),
            Column("csat", self.tr("CSAT"), lambda r: "" if r.csat is None else str(r.csat), align_right=True),
            Column("nps", self.tr("NPS"), lambda r: "" if r.nps is None else str(r.nps), align_right=True),
            Column("category", self.tr("Category"), lambda r: label(r.category, lang) if r.category else ""),
            Column("topics", self.tr("Topics"), lambda r: join_labels(r.topics, lang)),
            Column("notes", self.tr("Notes"), lambda r: r.notes or "", tooltip=lambda r: r.notes or ""),
        ]

    def _drill_rows(self, ids: Sequence[int]) -> Mapping[int, OutcomeRow]:
        return outcome_rows(self.session.db, ids)

    def _open_customer(self, index: QModelIndex) -> None:
        row = self.drill_model.row_at(index.row()) if index.isValid() else None
        if row is not None:
            self.showCustomer.emit(row.customer_id, row.customer_external_id or "")

    @staticmethod
    def _table_look(table: QTableView) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setResizeContentsPrecision(PAGE_SIZE // 4)  # fit to a screen of rows, not 1,000

    # --- exports -------------------------------------------------------------------------
    def set_user(self, user: User | None) -> None:
        """The page is a supervisor's (reports), and so are its exports."""
        self.user = user
        for control in (self.export_button, self.export_drill_button, self.export_drill_action):
            gate(control, user, "export")

    def _export_refused(self) -> bool:
        title = self.tr("Export to Excel")
        return refused(self.user, "export", lambda text: self.session.crash.show(title, text, False))

    def export_report(self) -> None:
        report = self.report
        if report is None or self._export_refused():
            return
        period = report.current.period
        stem = self.tr("feedback-report")
        suggested = Path.home() / f"{stem}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
        choice = self.ask_export(self, suggested, None)
        if choice is not None:
            self._export("report", choice, report)

    def export_attempts(self) -> None:
        query = self.current_query()
        if query is None or self._export_refused():
            return
        stem = self.tr("attempts")
        suggested = Path.home() / f"{stem}-{self.clock():%Y%m%d}.xlsx"
        choice = self.ask_export(self, suggested, self.drill_model.rowCount())
        if choice is not None:
            self._export("outcomes", choice, OutcomeQuery(query, self.focus))

    def _export(self, kind: str, choice: ExportChoice, query: object) -> None:
        export_in_background(self, self.session, kind, choice, query, lambda r: self.exported.emit(exported_message(r)))
