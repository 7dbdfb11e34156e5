"""Fold a big write transaction's WAL into the database file after its commit, on a background thread.

SQLite folds the write-ahead log into the database file (a checkpoint) inside the commit that takes
the log past 1,000 pages. A queue build or an import writes ~10,000 pages (40 MB) at once, so its
commit also copied them all and synced the file: 0.26 s of a 1M-transaction build's 0.35 s commit,
time the user waits for although the work is already safe in the log. Around such a transaction the
automatic checkpoint is switched off on its connection; after the commit a passive checkpoint runs
on a thread of its own, with its own connection, as SQLite's documentation suggests for this case.
A passive checkpoint waits for nobody: readers and writers go on, and what it could not fold in
the next checkpoint does. A process that ends first loses nothing: the log is the database's.

Code that replaces a database file calls `wait_for_checkpoints()` first; closing a connection waits too.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator

from peewee import Database, SqliteDatabase

log = logging.getLogger(__name__)
AUTOCHECKPOINT_PAGES = 1000  # SQLite's default, restored after the transaction
_running: dict[str, threading.Thread] = {}
_lock = threading.Lock()


@contextlib.contextmanager
def checkpoint_after(db: Database) -> Iterator[None]:
    """Around a big write transaction (enter before it begins, leave after it commits): no checkpoint
    inside its commit, one in the background afterwards. Nothing on PostgreSQL."""
    if not isinstance(db, SqliteDatabase) or db.database == ":memory:":
        yield
        return
    db.execute_sql("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        with contextlib.suppress(Exception):  # never hide the transaction's own error
            db.execute_sql(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
            if not db.in_transaction():
                checkpoint_in_background(str(db.database))


def checkpoint_in_background(path: str) -> None:
    """Start a passive checkpoint of the database file `path` (as the connection names it) on a daemon thread,
    unless one is running for it already."""
    key = path
    with _lock:
        running = _running.get(key)
        if running is not None and running.is_alive():
            return
        thread = threading.Thread(target=_checkpoint, args=(key,), name="wal-checkpoint", daemon=True)
        _running[key] = thread
        thread.start()


def wait_for_checkpoints(path: str | None = None, timeout: float = 30.0) -> None:
    """Let this process's background checkpoints (of `path`, or of every database) finish: before a database
    file is replaced, and before a connection closes, so the last one to close still folds the log in and
    removes it, as SQLite does (a copy of the bare file then holds everything)."""
    with _lock:
        keys = [key for key in _running if path is None or key == path]
        threads = [_running.pop(key) for key in keys]
    for thread in threads:
        thread.join(timeout)


def _checkpoint(path: str) -> None:
    try:
        connection = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    except sqlite3.Error as exc:
        log.info("background checkpoint not started: %s", exc)
        return
    try:
        busy, logged, folded = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        log.debug("background checkpoint: %s of %s pages folded in (busy %s)", folded, logged, busy)
    except sqlite3.Error as exc:  # the next checkpoint does it; nothing is lost
        log.info("background checkpoint stopped: %s", exc)
    finally:
        connection.close()
