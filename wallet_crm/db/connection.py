"""Open the one database the app works on: a local SQLite file or a PostgreSQL server.

Everything SQLite-specific lives here: the pragmas (WAL, foreign keys, busy timeout), taking the
write lock when a transaction starts, the backup before a migration and the checks that the file is
ours. The rest of the app gets a peewee `Database` and uses `db.atomic()` for every write.

The busy timeout is how long a write waits for another connection's write lock (an import holds it
for the whole file) before the database is reported busy: 5 s in the app, where a longer wait freezes
the window, 30 s on the command line (`use_busy_timeout`); `WALLET_CRM_BUSY_TIMEOUT_MS` overrides both.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from peewee import Database, OperationalError, PostgresqlDatabase, SqliteDatabase
from peewee import DatabaseError as PeeweeDatabaseError

from wallet_crm.db.checkpoint import wait_for_checkpoints
from wallet_crm.db.errors import NewerSchema, NotADatabase, classify_database_error, is_busy
from wallet_crm.db.migrations import LATEST_VERSION, apply_migrations, read_version
from wallet_crm.db.models import database_proxy
from wallet_crm.db.target import database_label, describe_target, is_postgres_url
from wallet_crm.errors import DatabaseError
from wallet_crm.paths import check_local_path

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CLI_BUSY_TIMEOUT_MS",
    "busy_timeout_ms",
    "close_database",
    "current_database",
    "describe_target",
    "is_postgres_url",
    "open_database",
    "sqlite_path",
    "use_busy_timeout",
]

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
CLI_BUSY_TIMEOUT_MS = 30_000
BUSY_TIMEOUT_VARIABLE = "WALLET_CRM_BUSY_TIMEOUT_MS"
OPEN_RETRY_SECONDS = 10.0
SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("synchronous", "normal"),
)
_busy_timeout_default = BUSY_TIMEOUT_MS


def use_busy_timeout(milliseconds: int) -> None:
    """How long writes in this process wait for another writer by default (the CLI waits longer than the app)."""
    global _busy_timeout_default
    _busy_timeout_default = max(0, milliseconds)


def busy_timeout_ms() -> int:
    """The busy timeout for databases opened now: `WALLET_CRM_BUSY_TIMEOUT_MS`, else the process default."""
    text = os.environ.get(BUSY_TIMEOUT_VARIABLE, "").strip()
    if text:
        try:
            return max(0, int(text))
        except ValueError:
            log.warning("ignored %s=%r: not a whole number of milliseconds", BUSY_TIMEOUT_VARIABLE, text)
    return _busy_timeout_default


class WalletSqliteDatabase(SqliteDatabase):
    """SQLite whose ROLLBACK is skipped when SQLite has already rolled the transaction back itself.

    After SQLITE_FULL or SQLITE_IOERR SQLite may end the transaction on its own; peewee's `atomic()`
    then fails its ROLLBACK with "cannot rollback - no transaction is active", and that error, raised
    while handling the real one, is all a caller would see.
    """

    def _close(self, conn: Any) -> None:
        wait_for_checkpoints(self.database)  # so this close, if it is the last, folds the log in as SQLite does
        super()._close(conn)  # type: ignore[misc]  # peewee's, untyped

    def rollback(self) -> Any:
        connection = None if self.is_closed() else self.connection()
        if connection is not None and not connection.in_transaction:
            log.info("SQLite had already rolled the transaction back")
            return None
        return super().rollback()


def open_database(target: str | Path, bind: bool = True) -> Database:
    """Open, check and migrate the database at `target`; bind the models to it unless `bind=False`.

    `bind=False` is for work on a second database beside the one the app shows (demo data).
    Raises `DatabaseError` with a user-facing sentence when the target can't be used.
    """
    text = str(target)
    deadline = time.monotonic() + OPEN_RETRY_SECONDS
    while True:
        try:
            db = _open_checked(text)
            break
        except DatabaseError as error:
            # Two copies starting on a brand-new file race to switch it to WAL; SQLite answers the
            # loser "locked" at once, without waiting on the busy timeout. Try again for a while.
            if not is_busy(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    if bind:
        database_proxy.initialize(db)
    log.info("opened database %s (schema v%d)", describe_target(text), LATEST_VERSION)
    return db


def _open_checked(text: str) -> Database:
    db = _open_postgres(text) if is_postgres_url(text) else _open_sqlite(Path(text).expanduser())
    try:
        _ensure_schema(db, None if is_postgres_url(text) else Path(text).expanduser())
    except BaseException:
        db.close()
        raise
    return db


def close_database() -> None:
    """Close this thread's connection to the current database, if any."""
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


def current_database() -> Database:
    """The database the models are bound to (what the window shows)."""
    db = database_proxy.obj
    if not isinstance(db, Database):
        raise DatabaseError(code="db.none_open")
    return db


def sqlite_path(db: Database) -> Path | None:
    """The file behind a SQLite database, None for a server."""
    return Path(db.database) if isinstance(db, SqliteDatabase) else None


def _open_sqlite(path: Path) -> SqliteDatabase:
    check_local_path(path)
    if path.is_dir():
        raise DatabaseError(code="db.folder", database=str(path))
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise NotADatabase(code="db.not_sqlite", database=str(path))
        _refuse_before_touching(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                code="db.cant_make_folder", database=str(path), reason=exc.strerror or str(exc)
            ) from exc
    busy_ms = busy_timeout_ms()
    db = WalletSqliteDatabase(
        str(path), pragmas=(("busy_timeout", busy_ms), *SQLITE_PRAGMAS), timeout=busy_ms / 1000, lock_type="IMMEDIATE"
    )
    try:
        db.connect(reuse_if_open=True)
    except (OperationalError, PeeweeDatabaseError) as exc:
        db.close()
        known = classify_database_error(exc, str(path))
        raise known or DatabaseError(code="db.cant_open", database=str(path), detail=str(exc)) from exc
    return db


def tables_and_version(connection: sqlite3.Connection) -> tuple[set[str], int]:
    """A raw SQLite connection's table names and our schema version (0 without `schema_info`), read
    without the app's open path: for a file that must not be changed before it is judged."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = 0
    if "schema_info" in tables:
        row = connection.execute("SELECT version FROM schema_info ORDER BY id LIMIT 1").fetchone()
        version = int(row[0]) if row else 0
    return tables, version


def _refuse_before_touching(path: Path) -> None:
    """Look at an existing file read-only first: opening it for real switches it to WAL, and another
    program's file, or one from a newer wallet-crm, must be refused exactly as it was found."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms() / 1000)
    except sqlite3.Error:
        return  # the real open says what is wrong
    try:
        tables, version = tables_and_version(connection)
    except sqlite3.DatabaseError as exc:
        known = classify_database_error(exc, str(path))
        if isinstance(known, NotADatabase):
            raise NotADatabase(code="db.not_a_database", database=str(path), detail=str(exc)) from exc
        return  # locked, busy or unreadable: the real open waits or says so
    finally:
        connection.close()
    if "schema_info" not in tables and any(not name.startswith("sqlite_") for name in tables):
        raise NotADatabase(code="db.other_tables", database=str(path))
    if version > LATEST_VERSION:
        raise NewerSchema(code="db.newer_schema", database=str(path), found=version, known=LATEST_VERSION)


def _open_postgres(url: str) -> PostgresqlDatabase:
    parts = urlparse(url)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise DatabaseError(code="db.no_name", database=describe_target(url))
    try:
        import psycopg2  # noqa: F401
    except ImportError as exc:
        raise DatabaseError(code="db.no_psycopg") from exc
    db = PostgresqlDatabase(
        name,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        host=parts.hostname or "localhost",
        port=parts.port or 5432,
    )
    try:
        db.connect(reuse_if_open=True)
    except (OperationalError, PeeweeDatabaseError) as exc:
        known = classify_database_error(exc, url)
        if known is not None and known.code != "io_error":
            raise known from exc
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(code="db.cant_connect", database=describe_target(url), detail=first_line) from exc
    return db


def _ensure_schema(db: Database, path: Path | None) -> None:
    """Create, check or migrate the schema; refuse foreign or newer databases."""
    label = database_label(db)
    try:
        version = read_version(db)
        if version == 0 and _has_foreign_tables(db):
            raise NotADatabase(code="db.other_tables", database=label)
        if version > LATEST_VERSION:
            raise NewerSchema(code="db.newer_schema", database=label, found=version, known=LATEST_VERSION)
        if version == LATEST_VERSION:
            return
        if version > 0 and path is not None:
            # Before the write lock: a backup from inside our own write transaction never finishes.
            backup = backup_sqlite(db, path, version)
            log.info("backed up schema v%d database to %s before migrating", version, backup.name)
        with db.atomic():
            version = read_version(db)  # another process may have migrated while we waited
            if version == LATEST_VERSION:
                return
            apply_migrations(db, version)
        log.info("migrated database from schema v%d to v%d", version, LATEST_VERSION)
    except (OperationalError, PeeweeDatabaseError) as exc:
        known = classify_database_error(exc, label)
        if isinstance(known, NotADatabase):
            raise NotADatabase(code="db.not_a_database", database=label, detail=str(exc)) from exc
        raise known or DatabaseError(code="db.cant_read", database=label, detail=str(exc)) from exc


def _has_foreign_tables(db: Database) -> bool:
    return bool([name for name in db.get_tables() if not name.startswith("sqlite_")])


def backup_sqlite(db: Database, path: Path, version: int) -> Path:
    """Copy the live database (WAL included) to `name.bak-v<N>-<date>` beside it."""
    stamp = dt.date.today().strftime("%Y%m%d")
    backup = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    if backup.exists():
        backup = path.with_name(f"{backup.name}-{dt.datetime.now():%H%M%S}")
    source = db.connection()
    target = sqlite3.connect(str(backup))
    try:
        source.backup(target)
    finally:
        target.close()
    return backup
