"""Unexpected errors in the GUI: log the traceback, tell the user what failed and where the log is.

The app keeps running: Qt calls our slots from its event loop, and an exception that escapes one
lands here instead of ending the process. A database failure the user can act on (busy, read-only, disk
full...: `wallet_crm.db.errors`) is not a bug: it is shown as a notice with its one sentence.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QMessageBox, QWidget

from wallet_crm.db.errors import classify_database_error
from wallet_crm.errors import KnownError
from wallet_crm.logging_setup import current_log_file

log = logging.getLogger(__name__)
ShowDialog = Callable[[str, str, bool], None]


def show_message_box(title: str, text: str, is_bug: bool) -> None:
    parent = QCoreApplication.instance()
    window = parent.activeWindow() if parent is not None and hasattr(parent, "activeWindow") else None
    box = QMessageBox(QMessageBox.Icon.Critical if is_bug else QMessageBox.Icon.Warning, title, text)
    if isinstance(window, QWidget):
        box.setParent(window, box.windowFlags())
    box.exec()


def describe_error(error: BaseException, what: str, database: str | None = None) -> tuple[str, str, bool]:
    """Title, text and whether it is a bug, for an error that stopped `what` (`database`: the name of the
    database the window shows, for a database error's sentence)."""
    language = "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"
    if isinstance(error, KnownError):  # in the window's language where the catalogue has its words
        return what, error.text(language), False
    known = classify_database_error(error, database)
    if known is not None:
        log.warning("%s failed: database error (%s) [%s: %s]", what, known.code, type(error).__name__, error)
        return what, known.text(language), False
    text = QCoreApplication.translate(
        "Crash", "{what} failed because of an unexpected error ({kind}).\n\nThe details are in the log:\n{log}"
    ).format(what=what, kind=type(error).__name__, log=current_log_file())
    return QCoreApplication.translate("Crash", "Unexpected error"), text, True


class CrashHandler:
    """Replaces `sys.excepthook` while the GUI runs; `show` is swappable for tests."""

    def __init__(self, show: ShowDialog = show_message_box) -> None:
        self.show = show
        self.shown_database: Callable[[], str | None] = lambda: None  # set by the window's session
        self._showing = False
        self.previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self.handle_thread

    def uninstall(self) -> None:
        sys.excepthook = self.previous

    def report(self, error: BaseException, what: str) -> None:
        """Show an error from an action or a background task (logged first when it is a bug)."""
        self.present(error, what, *describe_error(error, what, self.shown_database()))

    def present(self, error: BaseException, what: str, title: str, text: str, is_bug: bool) -> None:
        """Show an error `describe_error` has described (a bug logged first with its traceback)."""
        if is_bug:
            log.error("%s failed", what, exc_info=(type(error), error, error.__traceback__))
        if self._showing:
            return
        self._showing = True
        try:
            self.show(title, text, is_bug)
        finally:
            self._showing = False

    def handle(self, kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        error.__traceback__ = traceback
        self.report(error, QCoreApplication.translate("Crash", "An action"))

    def handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.error("thread %s crashed", args.thread, exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
