"""Database failures the user can act on, told apart from bugs in one place.

`classify_database_error` turns what peewee, sqlite3 or psycopg2 raised into a `DatabaseError` with a
`code` and one line naming the database and what to do; anything it does not recognise is a bug and
gets None. It looks through the chain of causes, because peewee often raises a second error on the
way out: when SQLite has already rolled a transaction back (disk full, I/O error), `atomic()`'s own
ROLLBACK fails with "cannot rollback - no transaction is active" while handling the real one.

| code | SQLite | PostgreSQL (SQLSTATE) |
|---|---|---|
| busy | SQLITE_BUSY, SQLITE_LOCKED (another writer held the lock past the busy timeout) | 55P03, 40P01, 40001, 53300 |
| read_only | SQLITE_READONLY (read-only file, folder or medium) | 25006, 42501 |
| disk_full | SQLITE_FULL | 53100 |
| io_error | SQLITE_IOERR, SQLITE_CANTOPEN (read_only if file or folder is) | 58030, XX001, 57P01-3, lost connection |
| not_a_database | SQLITE_NOTADB, SQLITE_CORRUPT | - |
| newer_schema | (raised by `open_database`, never by a driver) | |
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from peewee import PeeweeException

from wallet_crm.db.target import describe_target, is_postgres_url
from wallet_crm.errors import DatabaseError
from wallet_crm.messages import THE_DATABASE, Localized


class DatabaseBusy(DatabaseError):
    """Another connection held the write lock for longer than we wait."""

    code = "busy"


class DatabaseReadOnly(DatabaseError):
    """The file, its folder or the medium can't be written (or the server grants only reading)."""

    code = "read_only"


class DiskFull(DatabaseError):
    """No room left for the database (or its journal) to grow."""

    code = "disk_full"


class DatabaseIOError(DatabaseError):
    """The disk, the file system or the connection to the server failed."""

    code = "io_error"


class NotADatabase(DatabaseError):
    """Not a wallet-crm database: another program's file, not SQLite at all, or damaged."""

    code = "not_a_database"


class NewerSchema(DatabaseError):
    """Written by a newer wallet-crm: refused rather than misread."""

    code = "newer_schema"


# SQLite's primary result codes (the low byte of the extended code).
SQLITE_CODES = {
    5: "busy",  # SQLITE_BUSY
    6: "busy",  # SQLITE_LOCKED
    8: "read_only",  # SQLITE_READONLY
    10: "io_error",  # SQLITE_IOERR
    11: "not_a_database",  # SQLITE_CORRUPT
    13: "disk_full",  # SQLITE_FULL
    14: "cant_open",  # SQLITE_CANTOPEN: read_only when the file or its folder can't be written, else io_error
    26: "not_a_database",  # SQLITE_NOTADB
}
# The same, by message, for an error that lost its code (peewee's wrapper keeps only the text at times).
SQLITE_MESSAGES = (
    ("database is locked", "busy"),
    ("database table is locked", "busy"),
    ("database is busy", "busy"),
    ("readonly database", "read_only"),
    ("database or disk is full", "disk_full"),
    ("disk i/o error", "io_error"),
    ("unable to open database file", "cant_open"),
    ("file is not a database", "not_a_database"),
    ("database disk image is malformed", "not_a_database"),
)
POSTGRES_CODES = {
    "55P03": "busy",  # lock_not_available (lock_timeout)
    "40P01": "busy",  # deadlock_detected
    "40001": "busy",  # serialization_failure
    "53300": "busy",  # too_many_connections
    "25006": "read_only",  # read_only_sql_transaction (a standby, or default_transaction_read_only)
    "42501": "read_only",  # insufficient_privilege
    "53100": "disk_full",
    "58030": "io_error",
    "XX001": "io_error",  # data_corrupted
    "57P01": "io_error",  # admin_shutdown
    "57P02": "io_error",  # crash_shutdown
    "57P03": "io_error",  # cannot_connect_now
}
CLASSES: dict[str, type[DatabaseError]] = {
    kind.code: kind for kind in (DatabaseBusy, DatabaseReadOnly, DiskFull, DatabaseIOError, NotADatabase, NewerSchema)
}
MAX_DETAIL = 160
# The kinds a server words otherwise (`db.busy_server`...: its own message says what happened).
SERVER_WORDING = frozenset({"busy", "read_only", "disk_full", "io_error"})


def classify_database_error(error: BaseException, target: str | None = None) -> DatabaseError | None:
    """The known error `error` stands for, naming `target` ("the database" without one: the caller
    names the database it works on); `error` itself when it already is one; None when it is a bug."""
    if isinstance(error, DatabaseError):
        return error
    for link in _database_chain(error):
        code, detail = _code_of(link)
        if code is not None:
            label = describe_target(target) if target else ""
            postgres = is_postgres_url(label) or _is_psycopg(link)
            if code == "cant_open":
                code = "read_only" if _not_writable(label) else "io_error"
            said = f"db.{code}_server" if postgres and code in SERVER_WORDING else f"db.{code}"
            known = CLASSES[code](code=said, database=label or THE_DATABASE, subject=_subject(label), detail=detail)
            known.__cause__ = error
            return known
    return None


def _subject(label: str) -> Localized:
    """What a sentence starting with the database names: "The database crm.sqlite3" (数据库 crm.sqlite3), or
    "The database" alone (数据库) without a name, never "The database the database"."""
    if not label:
        return {"en": "The database", "zh_CN": "数据库"}
    return {"en": f"The database {label}", "zh_CN": f"数据库 {label} "}  # 数据库 a.sqlite3 正忙


def is_busy(error: BaseException) -> bool:
    """Whether `error` means another connection held the lock (for a caller that waits and tries again)."""
    if isinstance(error, DatabaseError):
        return error.code == "busy"
    return next((code for code, _ in map(_code_of, _database_chain(error)) if code is not None), None) == "busy"


def _database_chain(error: BaseException) -> Iterator[BaseException]:
    """`error` and what it was raised from or while handling, as long as each is a database error."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        link = pending.pop(0)
        if id(link) in seen or not _is_driver_error(link):
            continue
        seen.add(id(link))
        yield link
        wrapped = link.args[0] if link.args and isinstance(link.args[0], BaseException) else None
        pending += [cause for cause in (wrapped, link.__cause__, link.__context__) if cause is not None]


def _is_driver_error(error: BaseException) -> bool:
    return isinstance(error, sqlite3.Error | PeeweeException) or _is_psycopg(error)


def _is_psycopg(error: BaseException) -> bool:
    return type(error).__module__.split(".")[0] in ("psycopg2", "psycopg")


def _code_of(error: BaseException) -> tuple[str | None, str]:
    detail = _first_line(error)
    number = getattr(error, "sqlite_errorcode", None)
    if isinstance(error, sqlite3.Error) and isinstance(number, int):
        return SQLITE_CODES.get(number & 0xFF), detail
    if _is_psycopg(error):
        pgcode = getattr(error, "pgcode", None)
        if pgcode:
            return POSTGRES_CODES.get(str(pgcode)), detail
        # No SQLSTATE: the connection itself failed (server gone, network down, connection closed).
        lost = type(error).__name__ in ("OperationalError", "InterfaceError")
        return ("io_error" if lost else None), detail
    if isinstance(error, PeeweeException) and error.args and isinstance(error.args[0], BaseException):
        return None, detail  # peewee's wrapper: the driver's error it carries decides
    lowered = detail.lower()
    return next((code for text, code in SQLITE_MESSAGES if text in lowered), None), detail


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def _not_writable(label: str) -> bool:
    """Whether the SQLite file `label`, or the folder its journal goes in, can't be written (a read-only
    folder or medium: SQLite can't create the -wal and -shm files and says only "unable to open")."""
    path = Path(label)
    if not path.is_absolute() or not path.parent.is_dir():
        return False
    return not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))
