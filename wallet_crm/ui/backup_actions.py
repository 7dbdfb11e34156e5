"""File → Back up now… and Restore from backup…, and the daily backup when the app starts.

The copies run through the window's session (`wallet_crm.db.backup` does the work, Qt-free); a progress
dialog appears when they pass half a second. A restore asks first, closes this window's connection (the
file is replaced under it), and the window reopens the database afterwards, restored or not.
The dialogs are module functions a test can replace.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from wallet_crm.db.backup import (
    AutoBackupResult,
    BackupResult,
    RestoreResult,
    auto_backup,
    backup,
    backup_name,
    restore,
    sqlite_file,
)
from wallet_crm.db.target import is_postgres_url
from wallet_crm.errors import KnownError, OperationCancelled
from wallet_crm.preferences import Preferences, backup_folder
from wallet_crm.ui.export_dialog import interface_language
from wallet_crm.ui.operations import BackgroundTask, ProgressCallback
from wallet_crm.ui.progress import run_with_progress
from wallet_crm.ui.session import Session

log = logging.getLogger(__name__)
STATUS_MESSAGE_MS = 15_000


def _file_filter() -> str:
    return QCoreApplication.translate("BackupActions", "wallet-crm backup (*.sqlite3 *.bak);;All files (*)")


def pick_backup_file(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("BackupActions", "Back up the database"), str(suggested), _file_filter()
    )
    return Path(name) if name else None


def pick_restore_file(parent: QWidget, folder: Path) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(
        parent, QCoreApplication.translate("BackupActions", "Restore from a backup"), str(folder), _file_filter()
    )
    return Path(name) if name else None


def confirm_restore(parent: QWidget, source: Path, database: Path) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("BackupActions", "Restore from a backup"),
        QCoreApplication.translate("BackupActions", "Replace the database with this backup?"),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "BackupActions",
            "Backup: %1\nDatabase: %2\n\nEverything written since the backup was made is replaced. "
            "The current database is kept beside it as a .bak file.",
        )
        .replace("%1", str(source))
        .replace("%2", str(database))
    )
    restore_button = box.addButton(
        QCoreApplication.translate("BackupActions", "Restore"), QMessageBox.ButtonRole.DestructiveRole
    )
    cancel_button = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel_button)
    box.exec()
    return box.clickedButton() is restore_button


def tell(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


class BackupActions(QObject):
    """The backup and restore actions of one main window."""

    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        preferences: Preferences,
        database: Callable[[], str],
        reopen: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.preferences = preferences
        self.database = database  # the target the window shows now
        self.reopen = reopen  # open `database()` again and show it
        self.task: BackgroundTask | None = None
        self.daily_task: BackgroundTask | None = None

    def _status(self, text: str, timeout: int = STATUS_MESSAGE_MS) -> None:
        self.window.statusBar().showMessage(text, timeout)

    def _postgres(self, title: str) -> bool:
        """Say so and return True when the window shows a PostgreSQL database (pg_dump backs it up)."""
        target = self.database()
        if not is_postgres_url(target):
            return False
        try:
            sqlite_file(target)
        except KnownError as error:
            self.session.report(error, title)
        return True

    # --- back up now ------------------------------------------------------------------------------
    def back_up_now(self) -> None:
        title = self.tr("Back up")
        if self._postgres(title):
            return
        path = sqlite_file(self.database())
        folder = backup_folder(self.preferences)
        suggested = folder / backup_name(path, at=dt.datetime.now())
        chosen = pick_backup_file(self.window, suggested)
        if chosen is None:
            return

        def work(progress: ProgressCallback, cancel: threading.Event) -> BackupResult:
            return backup(path, chosen, progress, cancel)

        def done(result: BackupResult) -> None:
            self._status(self.tr("Backup saved: %1").replace("%1", str(result.path)))

        self.task, _dialog = run_with_progress(
            self.window,
            title,
            self.tr("Backing up the database…"),
            lambda ok, failed, progress: self.session.run(title, work, ok, failed=failed, progress=progress),
            done,
            self._failed,
        )

    # --- restore ------------------------------------------------------------------------------------
    def restore_from_backup(self) -> None:
        title = self.tr("Restore")
        if self._postgres(title):
            return
        if self.session.runner.busy():
            tell(
                self.window,
                title,
                self.tr("Other work is still running (an import, an export, a backup…): restore when it has finished."),
            )
            return
        path = sqlite_file(self.database())
        source = pick_restore_file(self.window, backup_folder(self.preferences))
        if source is None or not confirm_restore(self.window, source, path):
            return
        self.session.close_connection()  # the file is replaced under this window's connection
        gc.collect()  # and under any a finished task dropped but Python has not freed yet

        def work(progress: ProgressCallback, cancel: threading.Event) -> RestoreResult:
            return restore(source, path, progress, cancel)

        def done(result: RestoreResult) -> None:
            self.reopen()
            kept = (
                self.tr("The previous database is kept as %1.").replace("%1", str(result.previous))
                if result.previous is not None
                else ""
            )
            text = self.tr("Restored from %1.").replace("%1", str(result.source))
            self._status(f"{text} {kept}".strip())
            tell(self.window, title, f"{text}\n{kept}".strip())

        def failed(error: BaseException) -> bool:
            self.reopen()  # as it was: a refused or failed restore changes nothing
            return self._failed(error)

        self.task, _dialog = run_with_progress(
            self.window,
            title,
            self.tr("Restoring the database…"),
            lambda ok, bad, progress: self.session.run(title, work, ok, failed=bad, progress=progress),
            done,
            failed,
        )

    def _failed(self, error: BaseException) -> bool:
        """A cancel is said in the status bar; anything else gets the default handling."""
        if isinstance(error, OperationCancelled):
            self._status(error.text(interface_language()))
            return True
        return False

    # --- the daily backup ---------------------------------------------------------------------------
    def start_daily_backup(self, today: dt.date | None = None) -> BackgroundTask | None:
        """Today's backup of a SQLite database, made off the GUI thread unless it exists (then pruning)."""
        target = self.database()
        if is_postgres_url(target):
            return None
        folder = backup_folder(self.preferences)
        day = today or dt.date.today()

        def work(_progress: ProgressCallback, cancel: threading.Event) -> AutoBackupResult:
            return auto_backup(target, folder, day, cancel=cancel)

        def done(result: AutoBackupResult) -> None:
            if result.made:
                self._status(self.tr("Daily backup saved: %1").replace("%1", str(result.path)), 10_000)

        def failed(error: BaseException) -> bool:
            if isinstance(error, OperationCancelled):
                return True
            if isinstance(error, KnownError):  # a full disk, a folder that can't be written...: say it, go on
                log.warning("daily backup failed: %s", error)
                failed_text = self.tr("The daily backup failed: %1").replace("%1", error.text(interface_language()))
                self._status(failed_text, 30_000)
                return True
            return False

        self.daily_task = self.session.run(self.tr("Daily backup"), work, done, failed=failed)
        return self.daily_task
