"""What a page needs to reach the database, in one object: the database shown, the clock, and the runner
that does the work off the GUI thread (who is signed in reaches the pages through `set_user`).

Pages never find a database themselves (no global): they ask the session to `read` or `write`, and the
work gets the database as its first argument, the one shown when it was asked for (a switch of database
meanwhile does not redirect it). Writes go through one writer thread, one after another, so two of this
window's writes never wait on each other's lock; reads run beside them. A failure that is not the page's
own business gets the default handling here: a database error a user can act on (busy, read-only, disk
full...) or any `KnownError` is said on the page's message line when it gave one (else shown as a notice),
anything else is a bug for the crash dialog. A write that succeeded tells every listener what it changed
(`changed`, a set of `Topic`s), so the window marks the pages that show it stale instead of each page
knowing who else shows its data.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

from peewee import Database
from PySide6.QtCore import QObject, QThreadPool, Signal

from wallet_crm.accounts.users import User
from wallet_crm.db.target import database_label
from wallet_crm.errors import KnownError
from wallet_crm.ui.crash import CrashHandler, describe_error
from wallet_crm.ui.operations import BackgroundTask, OnFailure, ProgressCallback, TaskRunner, Work

DbWork = Callable[[Database, ProgressCallback, threading.Event], Any]
Say = Callable[[str], None]


class Topic(StrEnum):
    """What a write changed, so pages showing it know to reload."""

    TRANSACTIONS = "transactions"  # an import or an undo: transactions, customers and what follows from them
    OUTCOMES = "outcomes"  # a call logged: the feedback figures and the counts
    TASKS = "tasks"  # the queue rebuilt or assigned
    AGENTS = "agents"  # agents or users added, renamed, (de)activated
    SETTINGS = "settings"  # rules, import settings


class NoDatabaseOpen(KnownError):
    """A page asked for the database before one was opened (or after it was closed)."""


class Session(QObject):
    """The window's database, signed-in user and clock, and the one way its pages run work on the database."""

    changed = Signal(object)  # frozenset[Topic]: what a finished write changed

    def __init__(
        self,
        runner: TaskRunner,
        crash: CrashHandler,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.crash = crash
        self.clock = clock
        self._db: Database | None = None
        self.user: User | None = None  # signed in (None: a database without users); the window sets it
        self.writer = QThreadPool(self)
        self.writer.setMaxThreadCount(1)  # one write at a time, in the order asked
        crash.shown_database = self.database_name

    @property
    def db(self) -> Database:
        """The database the window shows."""
        if self._db is None:
            raise NoDatabaseOpen(code="db.none_open")
        return self._db

    def set_database(self, db: Database | None) -> None:
        """The database the window shows from now on (None when it closed)."""
        self._db = db

    def close_connection(self) -> None:
        """Close the GUI thread's connection to the database (a restore replaces the file under it)."""
        if self._db is not None and not self._db.is_closed():
            self._db.close()

    def database_name(self) -> str | None:
        """The database as error messages name it (None when none is open)."""
        return database_label(self._db) if self._db is not None else None

    def now(self) -> dt.datetime:
        """The time an action happens at, to the second (what the services record)."""
        return self.clock().replace(microsecond=0)

    # --- running work ---------------------------------------------------------------------
    def read(
        self,
        what: str,
        work: DbWork,
        done: Callable[[Any], None],
        *,
        failed: OnFailure | None = None,
        say: Say | None = None,
        progress: ProgressCallback | None = None,
    ) -> BackgroundTask:
        """Run `work(db, progress, cancel)` on a worker thread; `done(result)` on the GUI thread.

        On failure `failed(error)` runs first (to put the page back as it was), then, unless it returned True,
        the default handling (`report`), which says a known error with `say` when given."""
        return self._start(what, self._bound(work), done, failed, say, progress, None, frozenset())

    def run(
        self,
        what: str,
        work: Work,
        done: Callable[[Any], None],
        *,
        failed: OnFailure | None = None,
        say: Say | None = None,
        progress: ProgressCallback | None = None,
    ) -> BackgroundTask:
        """As `read`, for work that needs no database (demo data, a backup of a file): `work(progress, cancel)`."""
        return self._start(what, work, done, failed, say, progress, None, frozenset())

    def write(
        self,
        what: str,
        work: DbWork,
        done: Callable[[Any], None],
        *,
        changes: Iterable[Topic] = (),
        failed: OnFailure | None = None,
        say: Say | None = None,
        progress: ProgressCallback | None = None,
    ) -> BackgroundTask:
        """As `read`, through the one writer thread; once it succeeded, `changed` tells what it changed."""
        return self._start(what, self._bound(work), done, failed, say, progress, self.writer, frozenset(changes))

    def _bound(self, work: DbWork) -> Work:
        """`work` on the database shown now, even if the window switches before it runs; with none open, work
        that fails with `NoDatabaseOpen` there, so the page's `failed` puts its buttons back as for any error."""
        db = self._db

        def bound(progress: ProgressCallback, cancel: threading.Event) -> Any:
            if db is None:
                raise NoDatabaseOpen(code="db.none_open")
            return work(db, progress, cancel)

        return bound

    def _start(
        self,
        what: str,
        work: Work,
        done: Callable[[Any], None],
        failed: OnFailure | None,
        say: Say | None,
        progress: ProgressCallback | None,
        pool: QThreadPool | None,
        changes: frozenset[Topic],
    ) -> BackgroundTask:

        def succeeded(result: Any) -> None:
            if changes:
                self.changed.emit(changes)
            done(result)

        def went_wrong(error: BaseException) -> None:
            if failed is not None and failed(error):
                return
            self.report(error, what, say)

        return self.runner.start(work, succeeded, went_wrong, progress, pool=pool)

    def report(self, error: BaseException, what: str, say: Say | None = None) -> bool:
        """The default handling of a failure: a known error said on the page's line (or as a notice), a bug
        to the crash dialog (logged with its traceback). True when it was a bug."""
        title, text, is_bug = describe_error(error, what, self.database_name())
        if say is not None and not is_bug:
            say(text)
        else:
            self.crash.present(error, what, title, text, is_bug)
        return is_bug

    def notify(self, *topics: Topic) -> None:
        """Tell the listeners that something changed outside `write` (another window's work, a restore)."""
        self.changed.emit(frozenset(topics))

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the running work ends (at shutdown and in tests)."""
        readers_done = self.runner.wait(msecs)
        writer_done = bool(self.writer.waitForDone(msecs))
        return readers_done and writer_done
