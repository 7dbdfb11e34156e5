"""The main window: side navigation, one page per job, and the database in the status bar."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from wallet_crm import __version__
from wallet_crm.db import close_database, current_database, open_database
from wallet_crm.db.connection import describe_target
from wallet_crm.db.status import DatabaseStatus, database_status
from wallet_crm.demo import create_demo_database
from wallet_crm.logging_setup import current_log_file
from wallet_crm.paths import default_demo_db_path
from wallet_crm.preferences import Preferences, save_preferences
from wallet_crm.ui.backup_actions import BackupActions
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.export_dialog import interface_language
from wallet_crm.ui.operations import BackgroundTask, ProgressCallback, TaskRunner
from wallet_crm.ui.pages.customers import CustomersPage
from wallet_crm.ui.pages.feedback import FeedbackPage
from wallet_crm.ui.pages.import_page import ImportPage
from wallet_crm.ui.pages.queue import QueuePage
from wallet_crm.ui.pages.settings import SettingsPage
from wallet_crm.ui.pages.transactions import TransactionsPage
from wallet_crm.ui.pages.welcome import WelcomePage
from wallet_crm.ui.progress import run_with_progress
from wallet_crm.ui.window_size import place_window, saved_geometry

log = logging.getLogger(__name__)
NAV_KEYS = ("import", "queue", "customers", "transactions", "feedback", "settings")


class MainWindow(QMainWindow):
    def __init__(self, db_target: str, preferences: Preferences, crash: CrashHandler) -> None:
        super().__init__()
        self.db_target = db_target
        self.crash = crash
        self.runner = TaskRunner(self)
        self.status: DatabaseStatus | None = None
        self._demo_task: BackgroundTask | None = None
        self.setWindowTitle("wallet-crm")
        self.setMinimumSize(QSize(900, 560))
        self.preferences = preferences
        place_window(self, preferences.window_geometry)

        self.welcome = WelcomePage(preferences, interface_language())
        self.transactions = TransactionsPage(self.runner, crash)
        self.customers = CustomersPage(self.runner, crash)
        self.settings = SettingsPage(preferences, self.runner, crash, interface_language())
        self.importer = ImportPage(self.runner, crash)
        self.queue = QueuePage(self.runner, crash)
        self.feedback = FeedbackPage(self.runner, crash)
        self.feedback.showCustomer.connect(self.open_customer)
        self.feedback.showQueue.connect(lambda _key: self.show_page("queue"))
        self.queue.changed.connect(self.refresh_status)
        self.queue.changed.connect(lambda: self.mark_stale("feedback"))
        self.queue.showCustomer.connect(self.open_customer)
        self.settings.followup.agentsChanged.connect(lambda: self.queue.refresh_agents())
        self.importer.imported.connect(self.data_changed)
        self.importer.showTransactions.connect(lambda: self.show_page("transactions"))
        self.pages: dict[str, QWidget] = {
            "welcome": self.welcome,
            "import": self.importer,
            "queue": self.queue,
            "customers": self.customers,
            "transactions": self.transactions,
            "feedback": self.feedback,
            "settings": self.settings,
        }
        self.stack = QStackedWidget()
        for page in self.pages.values():
            self.stack.addWidget(page)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(168)
        self.nav.setAccessibleName(self.tr("Navigation"))
        nav_labels = {
            "import": self.tr("Import"),
            "queue": self.tr("Follow-up queue"),
            "customers": self.tr("Customers"),
            "transactions": self.tr("Transactions"),
            "feedback": self.tr("Feedback"),
            "settings": self.tr("Settings"),
        }
        for number, key in enumerate(NAV_KEYS, start=1):
            item = QListWidgetItem(nav_labels[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"Ctrl+{number}")
            self.nav.addItem(item)
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, k=key: self.show_page(k))
            self.addAction(action)
        self.nav.currentItemChanged.connect(self._nav_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel()
        self.counts_label = QLabel()
        self.demo_badge = QLabel(self.tr("Demo data"))
        self.demo_badge.setObjectName("demoBadge")
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.demo_badge)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.demo_badge.hide()

        for page in (self.transactions, self.customers, self.feedback):
            page.exported.connect(lambda message: self.statusBar().showMessage(message, 15_000))
        self._refreshers: dict[str, Callable[[], None]] = {
            "transactions": self.transactions.reload,
            "customers": self.customers.reload,
            "import": self.importer.restart,
            "queue": self.queue.load,
            "feedback": self.feedback.load,
            "settings": self.settings.followup.load,
        }
        self._stale: set[str] = set()
        self.backups = BackupActions(
            self, self.runner, crash, preferences, lambda: self.db_target, lambda: self.switch_database(self.db_target)
        )
        self._build_menus()
        self.welcome.importRequested.connect(lambda: self.show_page("import"))
        self.welcome.demoRequested.connect(self.open_demo)

    # --- menus ------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        open_action = file_menu.addAction(self.tr("&Open database…"))
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.choose_database)
        demo_action = file_menu.addAction(self.tr("Open &demo data"))
        demo_action.triggered.connect(self.open_demo)
        file_menu.addSeparator()
        self.backup_action = file_menu.addAction(self.tr("&Back up now…"))
        self.backup_action.triggered.connect(self.backups.back_up_now)
        self.restore_action = file_menu.addAction(self.tr("&Restore from backup…"))
        self.restore_action.triggered.connect(self.backups.restore_from_backup)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("Open the &log folder"), self.open_log_folder)
        help_menu.addAction(self.tr("&About wallet-crm"), self.show_about)

    # --- pages --------------------------------------------------------------------
    def show_page(self, key: str) -> None:
        self.stack.setCurrentWidget(self.pages[key])
        if key in self._stale:  # pages load when first shown, so opening the window stays quick
            self._stale.discard(key)
            self._refreshers[key]()
        if key in NAV_KEYS:
            row = NAV_KEYS.index(key)
            if self.nav.currentRow() != row:
                self.nav.setCurrentRow(row)
        else:
            self.nav.setCurrentRow(-1)
            # Otherwise the nav list takes focus on show and, having no current row, selects the first page.
            self.welcome.import_button.setFocus()

    def current_page_key(self) -> str:
        current = self.stack.currentWidget()
        return next(key for key, page in self.pages.items() if page is current)

    def _nav_changed(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is not None:
            self.show_page(str(item.data(Qt.ItemDataRole.UserRole)))

    # --- database -------------------------------------------------------------------
    def load(self, start_page: str | None = None) -> None:
        """Show the open database: counts, tables, and the welcome page when it is empty; a queue an import
        or undo left stale (its process killed before it rebuilt) is rebuilt in the background."""
        shown = describe_target(self.db_target) if "://" in self.db_target else Path(self.db_target).name
        self.setWindowTitle(f"wallet-crm — {shown}")
        self.db_label.setText(self.tr("Database: %1").replace("%1", describe_target(self.db_target)))
        status = database_status_now()
        self._show_status(status)
        self._stale = set(self._refreshers)
        self.show_page(start_page or ("welcome" if status.transactions == 0 else "transactions"))
        self.queue.catch_up(lambda: self.mark_stale("queue", "feedback"))

    def start_daily_backup(self) -> None:
        """At start: today's automatic backup of the database, off the GUI thread (not of demo data)."""
        if self.status is not None and self.status.is_demo:
            return
        self.backups.start_daily_backup()

    def open_customer(self, customer_id: int, external_id: str) -> None:
        self.show_page("customers")
        self.customers.show_customer(customer_id, external_id)

    def data_changed(self) -> None:
        """An import or undo changed the data: recount and requery the tables."""
        self.refresh_status()
        self.mark_stale("transactions", "customers", "queue", "feedback")

    def mark_stale(self, *keys: str) -> None:
        """These pages show old data: reload the one on screen now, the others when next shown."""
        self._stale.update(keys)
        current = self.current_page_key()
        if current in self._stale:
            self._stale.discard(current)
            self._refreshers[current]()

    def refresh_status(self) -> None:
        self.runner.start(
            lambda _p, _c: database_status_now(), self._show_status, lambda e: self.crash.report(e, self.tr("Counting"))
        )

    def _show_status(self, status: DatabaseStatus) -> None:
        self.status = status
        self.counts_label.setText(
            self.tr("Customers %1 · Transactions %2")
            .replace("%1", f"{status.customers:,}")
            .replace("%2", f"{status.transactions:,}")
        )
        self.demo_badge.setVisible(status.is_demo)
        self.settings.show_database(status.database, status.schema_version, str(current_log_file()))

    def switch_database(self, target: str) -> None:
        """Close the current database and show `target` instead (errors leave the current one open)."""
        try:
            open_database(target, bind=False).close()
        except Exception as error:
            self.crash.report(error, self.tr("Opening the database"))
            return
        close_database()
        open_database(target)
        self.db_target = target
        log.info("switched database")
        self.load()

    def choose_database(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Open database"),
            str(Path(self.db_target).parent),
            self.tr("wallet-crm database (*.sqlite3);;All files (*)"),
        )
        if path:
            self.switch_database(path)

    def open_demo(self) -> None:
        """Open the demo database, creating it (on a worker, with progress and Cancel) the first time."""
        path = default_demo_db_path()
        if path.exists():
            self.switch_database(str(path))
            return

        def work(progress: ProgressCallback, cancel: threading.Event) -> Path:
            return create_demo_database(path, dt.datetime.now(), progress=progress, cancel=cancel).path

        self._demo_task, _dialog = run_with_progress(
            self,
            self.runner,
            self.tr("Demo data"),
            self.tr("Writing demo data…"),
            work,
            lambda result: self.switch_database(str(result)),
            lambda error: self.crash.report(error, self.tr("Writing demo data")),
        )

    # --- help -------------------------------------------------------------------------
    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(current_log_file().parent)))

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About wallet-crm"),
            self.tr("wallet-crm %1\nFollow-up (回访) CRM for digital-wallet operators. Works offline.").replace(
                "%1", __version__
            ),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember_size()
        for task in list(self.runner._running):
            task.cancel()
        self.runner.wait(3000)
        super().closeEvent(event)

    def _remember_size(self) -> None:
        """Keep the window's size and place for the next start (never an error: it is only a preference)."""
        self.preferences.window_geometry = saved_geometry(self)
        try:
            save_preferences(self.preferences)
        except OSError as exc:
            log.warning("could not keep the window size: %s", exc)


def database_status_now() -> DatabaseStatus:
    return database_status(current_database())
