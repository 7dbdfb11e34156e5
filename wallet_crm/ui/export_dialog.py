"""Ask where to save an export and whether to include full phone numbers (masked by default)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import Database
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wallet_crm.exports.service import run_export
from wallet_crm.exports.workbook import ExportResult
from wallet_crm.ui.operations import ProgressCallback
from wallet_crm.ui.progress import run_with_progress
from wallet_crm.ui.session import Session


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    full_phone: bool


def interface_language() -> str:
    """`zh_CN` or `en`, as installed by `install_language` (exports follow the interface)."""
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"


class ExportDialog(QDialog):
    def __init__(self, parent: QWidget | None, suggested: Path, rows: int | None) -> None:
        """`rows` None: a report of figures, which holds no phone numbers to ask about."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export to Excel"))
        self.setMinimumWidth(520)
        summary = QLabel(
            self.tr("The report on screen, with its charts.")
            if rows is None
            else self.tr("%1 rows, as the table shows them now.").replace("%1", f"{rows:,}")
        )
        self.path_edit = QLineEdit(str(suggested))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.full_phone = QCheckBox(self.tr("Include full phone numbers (this choice is recorded)"))
        hint = QLabel(self.tr("Without it, numbers are masked like 138****8000."))
        hint.setObjectName("hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(row)
        layout.addWidget(self.full_phone)
        layout.addWidget(hint)
        self.full_phone.setVisible(rows is not None)
        hint.setVisible(rows is not None)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export to Excel"), self.path_edit.text(), "Excel (*.xlsx)"
        )
        if path:
            self.path_edit.setText(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def _accept(self) -> None:
        text = self.path_edit.text().strip()
        if not text.lower().endswith(".xlsx"):
            self.error.setText(self.tr("The file name must end in .xlsx."))
            return
        if Path(text).is_dir():
            self.error.setText(self.tr("That is a folder; add a file name."))
            return
        self.accept()

    def choice(self) -> ExportChoice:
        return ExportChoice(Path(self.path_edit.text().strip()).expanduser(), self.full_phone.isChecked())


def ask_export(parent: QWidget, suggested: Path, rows: int | None) -> ExportChoice | None:
    """Show the dialog; None when cancelled. Tests replace this function on the page."""
    dialog = ExportDialog(parent, suggested, rows)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def export_in_background(
    parent: QWidget,
    session: Session,
    kind: str,
    choice: ExportChoice,
    query: object,
    on_done: Callable[[ExportResult], None],
) -> None:
    """Write the export on a worker, with progress and Cancel (a cancelled export leaves no file). It runs as a
    read, beside the session's writes: a long export must not hold up the next customer or an outcome behind
    it; its one write, the short record of the export at the end, waits for the lock as any connection does."""
    language = interface_language()
    by = session.user.name if session.user is not None else None

    def work(db: Database, progress: ProgressCallback, cancel: threading.Event) -> Any:
        return run_export(db, kind, choice.path, query, language, choice.full_phone, progress, cancel, by)

    title = QCoreApplication.translate("ExportDialog", "Export to Excel")
    run_with_progress(
        parent,
        title,
        QCoreApplication.translate("ExportDialog", "Writing %1…").replace("%1", choice.path.name),
        lambda done, failed, progress: session.read(title, work, done, failed=failed, progress=progress),
        on_done,
    )


def exported_message(result: ExportResult) -> str:
    return (
        QCoreApplication.translate("ExportDialog", "Exported %1 rows to %2")
        .replace("%1", f"{result.rows:,}")
        .replace("%2", str(result.path))
    )
