"""Start the GUI: application object, language, style, crash handler, database and main window."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from wallet_crm import __version__
from wallet_crm.db import open_database
from wallet_crm.errors import KnownError
from wallet_crm.exports import clean_export_leftovers
from wallet_crm.preferences import load_preferences, resolve_language
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.i18n import install_language
from wallet_crm.ui.icon import app_icon
from wallet_crm.ui.main_window import MainWindow
from wallet_crm.ui.startup_report import report_when_ready
from wallet_crm.ui.style import apply_style

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GuiOptions:
    db_target: str
    language: str | None = None
    screenshot: Path | None = None
    page: str | None = None
    quit_after_ms: int | None = None
    report_startup: bool = False


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("wallet-crm")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("wallet-crm")  # Wayland matches the window to wallet-crm.desktop (the .deb's)
    return app


def prepare(app: QApplication, language_choice: str | None) -> str:
    """Install language and style; returns the language in use."""
    preferences = load_preferences()
    language = resolve_language(language_choice or preferences.language, QLocale.system().name())
    install_language(app, language)
    apply_style(app)
    return language


def run_gui(options: GuiOptions) -> int:
    app = make_application()
    language = prepare(app, options.language)
    crash = CrashHandler()
    crash.install()
    try:
        db = open_database(options.db_target)
    except KnownError as error:
        QMessageBox.critical(None, "wallet-crm", error.text(language))
        return 2
    clean_export_leftovers()  # temporary and half-written files of exports killed in an earlier run
    window = MainWindow(options.db_target, load_preferences(), crash, db)
    window.signInCancelled.connect(app.quit)

    def ready() -> None:
        """Signed in (or no users): the window shows the database."""
        window.start_daily_backup()
        log.info("GUI started (wallet-crm %s)", __version__)
        if options.report_startup:
            report_when_ready(window, window.stack.currentWidget())

    window.start(options.page, ready)  # asks for a log-in first when the database has users
    if options.screenshot is not None:
        shot = options.screenshot
        QTimer.singleShot(max(0, (options.quit_after_ms or 1500) - 200), lambda: save_screenshot(window, shot))
    if options.quit_after_ms is not None or options.screenshot is not None:
        QTimer.singleShot(options.quit_after_ms or 1500, lambda: quit_now(window))
    code = app.exec()
    crash.uninstall()
    return int(code)


def save_screenshot(window: MainWindow, path: Path) -> None:
    """The window; while a dialog is up over it (the log-in, the lock), the screen where both show; the
    log-in alone before the window shows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    dialog = window.login_dialog
    if dialog is not None and dialog.isVisible() and not window.isVisible():
        dialog.grab().save(str(path))
        return
    if dialog is not None and dialog.isVisible():
        screen = window.screen()
        frame = window.frameGeometry().united(dialog.frameGeometry())
        shot = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        if not shot.isNull():  # null where the platform can't read the screen (offscreen)
            shot.save(str(path))
            return
    window.grab().save(str(path))


def quit_now(window: MainWindow) -> None:
    """--quit-after: close the window (it keeps its size), and end a log-in still waiting for an answer."""
    if window.isVisible():
        window.close()
    QApplication.quit()
