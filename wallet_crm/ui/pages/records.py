"""The shared shape of the Transactions and Customers pages: filters on top, a paged table below.

Each filter change re-runs the id query on a worker; only the newest answer is shown, so typing
fast never shows stale rows. The page never runs SQL itself: it calls the browse services.
"""

from __future__ import annotations

import datetime as dt
import threading
from array import array
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic

from peewee import Database
from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wallet_crm.accounts.users import User
from wallet_crm.ui.access import gate, refused
from wallet_crm.ui.export_dialog import ExportChoice, ask_export, export_in_background, exported_message
from wallet_crm.ui.operations import ProgressCallback
from wallet_crm.ui.paged_model import PAGE_SIZE, Column, PagedTableModel, RowT
from wallet_crm.ui.session import Session

SEARCH_DELAY_MS = 300
MAX_COLUMN_WIDTH = 260  # px: a long remark or merchant name is cut there, so the columns after it stay in reach


class RecordsPage(QWidget, Generic[RowT]):
    """Filters + paged table; subclasses give columns, the id query and the row loader."""

    loaded = Signal(int)
    exported = Signal(str)

    def __init__(self, session: Session, default_sort: tuple[str, bool]) -> None:
        super().__init__()
        self.session = session
        self.user: User | None = None
        self.sort_key, self.descending = default_sort
        self._generation = 0
        self.model: PagedTableModel[RowT] = PagedTableModel(self.make_columns(), self.load_rows, self)

        heading = QLabel(self.page_title())
        heading.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.search_hint())
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        for label, days in (
            (self.tr("All dates"), None),
            (self.tr("Today"), 0),
            (self.tr("Last 7 days"), 6),
            (self.tr("Last 30 days"), 29),
            (self.tr("Last 90 days"), 89),
            (self.tr("Custom range"), -1),
        ):
            self.period.addItem(label, days)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        self.date_dash = QLabel("–")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
        self._show_custom_dates(False)
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        self.status.addItem(self.tr("All statuses"), None)
        for code, label in self.status_choices().items():
            self.status.addItem(label, code)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setToolTip("Ctrl+E")
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.clicked.connect(self.export)
        self.ask_export: Callable[[QWidget, Path, int], ExportChoice | None] = ask_export

        self.filters = QHBoxLayout()
        self.filters.addWidget(self.search, 2)
        self.filters.addWidget(self.period)
        self.filters.addWidget(self.date_from)
        self.filters.addWidget(self.date_dash)
        self.filters.addWidget(self.date_to)
        self.filters.addWidget(self.status)
        self.extra_filters()
        self.filters.addStretch(1)
        self.filters.addWidget(self.count_label)
        self.filters.addWidget(self.export_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Fit columns to the first screen of rows only: sampling more would load more pages.
        self.table.horizontalHeader().setResizeContentsPrecision(PAGE_SIZE // 4)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self._show_sort_indicator()
        self.table.setSortingEnabled(True)  # sorts once by the indicator: connect afterwards, or it queries twice
        self.model.sortRequested.connect(self._sort)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.filters)
        layout.addWidget(self.splitter, 1)

        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self.search_timer.start)
        self.search.returnPressed.connect(self.reload)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.date_from.dateChanged.connect(self.reload)
        self.date_to.dateChanged.connect(self.reload)
        self.status.currentIndexChanged.connect(self.reload)

    def add_side_panel(self, panel: QWidget) -> None:
        self.splitter.addWidget(panel)
        # The table gets the room: at 1366×768 every column of it shows, the timeline beside it
        # (its lines are short); the user can drag the divider, as everywhere.
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 300])

    def _fit_columns(self) -> None:
        """Each column as wide as its header and first rows in this language ("Withdrawal", not "Withdra…"),
        a long remark capped so the columns after it stay in reach."""
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column) + 8, MAX_COLUMN_WIDTH))

    # --- for subclasses ------------------------------------------------------
    def page_title(self) -> str:
        raise NotImplementedError

    def make_columns(self) -> Sequence[Column[RowT]]:
        raise NotImplementedError

    def load_rows(self, ids: Sequence[int]) -> Mapping[int, RowT]:
        """The display rows for one page of ids (runs on the GUI thread: one indexed lookup)."""
        raise NotImplementedError

    def status_choices(self) -> Mapping[str, str]:
        raise NotImplementedError

    def search_hint(self) -> str:
        raise NotImplementedError

    def extra_filters(self) -> None:
        """Add page-specific filter widgets to `self.filters`."""

    def query_ids(self) -> Callable[[Database], array[int]]:
        """A function, safe to run on a worker, that returns the ordered ids for the current filter."""
        raise NotImplementedError

    def export_file_stem(self) -> str:
        raise NotImplementedError

    def export_kind(self) -> str:
        """What `run_export` calls this table: transactions or customers."""
        raise NotImplementedError

    def current_query(self) -> Any:
        """The filter on screen, as the service's query object."""
        raise NotImplementedError

    def set_user(self, user: User | None) -> None:
        """Exports are a supervisor's: the button is disabled below that role."""
        self.user = user
        gate(self.export_button, user, "export")

    # --- export -------------------------------------------------------------------
    def export(self) -> None:
        title = self.tr("Export to Excel")
        if refused(self.user, "export", lambda text: self.session.crash.show(title, text, False)):
            return
        suggested = Path.home() / f"{self.export_file_stem()}-{dt.date.today():%Y%m%d}.xlsx"
        choice = self.ask_export(self, suggested, self.model.rowCount())
        if choice is not None:
            export_in_background(
                self,
                self.session,
                self.export_kind(),
                choice,
                self.current_query(),
                lambda result: self.exported.emit(exported_message(result)),
            )

    # --- filters ----------------------------------------------------------------
    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        days = self.period.currentData()
        if days is None:
            return None, None
        if days == -1:
            start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
            assert isinstance(start, dt.date) and isinstance(end, dt.date)
            return start, end
        today = dt.date.today()
        return today - dt.timedelta(days=int(days)), today

    def _show_custom_dates(self, visible: bool) -> None:
        for widget in (self.date_from, self.date_dash, self.date_to):
            widget.setVisible(visible)

    def _period_changed(self) -> None:
        self._show_custom_dates(self.period.currentData() == -1)
        self.reload()

    def _sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self.reload()

    def _show_sort_indicator(self) -> None:
        keys = [column.key for column in self.model.columns]
        if self.sort_key in keys:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            order = Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(keys.index(self.sort_key), order)
            header.blockSignals(False)

    # --- loading ----------------------------------------------------------------
    def reload(self) -> None:
        """Re-run the id query on a worker; show the answer only if no newer query started."""
        self._generation += 1
        generation = self._generation
        self.count_label.setText(self.tr("Loading…"))
        query = self.query_ids()

        def work(db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> array[int]:
            return query(db)

        def done(ids: Any) -> None:
            if generation != self._generation:
                return
            first_load = self.model.rowCount() == 0
            self.model.set_ids(ids)
            self._show_sort_indicator()
            # translate() with an explicit context: PySide's tr() misses plural forms from a base class
            rows = QCoreApplication.translate("RecordsPage", "%n row(s)", None, len(ids))
            self.count_label.setText(rows.replace(str(len(ids)), f"{len(ids):,}"))
            if first_load:
                self._fit_columns()
            self.loaded.emit(len(ids))

        def failed(_error: BaseException) -> bool:
            if generation != self._generation:
                return True  # a newer query is on its way: this answer is not shown, nor its error
            self.count_label.setText(self.tr("Could not load"))
            return False

        self.session.read(self.tr("Loading the table"), work, done, failed=failed)
