"""The Import page: a wizard from a file to one checked, atomic batch, plus the import history.

Steps: choose (button or drag-and-drop) → the recognised format, the header row and the column
mapping, all correctable → check every row (a dry run: counts, the rejected rows, which can be
saved as .xlsx, the warnings, and any status or direction word nobody has mapped, to map here) →
import with progress and Cancel → result. Corrections (columns, header row, words, date order) go
with the import, which keeps them as a profile for files like this one. Every step calls the same
`wallet_crm.imports` services as the CLI, on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from peewee import Database
from PySide6.QtCore import Qt, QTimer, Signal
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
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wallet_crm import messages
from wallet_crm.accounts.users import User
from wallet_crm.errors import OperationCancelled
from wallet_crm.followup.vocabulary import join_labels
from wallet_crm.imports import (
    BatchInfo,
    FormatInfo,
    ImportOptions,
    ImportResult,
    NoCustomerError,
    Preview,
    RowError,
    UnknownWordsError,
    import_and_rebuild,
    import_file,
    list_batches,
    preview_file,
    undo_and_rebuild,
)
from wallet_crm.imports.errors_export import write_rejected_rows
from wallet_crm.imports.format import CODES, IDENTITY_FIELDS, ImportFormat
from wallet_crm.imports.formats import GENERIC_ID, generic_format, load_builtin_formats
from wallet_crm.imports.layout import missing_fields
from wallet_crm.imports.profiles import find_profile
from wallet_crm.ui.access import refused
from wallet_crm.ui.export_dialog import interface_language
from wallet_crm.ui.labels import direction_labels, field_labels, status_labels, type_labels
from wallet_crm.ui.list_model import Index, ListTableModel
from wallet_crm.ui.operations import BackgroundTask
from wallet_crm.ui.progress import Start, run_with_progress
from wallet_crm.ui.session import Session, Topic

FILE_FILTER = "Excel / CSV (*.xlsx *.xlsm *.xls *.csv *.txt);;All files (*)"
HEADER_DELAY_MS = 400  # a header row typed digit by digit is previewed once
MAX_HEADER_ROW = 9_999
WordKey = tuple[str, str]  # (field, word as the file writes it)
WORD_FIELD, WORD_TEXT, WORD_CODE, WORD_ROWS, WORD_EXAMPLES = range(5)  # the columns of the words table


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


def format_of(db: Database | None, info: FormatInfo | None) -> ImportFormat | None:
    """The format a preview was read with: the user's profile by its name, else the built-in one."""
    if info is None:
        return None
    if info.is_profile and db is not None:
        found = find_profile(db, info.id)
        if found is not None:
            return found
    return next((fmt for fmt in load_builtin_formats() if fmt.id == info.id), None)


def previewed(
    db: Database, path: Path, sheet: str | None, header_row: int | None
) -> tuple[Preview, ImportFormat | None]:
    preview = preview_file(db, path, sheet, None, header_row=header_row)
    return preview, format_of(db, preview.format)


class ProblemModel(ListTableModel[RowError]):
    """Rejected rows or warnings; a reason too long for its column is read in full on hover."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return super().data(index, Qt.ItemDataRole.DisplayRole)
        return super().data(index, role)


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
        label.setWordWrap(True)
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

    def __init__(self, session: Session, language: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.language = language or interface_language()
        self.user: User | None = None  # signed in (None: a database without users)
        self.choose_files: Callable[[QWidget], list[Path]] = pick_files
        self.choose_errors_file: Callable[[QWidget, Path], Path | None] = pick_errors_file
        self.confirm: Callable[[QWidget, str, str], bool] = confirm
        self.pending: list[Path] = []
        self.active_task: BackgroundTask | None = None
        self.path: Path | None = None
        self.preview: Preview | None = None
        self.format: ImportFormat | None = None
        self.mapping: dict[str, int] = {}
        self.header_chosen = False  # the user picked the header row
        self.sheet: str | None = None
        self.date_order: str | None = None
        self.words: dict[str, dict[str, str]] = {}  # field -> {word: code}, as the user mapped them
        self.checked_words: dict[str, dict[str, str]] = {}  # the words the shown check ran with
        self.word_rows: dict[WordKey, tuple[int, tuple[int, ...]]] = {}  # every word to map: rows, example rows
        self.check_result: ImportResult | None = None
        self.result: ImportResult | None = None
        self.fields = field_labels()
        self.codes = {"status": status_labels(), "direction": direction_labels(), "txn_type": type_labels()}

        heading = QLabel(self.tr("Import"))
        heading.setObjectName("pageTitle")
        self.notice = QLabel()
        self.notice.setObjectName("hint")
        self.notice.setWordWrap(True)
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

    def _join(self, items: list[str]) -> str:
        return join_labels(items, self.language)

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
        self.session.read(self.tr("Import history"), lambda db, _p, _c: list_batches(db), self._show_history)

    def _show_history(self, batches: list[BatchInfo]) -> None:
        self.history_model.set_items(batches)
        self.history.resizeColumnsToContents()

    def set_user(self, user: User | None) -> None:
        """Imports and undo are a supervisor's; the window keeps the page from lower roles, and the actions
        check again before they write."""
        self.user = user

    def _refused(self, action: str, title: str) -> bool:
        return refused(self.user, action, lambda text: self.session.crash.show(title, text, False))

    def undo_selected(self) -> None:
        if self._refused("undo", self.tr("Undo import")):
            return
        rows = self.history.selectionModel().selectedRows()
        if not rows:
            self.session.crash.show(self.tr("Undo import"), self.tr("Select an import in the history first."), False)
            return
        batch = self.history_model.items[rows[0].row()]
        question = self.tr("Remove the %1 transactions of batch %2 (%3), and the customers only it created?")
        question = (
            question.replace("%1", f"{batch.inserted:,}").replace("%2", str(batch.id)).replace("%3", batch.file_name)
        )
        if not self.confirm(self, self.tr("Undo import"), question):
            return
        by = self.user.name if self.user is not None else None  # else the OS user
        self.session.write(
            self.tr("Undo import"),
            lambda db, _p, _c: undo_and_rebuild(db, batch.id, undone_by=by),
            self._undone,
            changes=(Topic.TRANSACTIONS, Topic.TASKS),
        )

    def _undone(self, _result: object) -> None:
        self.refresh_history()
        self.imported.emit()

    # --- step 2: format, header row and column mapping --------------------------------------------
    def _build_map_step(self) -> QWidget:
        self.file_label = QLabel()
        self.file_label.setObjectName("sectionTitle")
        self.format_label = QLabel()
        self.format_label.setWordWrap(True)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName(self.tr("Sheet"))
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.sheet_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sheet_combo.setMinimumContentsLength(6)
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, MAX_HEADER_ROW)
        self.header_spin.setAccessibleName(self.tr("Header row"))
        self.header_spin.setToolTip(self.tr("The row (as Excel numbers it) that holds the column titles"))
        self.header_timer = QTimer(self)
        self.header_timer.setSingleShot(True)
        self.header_timer.setInterval(HEADER_DELAY_MS)
        self.header_timer.timeout.connect(self._header_chosen)
        self.header_spin.valueChanged.connect(lambda _value: self.header_timer.start())
        self.date_combo = QComboBox()
        self.date_combo.setAccessibleName(self.tr("Date order"))
        for text, code in (
            (self.tr("Automatic"), None),
            (self.tr("Day first (31/12/2026)"), "dmy"),
            (self.tr("Month first (12/31/2026)"), "mdy"),
        ):
            self.date_combo.addItem(text, code)
        self.date_combo.currentIndexChanged.connect(self._date_order_chosen)
        self.header_label = QLabel()
        self.header_label.setObjectName("hint")
        self.header_label.setWordWrap(True)
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
        self.identity_label = QLabel()
        self.identity_label.setWordWrap(True)
        self.identity_label.setStyleSheet("color: #8a5300;")
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
        choices = QHBoxLayout()
        for text, widget in (
            (self.tr("Sheet:"), self.sheet_combo),
            (self.tr("Header row:"), self.header_spin),
            (self.tr("Dates like 03/04/2026:"), self.date_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            choices.addWidget(label)
            choices.addWidget(widget)
            choices.addSpacing(12)
        choices.addStretch(1)
        problems = QVBoxLayout()
        problems.addWidget(self.missing_label)
        problems.addWidget(self.identity_label)
        buttons = QHBoxLayout()
        buttons.addLayout(problems, 1)
        buttons.addWidget(back)
        buttons.addWidget(self.check_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.file_label)
        layout.addWidget(self.format_label)
        layout.addLayout(choices)
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
        self.sheet = None
        self.date_order = None
        self.date_combo.blockSignals(True)
        self.date_combo.setCurrentIndex(0)
        self.date_combo.blockSignals(False)
        self._load_preview(None, None, first=True)

    def _load_preview(self, sheet: str | None, header_row: int | None, first: bool = False) -> None:
        path = self.path
        assert path is not None
        self.header_timer.stop()
        self.session.read(
            self.tr("Reading %1").replace("%1", path.name),
            lambda db, _p, _c: previewed(db, path, sheet, header_row),
            lambda found: self._show_preview(found[0], found[1], chosen_header=header_row is not None),
            failed=lambda error: self._preview_failed(error, first),
        )

    def _preview_failed(self, error: BaseException, first: bool) -> bool:
        """Say why, then move on: the next file, or back to the header row shown before."""
        self.session.report(error, self.tr("Reading %1").replace("%1", self.path.name if self.path else ""))
        if first:
            self.next_file()
        elif self.preview is not None:  # a header row or sheet that didn't work: back to what was shown
            self._set_header_spin(self.preview.header_row)
        return True

    def _set_header_spin(self, row: int) -> None:
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(row)
        self.header_spin.blockSignals(False)

    def _show_preview(self, preview: Preview, fmt: ImportFormat | None, chosen_header: bool = False) -> None:
        self.preview = preview
        self.format = fmt
        self.sheet = preview.sheet
        self.mapping = dict(preview.mapping)
        self.header_chosen = chosen_header
        self._reset_words()
        self.file_label.setText(Path(preview.file).name)
        self.format_label.setText(self.format_text(preview.format))
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(preview.sheet_names))
        self.sheet_combo.setCurrentText(preview.sheet)
        self.sheet_combo.setEnabled(len(preview.sheet_names) > 1)
        self._set_header_spin(preview.header_row)
        if chosen_header:
            note = self.tr("Header row %1, as you chose it.").replace("%1", str(preview.header_row))
        elif not preview.mapping:
            note = self.tr(
                "No header row recognised; row %1 is shown. Choose the row that holds the column titles."
            ).replace("%1", str(preview.header_row))
        else:
            note = self.tr("Header found in row %1; choose another row if it is wrong.").replace(
                "%1", str(preview.header_row)
            )
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
        self.mapping_table.setColumnWidth(0, min(self.mapping_table.columnWidth(0), 260))
        self.mapping_table.setColumnWidth(2, 190)
        self._refresh_mapping_views()
        self.steps.setCurrentIndex(1)
        self.check_button.setFocus()

    def format_text(self, info: FormatInfo | None) -> str:
        if info is None or info.id == GENERIC_ID:
            return self.tr("Recognised as: any table. Check what each column imports as.")
        if info.is_profile:
            return self.tr("Recognised as: your profile “%1”.").replace("%1", info.title(self.language))
        return self.tr("Recognised as: %1").replace("%1", info.title(self.language))

    def _sheet_chosen(self) -> None:
        self._load_preview(self.sheet_combo.currentText(), None)

    def _header_chosen(self) -> None:
        if self.preview is not None and self.header_spin.value() != self.preview.header_row:
            self._load_preview(self.sheet, self.header_spin.value())

    def _date_order_chosen(self) -> None:
        data = self.date_combo.currentData()
        self.date_order = str(data) if data else None

    def _mapping_changed(self, column: int, combo: QComboBox) -> None:
        field = combo.currentData()
        self.mapping = {name: index for name, index in self.mapping.items() if index != column and name != field}
        if field:
            self.mapping[str(field)] = column
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
        """What the mapping lacks for an import, as the interface names the fields."""
        labels = []
        for name in missing_fields(self.mapping, self.format or generic_format()):
            if name == "amount":
                labels.append(
                    self.tr("%1 (or %2 and %3)")
                    .replace("%1", self.fields["amount"])
                    .replace("%2", self.fields["amount_in"])
                    .replace("%3", self.fields["amount_out"])
                )
            else:
                labels.append(self.fields.get(name, name))
        return labels

    def names_customer(self) -> bool:
        return any(name in self.mapping for name in IDENTITY_FIELDS)

    def _refresh_mapping_views(self) -> None:
        preview = self.preview
        if preview is None:
            return
        by_column = {index: self.fields.get(name, name) for name, index in self.mapping.items()}
        headers = [f"{c.header}\n→ {by_column[c.index]}" if c.index in by_column else c.header for c in preview.columns]
        self.preview_model.set_items(list(preview.rows), headers)
        self.preview_table.resizeColumnsToContents()
        missing = self.missing_fields()
        self.missing_label.setText(
            self.tr("Choose a column for: %1").replace("%1", self._join(missing)) if missing else ""
        )
        self.missing_label.setVisible(bool(missing))
        if self.names_customer():
            self.identity_label.clear()
        else:
            who = self._join([self.fields[name] for name in IDENTITY_FIELDS])
            self.identity_label.setText(
                self.tr(
                    "No column says who the customer is (%1): the import will be refused, as there would be "
                    "nobody to follow up."
                ).replace("%1", who)
            )
        self.identity_label.setVisible(not self.names_customer())
        self.check_button.setEnabled(not missing)

    def options(self, dry_run: bool) -> ImportOptions:
        """What the wizard shows, as the import's options; only what the user corrected is passed as a correction."""
        preview = self.preview
        corrected = self.header_chosen or (preview is not None and self.mapping != preview.mapping)
        words = {name: dict(found) for name, found in self.words.items() if found}
        return ImportOptions(
            sheet=self.sheet,
            mapping=dict(self.mapping) if corrected else None,
            dry_run=dry_run,
            header_row=preview.header_row if preview is not None else None,
            words=words or None,
            date_order=self.date_order,
            imported_by=self.user.name if self.user is not None else None,  # else the OS user
        )

    # --- step 3: check (dry run): rejected rows, warnings, words to map ------------------------------
    def _build_check_step(self) -> QWidget:
        self.check_summary = QLabel()
        self.check_summary.setObjectName("summary")
        self.check_summary.setWordWrap(True)
        headers = [self.tr("Row"), self.tr("Field"), self.tr("Value"), self.tr("Why")]
        self.errors_model = ProblemModel(headers, self._error_cell, self)
        self.errors_table = self._problem_table(self.errors_model)
        self.warnings_model = ProblemModel(headers, self._error_cell, self)
        self.warnings_table = self._problem_table(self.warnings_model)
        self.words_hint = QLabel(
            self.tr(
                "These status or direction words are new. Choose what each one means: the rows are checked "
                "again once every word has a meaning, and the meanings are kept for files like this one."
            )
        )
        self.words_hint.setWordWrap(True)
        self.words_table = QTableWidget(0, 5)
        self.words_table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Word"), self.tr("Means"), self.tr("Rows"), self.tr("Example rows")]
        )
        self.words_table.verticalHeader().setVisible(False)
        self.words_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.words_table.horizontalHeader().setStretchLastSection(True)
        words_page = QWidget()
        words_layout = QVBoxLayout(words_page)
        words_layout.addWidget(self.words_hint)
        words_layout.addWidget(self.words_table, 1)
        self.check_tabs = QTabWidget()
        self.check_tabs.addTab(self.errors_table, "")
        self.check_tabs.addTab(self.warnings_table, "")
        self.check_tabs.addTab(words_page, "")
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
        layout.addWidget(self.check_tabs, 1)
        layout.addLayout(buttons)
        return page

    def _problem_table(self, model: ListTableModel[RowError]) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(False)
        return table

    def _error_cell(self, error: RowError, column: int) -> str:
        field = self.fields.get(error.field_name, error.field)
        return str((error.row, field, error.value, error.text(self.language))[column])

    def _start(self, dry_run: bool, what: str) -> Start:
        """How to start the check (a read: a dry run writes nothing) or the import (a write, which the
        service follows with a rebuild of the queue it marked stale), for `run_with_progress`."""
        path, options = self.path, self.options(dry_run)
        assert path is not None
        session = self.session
        if dry_run:
            return lambda done, failed, progress: session.read(
                what,
                lambda db, p, cancel: import_file(db, path, options, p, cancel),
                done,
                failed=failed,
                progress=progress,
            )
        return lambda done, failed, progress: session.write(
            what,
            lambda db, p, cancel: import_and_rebuild(db, path, options, p, cancel)[0],
            done,
            changes=(Topic.TRANSACTIONS, Topic.TASKS),
            failed=failed,
            progress=progress,
        )

    def check(self, from_words: bool = False) -> None:
        assert self.path is not None
        words = {name: dict(found) for name, found in self.words.items()}
        what = self.tr("Checking the rows")
        self.active_task, _dialog = run_with_progress(
            self,
            self.tr("Check the rows"),
            self.tr("Checking %1…").replace("%1", self.path.name),
            self._start(dry_run=True, what=what),
            lambda result: self._show_check(result, words, from_words),
            self._failed(what),
        )

    def _failed(self, what: str) -> Callable[[BaseException], bool]:
        """Cancel is the user's choice, not an error: say so on the page instead of in a dialog. The import's
        two refusals the user can fix here are said in the interface language, with what to do; any other
        failure gets the session's default handling."""

        def failed(error: BaseException) -> bool:
            if isinstance(error, OperationCancelled):
                self.notice.setText(self.tr("Cancelled: nothing was written."))
            elif isinstance(error, NoCustomerError):
                self.session.crash.show(what, self.no_customer_text(), False)
            elif isinstance(error, UnknownWordsError):
                self._add_words(error.words, error.examples)
                self._show_words()
                self.import_button.setEnabled(False)
                self.steps.setCurrentIndex(2)
                self.check_tabs.setCurrentIndex(2)
                self.session.crash.show(what, self.unknown_words_text(), False)
            else:
                return False
            return True

        return failed

    def no_customer_text(self) -> str:
        who = self._join([self.fields[name] for name in IDENTITY_FIELDS])
        name = self.path.name if self.path else ""
        return (
            self.tr(
                "%1 names no customer: no row has any of %2, so there is nobody to follow up. Nothing was imported.\n\n"
                "Go back to the columns and choose the column that says who the customer is."
            )
            .replace("%1", name)
            .replace("%2", who)
        )

    def unknown_words_text(self) -> str:
        return self.tr(
            "Some status or direction words are new, so nothing was imported. Choose what each one means "
            "under “Words to map”, then import again."
        )

    def counts_text(self, result: ImportResult, done: bool) -> str:
        """What the import did (or would do), a line each, from the message catalogue (plural forms)."""
        language = self.language
        lines = [
            messages.text("import.inserted", language, count=result.inserted)
            if done
            else messages.text("import.insertable", language, count=result.inserted),
            messages.text("import.duplicates", language, count=result.duplicates),
            messages.text("import.rejected", language, count=result.rejected),
            messages.text("import.skipped", language, count=result.skipped),
        ]
        if result.held:
            lines.append(messages.text("import.held", language, count=result.held))
        warnings = len(result.warnings) + result.warnings_not_listed
        if warnings:
            lines.append(messages.text("import.warnings", language, count=warnings))
        lines.append(
            messages.text(
                "import.customers", language, created=result.customers_created, updated=result.customers_updated
            )
        )
        return "\n".join(lines)

    def _show_check(self, result: ImportResult, words: dict[str, dict[str, str]], from_words: bool = False) -> None:
        self.check_result = result
        self.checked_words = words
        self.check_summary.setText(self.counts_text(result, done=False))
        self.errors_model.set_items(list(result.errors))
        self.errors_table.resizeColumnsToContents()
        self.warnings_model.set_items(list(result.warnings))
        self.warnings_table.resizeColumnsToContents()
        self._add_words(result.unknown_words, result.unknown_examples)
        self._show_words()
        self.save_errors_button.setEnabled(result.rejected > 0)
        self._update_import_button()
        self.steps.setCurrentIndex(2)
        if result.unknown_words or from_words:
            self.check_tabs.setCurrentIndex(2)
        elif result.errors or not result.warnings:
            self.check_tabs.setCurrentIndex(0)
        else:
            self.check_tabs.setCurrentIndex(1)
        (self.import_button if self.import_button.isEnabled() else self.check_tabs).setFocus()

    def _update_import_button(self) -> None:
        result = self.check_result
        ready = (
            result is not None
            and result.inserted > 0
            and not result.unknown_words
            and self.words == self.checked_words
            and not self.unmapped_words()
        )
        self.import_button.setEnabled(ready)

    # --- words to map ---------------------------------------------------------------------------------
    def _reset_words(self) -> None:
        self.words = {}
        self.checked_words = {}
        self.word_rows = {}
        self.check_result = None

    def _add_words(self, words: Mapping[str, Mapping[str, int]], examples: Mapping[str, Mapping[str, Any]]) -> None:
        """Words the last check found unknown join the table; words mapped earlier stay in it, to be changed."""
        for name, found in words.items():
            for word, count in found.items():
                rows = tuple(int(row) for row in examples.get(name, {}).get(word, ()))
                self.word_rows[(name, word)] = (count, rows)

    def unmapped_words(self) -> list[WordKey]:
        return [(name, word) for name, word in self.word_rows if word not in self.words.get(name, {})]

    def _show_words(self) -> None:
        keys = list(self.word_rows)
        self.words_table.setRowCount(len(keys))
        for row, (name, word) in enumerate(keys):
            count, examples = self.word_rows[(name, word)]
            cells = {
                WORD_FIELD: self.fields.get(name, name),
                WORD_TEXT: word,
                WORD_ROWS: f"{count:,}",
                WORD_EXAMPLES: self._join([str(n) for n in examples]),
            }
            for column, text in cells.items():
                item = QTableWidgetItem(text)
                if column == WORD_ROWS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.words_table.setItem(row, column, item)
            combo = QComboBox()
            combo.setAccessibleName(self.tr("What “%1” means").replace("%1", word))
            combo.addItem(self.tr("(choose)"), None)
            labels = self.codes.get(name, {})
            for code in CODES.get(name, ()):
                combo.addItem(labels.get(code, code), code)
            combo.setCurrentIndex(max(0, combo.findData(self.words.get(name, {}).get(word))))
            combo.currentIndexChanged.connect(lambda _i, key=(name, word), box=combo: self._word_mapped(key, box))
            self.words_table.setCellWidget(row, WORD_CODE, combo)
        self.words_table.resizeColumnsToContents()
        self.words_table.setColumnWidth(WORD_CODE, max(self.words_table.columnWidth(WORD_CODE), 170))
        self._word_tab_titles()

    def _word_tab_titles(self) -> None:
        result = self.check_result
        errors = result.rejected if result else 0
        warnings = len(result.warnings) + result.warnings_not_listed if result else 0
        self.check_tabs.setTabText(0, self.tr("Rejected rows (%1)").replace("%1", f"{errors:,}"))
        self.check_tabs.setTabText(1, self.tr("Warnings (%1)").replace("%1", f"{warnings:,}"))
        unmapped = len(self.unmapped_words())
        if unmapped or not self.word_rows:
            self.check_tabs.setTabText(2, self.tr("Words to map (%1)").replace("%1", f"{unmapped:,}"))
        else:
            self.check_tabs.setTabText(2, self.tr("Words mapped (%1)").replace("%1", f"{len(self.word_rows):,}"))
        self.check_tabs.setTabVisible(2, bool(self.word_rows))

    def _word_mapped(self, key: WordKey, combo: QComboBox) -> None:
        name, word = key
        code = combo.currentData()
        chosen = self.words.setdefault(name, {})
        if code:
            chosen[word] = str(code)
        else:
            chosen.pop(word, None)
        self.words = {field: found for field, found in self.words.items() if found}
        self._word_tab_titles()
        self._update_import_button()
        if not self.unmapped_words() and self.words != self.checked_words:
            self.check(from_words=True)  # every word has a meaning: check the rows again with them

    def save_errors(self) -> None:
        result, path = self.check_result, self.path
        if result is None or path is None:
            return
        target = self.choose_errors_file(self, path.with_name(f"{path.stem}-errors.xlsx"))
        if target is None:
            return
        self.session.run(
            self.tr("Saving rejected rows"),
            lambda _p, _c: write_rejected_rows(path, result, target),
            lambda rows: self.check_summary.setText(
                self.counts_text(result, done=False)
                + "\n"
                + self.tr("Saved %1 rejected rows to %2").replace("%1", f"{rows:,}").replace("%2", str(target))
            ),
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
        if self._refused("import", self.tr("Import")):
            return
        path = self.path
        corrected = self.options(dry_run=False).corrected
        start = self._start(dry_run=False, what=self.tr("Import"))  # corrections are kept as a profile by the import
        self.active_task, _dialog = run_with_progress(
            self,
            self.tr("Import"),
            self.tr("Importing %1…").replace("%1", path.name),
            start,
            lambda result: self._show_result(result, corrected),
            self._failed(self.tr("Import")),
        )

    def _show_result(self, result: ImportResult, corrected: bool = False) -> None:
        self.result = result
        text = self.counts_text(result, done=True)
        if result.batch_id is not None:
            text += "\n" + self.tr("Batch %1: it can be undone from the import history.").replace(
                "%1", str(result.batch_id)
            )
        if corrected and result.profile:
            text += "\n" + self.tr("Your corrections are kept as the profile “%1” for files like this one.").replace(
                "%1", result.profile
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
        self.format = None
        self._reset_words()
        self.steps.setCurrentIndex(0)
        self.refresh_history()

    def current_step(self) -> int:
        return self.steps.currentIndex()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self.steps.currentIndex() in (1, 2):
            self.steps.setCurrentIndex(self.steps.currentIndex() - 1 if self.steps.currentIndex() == 2 else 0)
            return
        super().keyPressEvent(event)
