"""The main window: side navigation, one page per job, and the database in the status bar.

When the database has users, nothing shows before a log-in (`login_dialog.py`); the signed-in `user` is
handed to the pages, and what the role may not use is disabled with the role it needs as tooltip. After
the minutes of the idle lock without input the window covers its pages and asks the same user's password
(the pages keep what was typed); File → Sign out covers them and asks anyone to sign in. Opening another
database with users asks again; cancelling that keeps the one shown.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import Database
from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wallet_crm import __version__
from wallet_crm.accounts.roles import RoleRequired
from wallet_crm.accounts.users import User, active_user, list_users, users_exist
from wallet_crm.db import open_database
from wallet_crm.db.connection import describe_target
from wallet_crm.db.status import DatabaseStatus, database_status
from wallet_crm.demo import create_demo_database
from wallet_crm.logging_setup import current_log_file
from wallet_crm.paths import default_demo_db_path
from wallet_crm.preferences import Preferences, save_preferences
from wallet_crm.ui.access import allowed, gate, needs_role_text, refused, signed_in_text
from wallet_crm.ui.backup_actions import BackupActions
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.export_dialog import interface_language
from wallet_crm.ui.idle_lock import IdleWatcher
from wallet_crm.ui.login_dialog import LoginDialog
from wallet_crm.ui.operations import BackgroundTask, ProgressCallback, TaskRunner
from wallet_crm.ui.pages.customers import CustomersPage
from wallet_crm.ui.pages.feedback import FeedbackPage
from wallet_crm.ui.pages.import_page import ImportPage
from wallet_crm.ui.pages.queue import QueuePage
from wallet_crm.ui.pages.settings import SettingsPage
from wallet_crm.ui.pages.transactions import TransactionsPage
from wallet_crm.ui.pages.welcome import WelcomePage
from wallet_crm.ui.progress import run_with_progress
from wallet_crm.ui.session import Session, Topic
from wallet_crm.ui.window_size import place_window, saved_geometry

log = logging.getLogger(__name__)
NAV_KEYS = ("import", "queue", "customers", "transactions", "feedback", "settings")
# The pages a role below some level may not open, and the action each needs (Settings shows each role
# what it may change; customers and transactions are everybody's to browse).
PAGE_ACTIONS = {"import": "import", "queue": "queue.view", "feedback": "report"}


def shown_name(target: str) -> str:
    """The database as the title bar and the log-in name it: the file name, or the server and database."""
    return describe_target(target) if "://" in target else Path(target).name


class LockCover(QWidget):
    """What the window shows instead of its pages while it is locked or nobody is signed in."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # the stylesheet's background
        self.title = QLabel()
        self.title.setObjectName("coverTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setObjectName("coverText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        # In the upper part: the log-in or unlock dialog shows in the middle, over the window.
        layout.addSpacing(48)
        layout.addWidget(self.title)
        layout.addSpacing(8)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def say(self, title: str, text: str) -> None:
        self.title.setText(title)
        self.text.setText(text)


class MainWindow(QMainWindow):
    signInCancelled = Signal()  # the log-in at start was cancelled: the app ends

    def __init__(self, db_target: str, preferences: Preferences, crash: CrashHandler, db: Database) -> None:
        super().__init__()
        self.db_target = db_target
        self.crash = crash
        self.runner = TaskRunner(self)
        # The pages reach the database (`db`, opened from `db_target`) only through the session.
        self.session = Session(self.runner, crash, parent=self)
        self.session.set_database(db)
        self.session.changed.connect(self._changed)
        self.locked = False  # the idle lock covers the pages
        self.signed_out = False  # File → Sign out covers the pages until somebody signs in
        self.login_dialog: LoginDialog | None = None  # the log-in or unlock on screen
        self._focus_before_lock: QWidget | None = None
        self.idle = IdleWatcher(self)
        self.idle.set_minutes(preferences.idle_lock_minutes)
        self.idle.idle.connect(self.lock)
        self.status: DatabaseStatus | None = None
        self._demo_task: BackgroundTask | None = None
        self.setWindowTitle("wallet-crm")
        self.setMinimumSize(QSize(900, 560))
        self.preferences = preferences
        place_window(self, preferences.window_geometry)

        self.welcome = WelcomePage(preferences, interface_language())
        self.transactions = TransactionsPage(self.session)
        self.customers = CustomersPage(self.session)
        self.settings = SettingsPage(preferences, self.session, interface_language())
        self.importer = ImportPage(self.session)
        self.queue = QueuePage(self.session)
        self.feedback = FeedbackPage(self.session)
        self.feedback.showCustomer.connect(self.open_customer)
        self.feedback.showQueue.connect(lambda _key: self.show_page("queue"))
        self.queue.showCustomer.connect(self.open_customer)
        self.settings.users.signedIn.connect(self.apply_user)
        self.settings.users.idleMinutesChanged.connect(self.idle.set_minutes)
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

        self.content = QWidget()
        layout = QHBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.cover = LockCover()
        self.root = QStackedWidget()  # the pages, or the cover over them (they keep what was typed)
        self.root.addWidget(self.content)
        self.root.addWidget(self.cover)
        self.setCentralWidget(self.root)

        self.db_label = QLabel()
        self.counts_label = QLabel()
        self.demo_badge = QLabel(self.tr("Demo data"))
        self.demo_badge.setObjectName("demoBadge")
        self.user_label = QLabel()
        self.user_label.hide()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)
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
            "settings": self.settings.load,
        }
        self._stale: set[str] = set()
        self.backups = BackupActions(self, self.session, preferences, lambda: self.db_target, self.reopen_database)
        self._build_menus()
        self.welcome.importRequested.connect(lambda: self.show_page("import"))
        self.welcome.demoRequested.connect(self.open_demo)

    # --- menus ------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.setToolTipsVisible(True)  # a disabled action says which role it needs
        open_action = file_menu.addAction(self.tr("&Open database…"))
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.choose_database)
        demo_action = file_menu.addAction(self.tr("Open &demo data"))
        demo_action.triggered.connect(self.open_demo)
        file_menu.addSeparator()
        self.backup_action = file_menu.addAction(self.tr("&Back up now…"))
        self.backup_action.triggered.connect(lambda: self._if_allowed("backup", self.backups.back_up_now))
        self.restore_action = file_menu.addAction(self.tr("&Restore from backup…"))
        self.restore_action.triggered.connect(lambda: self._if_allowed("backup", self.backups.restore_from_backup))
        file_menu.addSeparator()
        self.lock_action = file_menu.addAction(self.tr("&Lock now"))
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.sign_out_action = file_menu.addAction(self.tr("Sign &out"))
        self.sign_out_action.triggered.connect(self.sign_out)
        for action in (self.lock_action, self.sign_out_action):
            action.setEnabled(False)  # until somebody signs in
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("Open the &log folder"), self.open_log_folder)
        help_menu.addAction(self.tr("&About wallet-crm"), self.show_about)

    def _if_allowed(self, action: str, then: Callable[[], object]) -> None:
        """Run `then` if the signed-in user's role allows `action`; else say why in the status bar."""
        if not refused(self.user, action, lambda text: self.statusBar().showMessage(text, 10_000)):
            then()

    # --- pages --------------------------------------------------------------------
    def may_open(self, key: str) -> bool:
        action = PAGE_ACTIONS.get(key)
        return action is None or allowed(self.user, action)

    def show_page(self, key: str) -> None:
        if not self.may_open(key):  # a shortcut to a page the role may not open: say why, stay
            assert self.user is not None
            error = RoleRequired(PAGE_ACTIONS[key], self.user.name, self.user.role)
            self.statusBar().showMessage(error.text(interface_language()), 10_000)
            current = self.current_page_key()
            self.nav.setCurrentRow(NAV_KEYS.index(current) if current in NAV_KEYS else -1)
            return
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
        self.setWindowTitle(f"wallet-crm — {shown_name(self.db_target)}")
        self.db_label.setText(self.tr("Database: %1").replace("%1", describe_target(self.db_target)))
        status = database_status(self.session.db)
        self._show_status(status)
        self._stale = set(self._refreshers)
        if start_page is None or not self.may_open(start_page):
            if not allowed(self.user, "import"):
                start_page = "queue"  # an agent's work (the welcome page offers imports)
            else:
                start_page = "welcome" if status.transactions == 0 else "transactions"
        self.show_page(start_page)
        self.queue.catch_up()  # a rebuild marks the pages that show tasks stale, as any write does

    def start_daily_backup(self) -> None:
        """At start: today's automatic backup of the database, off the GUI thread (not of demo data)."""
        if self.status is not None and self.status.is_demo:
            return
        self.backups.start_daily_backup()

    def open_customer(self, customer_id: int, external_id: str) -> None:
        self.show_page("customers")
        self.customers.show_customer(customer_id, external_id)

    def _changed(self, topics: frozenset[Topic]) -> None:
        """A write changed what some pages show: recount, and reload those pages (the one on screen now)."""
        stale: set[str] = set()
        if Topic.TRANSACTIONS in topics:
            stale |= {"transactions", "customers", "queue", "feedback"}
        if Topic.OUTCOMES in topics or Topic.TASKS in topics:
            stale.add("feedback")
        if Topic.TASKS in topics and self.current_page_key() != "queue":  # the queue page reloads what it did
            stale.add("queue")
        if Topic.AGENTS in topics:
            self.queue.refresh_agents()
        if topics & {Topic.TRANSACTIONS, Topic.OUTCOMES}:
            self.refresh_status()
        self.mark_stale(*stale)

    def mark_stale(self, *keys: str) -> None:
        """These pages show old data: reload the one on screen now, the others when next shown."""
        self._stale.update(keys)
        current = self.current_page_key()
        if current in self._stale:
            self._stale.discard(current)
            self._refreshers[current]()

    def refresh_status(self) -> None:
        self.session.read(self.tr("Counting"), lambda db, _p, _c: database_status(db), self._show_status)

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
        """Close the current database and show `target` instead (errors leave the current one open); when
        `target` has users, somebody signs in first, and cancelling keeps the database shown now."""
        try:
            probe = open_database(target, bind=False)
            try:
                needs_sign_in = users_exist(probe)
            except BaseException:
                probe.close()
                raise
        except Exception as error:
            self.session.report(error, self.tr("Opening the database"))
            return
        if not needs_sign_in:
            probe.close()
            self._open(target, None)
            return

        def signed_in(user: User) -> None:
            probe.close()
            self._open(target, user)

        self.ask_sign_in(probe, target, signed_in, probe.close, self.tr("Cancel"))

    def _open(self, target: str, user: User | None) -> None:
        self.session.close_connection()
        self.session.set_database(open_database(target))
        self.db_target = target
        log.info("switched database")
        self.apply_user(user)
        self.load()

    def reopen_database(self) -> None:
        """After a restore (or a refused one): show the database again. The signed-in user stays signed in if
        they are still a user there (with the role it gives them now); else somebody signs in."""
        self.session.close_connection()
        try:
            db = open_database(self.db_target)
        except Exception as error:
            self.session.set_database(None)
            self.session.report(error, self.tr("Opening the database"))
            return
        self.session.set_database(db)
        user = active_user(db, self.user.id) if self.user is not None else None
        if user is None and users_exist(db):
            self.load()
            self.sign_out(force=True)
            return
        self.apply_user(user)
        self.load()

    # --- signing in -------------------------------------------------------------------
    def start(self, start_page: str | None = None, ready: Callable[[], None] | None = None) -> None:
        """At start: sign in when the database has users, then load and show the window and call `ready`;
        a cancelled log-in emits `signInCancelled` and the window never shows."""

        def go(user: User | None) -> None:
            self.apply_user(user)
            self.load(start_page)
            self.show()
            if ready is not None:
                ready()

        db = self.session.db
        if not users_exist(db):
            go(None)
            return
        self.ask_sign_in(db, self.db_target, go, self.signInCancelled.emit)

    def ask_sign_in(
        self,
        db: Database,
        target: str,
        on_user: Callable[[User], None],
        on_cancel: Callable[[], object],
        cancel_text: str | None = None,
    ) -> LoginDialog:
        """The log-in for `db` (not blocking: the answer comes to `on_user` or `on_cancel`)."""
        names = [row.name for row in list_users(db) if row.active]
        dialog = LoginDialog(self, db, shown_name(target), names, self.session, cancel_text=cancel_text)
        self.login_dialog = dialog

        def finished(result: int) -> None:
            if self.login_dialog is dialog:
                self.login_dialog = None
            dialog.deleteLater()
            if result == LoginDialog.DialogCode.Accepted and dialog.user is not None:
                on_user(dialog.user)
            else:
                on_cancel()

        dialog.finished.connect(finished)
        dialog.open()
        dialog.activateWindow()  # the keyboard goes to the log-in
        return dialog

    @property
    def user(self) -> User | None:
        """Signed in (None while the database has no users): the session's, which the pages' work names."""
        return self.session.user

    def apply_user(self, user: User | None) -> None:
        """Show what `user`'s role may use (None: a database without users, everything)."""
        self.session.user = user
        for row, key in enumerate(NAV_KEYS):
            item = self.nav.item(row)
            ok = self.may_open(key)
            flags = item.flags()
            on = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            item.setFlags(flags | on if ok else flags & ~on)
            item.setToolTip(f"Ctrl+{row + 1}" if ok else f"{needs_role_text(PAGE_ACTIONS[key])} (Ctrl+{row + 1})")
        for action in (self.backup_action, self.restore_action):
            gate(action, user, "backup")
        for action in (self.lock_action, self.sign_out_action):
            action.setEnabled(user is not None)
        self.user_label.setText(signed_in_text(user) if user is not None else "")
        self.user_label.setVisible(user is not None)
        self.welcome.set_user(user)
        self.importer.set_user(user)
        self.queue.set_user(user)
        self.transactions.set_user(user)
        self.customers.set_user(user)
        self.feedback.set_user(user)
        self.settings.set_user(user)
        if user is None:
            self.idle.stop()
        elif not self.locked:
            self.idle.start()
        if not self.may_open(self.current_page_key()):
            self.show_page("queue")

    def _cover(self, title: str, text: str) -> None:
        self._focus_before_lock = QApplication.focusWidget() if self.root.currentWidget() is self.content else None
        self.cover.say(title, text)
        self.root.setCurrentWidget(self.cover)
        self.menuBar().setEnabled(False)

    def _uncover(self) -> None:
        self.root.setCurrentWidget(self.content)
        self.menuBar().setEnabled(True)
        focus, self._focus_before_lock = self._focus_before_lock, None
        if focus is not None and focus.isVisible():
            focus.setFocus()

    def lock(self) -> None:
        """Cover the pages and ask the signed-in user's password again; what was typed stays."""
        if self.user is None or self.locked or self.signed_out or not self.isVisible():
            return
        user = self.user
        self.locked = True
        self.idle.stop()
        self._cover(self.tr("Locked"), self.tr("The pages stay hidden until the password is typed."))
        dialog = LoginDialog(self, self.session.db, shown_name(self.db_target), [], self.session, locked_user=user)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)  # above any other dialog left open
        self.login_dialog = dialog

        def finished(result: int) -> None:
            if self.login_dialog is dialog:
                self.login_dialog = None
            dialog.deleteLater()
            if result == LoginDialog.DialogCode.Accepted and self.locked:
                self.locked = False
                self._uncover()
                self.idle.start()

        dialog.finished.connect(finished)
        dialog.signOutRequested.connect(self.sign_out)
        dialog.show()
        dialog.activateWindow()

    def sign_out(self, force: bool = False) -> None:
        """Cover the pages and ask anybody to sign in; cancelling ends the app. The next user starts afresh."""
        if (self.user is None and not force) or self.signed_out:
            return
        self.signed_out = True
        self.locked = False
        self.idle.stop()
        if self.root.currentWidget() is not self.cover:
            self._cover(self.tr("Signed out"), self.tr("Sign in to go on."))
        else:
            self.cover.say(self.tr("Signed out"), self.tr("Sign in to go on."))
        self._focus_before_lock = None
        log.info("signed out")

        def signed_in(user: User) -> None:
            self.signed_out = False
            self.apply_user(user)
            self._uncover()
            self.load()  # another person: the pages start afresh

        self.ask_sign_in(self.session.db, self.db_target, signed_in, self.close)

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

        what = self.tr("Writing demo data")
        self._demo_task, _dialog = run_with_progress(
            self,
            self.tr("Demo data"),
            self.tr("Writing demo data…"),
            lambda done, failed, progress: self.session.run(what, work, done, failed=failed, progress=progress),
            lambda result: self.switch_database(str(result)),
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
        self.idle.stop()  # a closed window never locks
        self._remember_size()
        for task in list(self.runner._running):
            task.cancel()
        self.session.wait(3000)
        super().closeEvent(event)

    def _remember_size(self) -> None:
        """Keep the window's size and place for the next start (never an error: it is only a preference)."""
        self.preferences.window_geometry = saved_geometry(self)
        try:
            save_preferences(self.preferences)
        except OSError as exc:
            log.warning("could not keep the window size: %s", exc)
