"""The Import page: a wizard from a file to one checked, atomic batch, plus the import history.

Steps: choose (button or drag-and-drop) → preview and fix the column mapping → check every row
(a dry run: counts and the errors, which can be saved as .xlsx) → import with progress and Cancel →
result. Every step calls the same `wallet_crm.imports` services as the CLI, on a worker thread.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wallet_crm.db import current_database
from wallet_crm.errors import OperationCancelled
from wallet_crm.followup.build import build_queue
from wallet_crm.imports import (
    BatchInfo,
    ImportOptions,
    ImportResult,
    Preview,
    RowError,
    import_file,
    list_batches,
    preview_file,
    save_mapping,
    undo_batch,
)
from wallet_crm.imports.errors_export import write_rejected_rows
from wallet_crm.imports.mapping import CUSTOMER_FIELDS, FIELDS, REQUIRED_FIELDS
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.labels import field_labels, reason_labels
from wallet_crm.ui.list_model import ListTableModel
from wallet_crm.ui.operations import BackgroundTask, ProgressCallback, TaskRunner
from wallet_crm.ui.progress import run_with_progress

FIELD_BY_LABEL = {field.label: field.name for field in FIELDS}  # errors name fields by label
FILE_FILTER = "Excel / CSV (*.xlsx *.xlsm *.xls *.csv *.txt);;All files (*)"


def pick_files(parent: QWidget) -> list[Path]:
    names, _filter = QFileDialog.getOpenFileNames(
        parent, parent.tr("Choose transaction files"), str(Path.home()), FILE_FILTER
    )
    return [Path(name) for name in names]


def pick_errors_file(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(
        parent, parent.tr("Save rejected rows"), str(suggested), "Excel (*.xlsx)"
    )
    return Path(name) if name else None


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class DropArea(QFrame):
    """A big target for dropped files; clicking its button opens the file dialog."""

    filesDropped = Signal(list)

    def __init__(self, text: str, button: QPushButton) -> None:
        super().__init__()
        self.setObjectName("dropArea")
        self.setAcceptDrops(True)
        self.setMinimumHeight(150)
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.filesDropped.emit(paths)
            event.acceptProposedAction()


class ImportPage(QWidget):
    imported = Signal()
    showTransactions = Signal()

    def __init__(self, runner: TaskRunner, crash: CrashHandler) -> None:
        super().__init__()
        self.runner = runner
        self.crash = crash
        self.choose_files: Callable[[QWidget], list[Path]] = pick_files
        self.choose_errors_file: Callable[[QWidget, Path], Path | None] = pick_errors_file
        self.confirm: Callable[[QWidget, str, str], bool] = confirm
        self.pending: list[Path] = []
        self.active_task: BackgroundTask | None = None
        self.path: Path | None = None
        self.preview: Preview | None = None
        self.mapping: dict[str, int] = {}
        self.mapping_edited = False
        self.sheet: str | None = None
        self.check_result: ImportResult | None = None
        self.result: ImportResult | None = None
        self.fields = field_labels()
        self.reasons = reason_labels()

        heading = QLabel(self.tr("Import"))
        heading.setObjectName("pageTitle")
        self.notice = QLabel()
        self.notice.setObjectName("hint")
        self.steps = QStackedWidget()
        self.steps.addWidget(self._build_choose_step())
        self.steps.addWidget(self._build_map_step())
        self.steps.addWidget(self._build_check_step())
        self.steps.addWidget(self._build_result_step())
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.notice)
        self.steps.currentChanged.connect(lambda _index: self.notice.clear())

    # --- step 1: choose files, history ------------------------------------------------------
    def _build_choose_step(self) -> QWidget:
        self.choose_button = QPushButton(self.tr("Choose files…"))
        self.choose_button.setObjectName("bigButton")
        self.choose_button.setShortcut(QKeySequence.StandardKey.Open)
        self.choose_button.clicked.connect(lambda: self.open_files(self.choose_files(self)))
        drop = DropArea(self.tr("Drop Excel (.xlsx, .xls) or CSV transaction exports here, or"), self.choose_button)
        drop.filesDropped.connect(self.open_files)
        history_title = QLabel(self.tr("Import history"))
        history_title.setObjectName("sectionTitle")
        headers = [
            self.tr("Batch"), self.tr("File"), self.tr("Imported at"), self.tr("By"), self.tr("Inserted"),
            self.tr("Duplicates"), self.tr("Rejected"), self.tr("New customers"), self.tr("Status"),
        ]  # fmt: skip
        self.history_model: ListTableModel[BatchInfo] = ListTableModel(headers, self._history_cell, self)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.undo_button = QPushButton(self.tr("Undo selected import…"))
        self.undo_button.clicked.connect(self.undo_selected)
        row = QHBoxLayout()
        row.addWidget(history_title)
        row.addStretch(1)
        row.addWidget(self.undo_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(drop)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.history, 1)
        return page

    def _history_cell(self, batch: BatchInfo, column: int) -> str:
        if column == 8:
            if batch.undone:
                return self.tr("Undone %1").replace("%1", batch.undone_at or "")
            return self.tr("Demo data") if batch.source == "demo" else self.tr("Imported")
        values = (
            batch.id, batch.file_name, batch.imported_at[:16], batch.imported_by, f"{batch.inserted:,}",
            f"{batch.duplicates:,}", f"{batch.rejected:,}", f"{batch.customers_created:,}",
        )  # fmt: skip
        return str(values[column])

    def refresh_history(self) -> None:
        self.runner.start(
            lambda _p, _c: list_batches(current_database()),
            self._show_history,
            lambda error: self.crash.report(error, self.tr("Import history")),
        )

    def _show_history(self, batches: list[BatchInfo]) -> None:
        self.history_model.set_items(batches)
        self.history.resizeColumnsToContents()

    def undo_selected(self) -> None:
        rows = self.history.selectionModel().selectedRows()
        if not rows:
            self.crash.show(self.tr("Undo import"), self.tr("Select an import in the history first."), False)
            return
        batch = self.history_model.items[rows[0].row()]
        question = self.tr("Remove the %1 transactions of batch %2 (%3), and the customers only it created?")
        question = (
            question.replace("%1", f"{batch.inserted:,}").replace("%2", str(batch.id)).replace("%3", batch.file_name)
        )
        if not self.confirm(self, self.tr("Undo import"), question):
            return
        self.runner.start(
            lambda _p, _c: (
                undo_batch(current_database(), batch.id),
                build_queue(current_database(), dt.datetime.now()),
            ),
            self._undone,
            lambda error: self.crash.report(error, self.tr("Undo import")),
        )

    def _undone(self, _result: object) -> None:
        self.refresh_history()
        self.imported.emit()

    # --- step 2: preview and mapping ----------------------------------------------------------
    def _build_map_step(self) -> QWidget:
        self.file_label = QLabel()
        self.file_label.setObjectName("sectionTitle")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName(self.tr("Sheet"))
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.header_label = QLabel()
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(
            [self.tr("Column in the file"), self.tr("First values"), self.tr("Imports as")]
        )
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.missing_label = QLabel()
        self.missing_label.setObjectName("errorText")
        self.missing_label.setWordWrap(True)
        self.preview_model: ListTableModel[tuple[str, ...]] = ListTableModel(
            [], lambda row, c: row[c] if c < len(row) else "", self
        )
        self.preview_table = QTableView()
        self.preview_table.setModel(self.preview_model)
        self.preview_table.verticalHeader().setVisible(False)
        back = QPushButton(self.tr("Back"))
        back.clicked.connect(self.restart)
        self.check_button = QPushButton(self.tr("Check the rows"))
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.check)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(QLabel(self.tr("Sheet:")))
        top.addWidget(self.sheet_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.missing_label, 1)
        buttons.addWidget(back)
        buttons.addWidget(self.check_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.header_label)
        layout.addWidget(self.mapping_table, 3)
        layout.addWidget(QLabel(self.tr("Preview")))
        layout.addWidget(self.preview_table, 2)
        layout.addLayout(buttons)
        return page

    def open_files(self, paths: list[Path]) -> None:
        if not paths:
            return
        self.pending = list(paths)
        self.next_file()

    def next_file(self) -> None:
        if not self.pending:
            self.restart()
            return
        self.path = self.pending.pop(0)
        self.mapping_edited = False
        self.sheet = None
        self._load_preview(None, None)

    def _load_preview(self, sheet: str | None, mapping: dict[str, int] | None) -> None:
        path = self.path
        assert path is not None
        self.runner.start(
            lambda _p, _c: preview_file(current_database(), path, sheet, mapping),
            self._show_preview,
            self._preview_failed,
        )

    def _preview_failed(self, error: BaseException) -> None:
        self.crash.report(error, self.tr("Reading %1").replace("%1", self.path.name if self.path else ""))
        self.next_file()

    def _show_preview(self, preview: Preview) -> None:
        self.preview = preview
        self.sheet = preview.sheet
        self.mapping = dict(preview.mapping)
        self.file_label.setText(Path(preview.file).name)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(preview.sheet_names))
        self.sheet_combo.setCurrentText(preview.sheet)
        self.sheet_combo.setEnabled(len(preview.sheet_names) > 1)
        note = self.tr("Header found in row %1.").replace("%1", str(preview.header_row))
        if preview.from_profile:
            note += " " + self.tr("Column mapping taken from the one you saved for these headers.")
        self.header_label.setText(note)
        self.mapping_table.setRowCount(len(preview.columns))
        for row, column in enumerate(preview.columns):
            self.mapping_table.setItem(row, 0, QTableWidgetItem(column.header))
            samples = " · ".join(r[column.index] for r in preview.rows[:3] if column.index < len(r) and r[column.index])
            self.mapping_table.setItem(row, 1, QTableWidgetItem(samples))
            combo = QComboBox()
            combo.addItem(self.tr("(not imported)"), None)
            for name, text in self.fields.items():
                combo.addItem(text, name)
            current = next((name for name, index in self.mapping.items() if index == column.index), None)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.currentIndexChanged.connect(lambda _i, c=column.index, box=combo: self._mapping_changed(c, box))
            self.mapping_table.setCellWidget(row, 2, combo)
        self.mapping_table.resizeColumnToContents(0)
        self.mapping_table.setColumnWidth(2, 160)
        self._refresh_mapping_views()
        self.steps.setCurrentIndex(1)
        self.check_button.setFocus()

    def _sheet_chosen(self) -> None:
        self.mapping_edited = False
        self._load_preview(self.sheet_combo.currentText(), None)

    def _mapping_changed(self, column: int, combo: QComboBox) -> None:
        field = combo.currentData()
        self.mapping = {name: index for name, index in self.mapping.items() if index != column and name != field}
        if field:
            self.mapping[str(field)] = column
        self.mapping_edited = True
        if self.preview is not None:
            # one field feeds from one column: a field chosen here leaves the column it had
            for row in range(self.mapping_table.rowCount()):
                box = self.mapping_table.cellWidget(row, 2)
                if isinstance(box, QComboBox) and box is not combo and box.currentData() == field and field:
                    box.blockSignals(True)
                    box.setCurrentIndex(0)
                    box.blockSignals(False)
        self._refresh_mapping_views()

    def missing_fields(self) -> list[str]:
        missing = [self.fields[name] for name in REQUIRED_FIELDS if name not in self.mapping]
        if not any(name in self.mapping for name in CUSTOMER_FIELDS):
            missing.append(self.tr("Customer ID or phone"))
        return missing

    def _refresh_mapping_views(self) -> None:
        preview = self.preview
        if preview is None:
            return
        by_column = {index: self.fields[name] for name, index in self.mapping.items()}
        headers = [f"{c.header}\n→ {by_column[c.index]}" if c.index in by_column else c.header for c in preview.columns]
        self.preview_model.set_items(list(preview.rows), headers)
        self.preview_table.resizeColumnsToContents()
        missing = self.missing_fields()
        self.missing_label.setText(
            self.tr("Choose a column for: %1").replace("%1", "、".join(missing)) if missing else ""
        )
        self.check_button.setEnabled(not missing)

    def options(self, dry_run: bool) -> ImportOptions:
        return ImportOptions(sheet=self.sheet, mapping=dict(self.mapping), dry_run=dry_run)

    # --- step 3: check (dry run) ------------------------------------------------------------------
    def _build_check_step(self) -> QWidget:
        self.check_summary = QLabel()
        self.check_summary.setObjectName("summary")
        self.check_summary.setWordWrap(True)
        headers = [self.tr("Row"), self.tr("Field"), self.tr("Value"), self.tr("Why")]
        self.errors_model: ListTableModel[RowError] = ListTableModel(headers, self._error_cell, self)
        self.errors_table = QTableView()
        self.errors_table.setModel(self.errors_model)
        self.errors_table.verticalHeader().setVisible(False)
        self.errors_table.horizontalHeader().setStretchLastSection(True)
        back = QPushButton(self.tr("Back"))
        back.clicked.connect(lambda: self.steps.setCurrentIndex(1))
        self.save_errors_button = QPushButton(self.tr("Save rejected rows as .xlsx…"))
        self.save_errors_button.clicked.connect(self.save_errors)
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.run_import)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_errors_button)
        buttons.addStretch(1)
        buttons.addWidget(back)
        buttons.addWidget(self.import_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check_summary)
        layout.addWidget(self.errors_table, 1)
        layout.addLayout(buttons)
        return page

    def _error_cell(self, error: RowError, column: int) -> str:
        code = FIELD_BY_LABEL.get(error.field, error.field)
        field = self.fields.get(code, error.field)
        reason = self.reasons.get(error.reason, error.reason)
        return str((error.row, field, error.value, reason)[column])

    def _work(self, dry_run: bool) -> Callable[[ProgressCallback, threading.Event], ImportResult]:
        path, options = self.path, self.options(dry_run)
        assert path is not None
        return lambda progress, cancel: import_file(current_database(), path, options, progress, cancel)

    def check(self) -> None:
        assert self.path is not None
        self.active_task, _dialog = run_with_progress(
            self,
            self.runner,
            self.tr("Check the rows"),
            self.tr("Checking %1…").replace("%1", self.path.name),
            self._work(dry_run=True),
            self._show_check,
            self._failed(self.tr("Checking the rows")),
        )

    def _failed(self, what: str) -> Callable[[BaseException], None]:
        """Cancel is the user's choice, not an error: say so on the page instead of in a dialog."""

        def failed(error: BaseException) -> None:
            if isinstance(error, OperationCancelled):
                self.notice.setText(self.tr("Cancelled: nothing was written."))
            else:
                self.crash.report(error, what)

        return failed

    def counts_text(self, result: ImportResult, done: bool) -> str:
        first = self.tr("Imported %1 new transactions.") if done else self.tr("%1 new transactions can be imported.")
        parts = [
            first.replace("%1", f"{result.inserted:,}"),
            self.tr("%1 already in the database or twice in the file.").replace("%1", f"{result.duplicates:,}"),
            self.tr("%1 rows rejected.").replace("%1", f"{result.rejected:,}"),
            self.tr("%1 blank or total rows skipped.").replace("%1", f"{result.skipped:,}"),
            self.tr("New customers: %1, updated: %2.")
            .replace("%1", f"{result.customers_created:,}")
            .replace("%2", f"{result.customers_updated:,}"),
        ]
        return "\n".join(parts)

    def _show_check(self, result: ImportResult) -> None:
        self.check_result = result
        self.check_summary.setText(self.counts_text(result, done=False))
        self.errors_model.set_items(list(result.errors))
        self.errors_table.resizeColumnsToContents()
        self.save_errors_button.setEnabled(result.rejected > 0)
        self.import_button.setEnabled(result.inserted > 0)
        self.steps.setCurrentIndex(2)
        (self.import_button if result.inserted else self.save_errors_button).setFocus()

    def save_errors(self) -> None:
        result, path = self.check_result, self.path
        if result is None or path is None:
            return
        target = self.choose_errors_file(self, path.with_name(f"{path.stem}-errors.xlsx"))
        if target is None:
            return
        self.runner.start(
            lambda _p, _c: write_rejected_rows(path, result, target),
            lambda rows: self.check_summary.setText(
                self.counts_text(result, done=False)
                + "\n"
                + self.tr("Saved %1 rejected rows to %2").replace("%1", f"{rows:,}").replace("%2", str(target))
            ),
            lambda error: self.crash.report(error, self.tr("Saving rejected rows")),
        )

    # --- step 4: import and result ------------------------------------------------------------------
    def _build_result_step(self) -> QWidget:
        self.result_summary = QLabel()
        self.result_summary.setObjectName("summary")
        self.result_summary.setWordWrap(True)
        self.next_button = QPushButton(self.tr("Import another file"))
        self.next_button.clicked.connect(self.next_file)
        view = QPushButton(self.tr("Show the transactions"))
        view.clicked.connect(self.showTransactions)
        buttons = QHBoxLayout()
        buttons.addWidget(self.next_button)
        buttons.addWidget(view)
        buttons.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.result_summary)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    def run_import(self) -> None:
        assert self.path is not None
        path, mapping, sheet, edited = self.path, dict(self.mapping), self.sheet, self.mapping_edited
        import_work = self._work(dry_run=False)

        def work(progress: ProgressCallback, cancel: threading.Event) -> ImportResult:
            result = import_work(progress, cancel)
            if edited:
                save_mapping(current_database(), path, mapping, sheet)
            if result.inserted:
                build_queue(current_database(), dt.datetime.now())  # new transactions, new follow-ups
            return result

        self.active_task, _dialog = run_with_progress(
            self,
            self.runner,
            self.tr("Import"),
            self.tr("Importing %1…").replace("%1", path.name),
            work,
            self._show_result,
            self._failed(self.tr("Import")),
        )

    def _show_result(self, result: ImportResult) -> None:
        self.result = result
        text = self.counts_text(result, done=True)
        if result.batch_id is not None:
            text += "\n" + self.tr("Batch %1: it can be undone from the import history.").replace(
                "%1", str(result.batch_id)
            )
        self.result_summary.setText(text)
        self.next_button.setText(
            self.tr("Next file (%1 left)").replace("%1", str(len(self.pending)))
            if self.pending
            else self.tr("Import another file")
        )
        self.steps.setCurrentIndex(3)
        self.next_button.setFocus()
        self.refresh_history()
        self.imported.emit()

    def restart(self) -> None:
        self.preview = None
        self.check_result = None
        self.steps.setCurrentIndex(0)
        self.refresh_history()

    def current_step(self) -> int:
        return self.steps.currentIndex()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self.steps.currentIndex() in (1, 2):
            self.steps.setCurrentIndex(self.steps.currentIndex() - 1 if self.steps.currentIndex() == 2 else 0)
            return
        super().keyPressEvent(event)
