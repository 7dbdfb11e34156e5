"""Open the one database the app works on: a local SQLite file or a PostgreSQL server.

Everything SQLite-specific lives here: the pragmas (WAL, foreign keys, busy timeout), taking the
write lock when a transaction starts, the backup before a migration and the checks that the file is
ours. The rest of the app gets a peewee `Database` and uses `db.atomic()` for every write.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from peewee import Database, OperationalError, PostgresqlDatabase, SqliteDatabase
from peewee import DatabaseError as PeeweeDatabaseError

from wallet_crm.db.migrations import LATEST_VERSION, apply_migrations, read_version
from wallet_crm.db.models import database_proxy
from wallet_crm.errors import DatabaseError
from wallet_crm.paths import check_local_path

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
OPEN_RETRY_SECONDS = 10.0
SQLITE_PRAGMAS = (
    ("busy_timeout", BUSY_TIMEOUT_MS),
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("synchronous", "normal"),
)


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def describe_target(target: str) -> str:
    """The target as it may be shown or logged: a server URL loses its password."""
    if not is_postgres_url(target):
        return target
    parts = urlparse(target)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"postgresql://{user}{host}{port}{parts.path}"


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
            if not _is_locked(error) or time.monotonic() > deadline:
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


def _is_locked(error: DatabaseError) -> bool:
    cause = error.__cause__
    return cause is not None and ("locked" in str(cause) or "busy" in str(cause))


def close_database() -> None:
    """Close this thread's connection to the current database, if any."""
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


def current_database() -> Database:
    """The database the models are bound to (what the window shows)."""
    db = database_proxy.obj
    if not isinstance(db, Database):
        raise DatabaseError("No database is open.")
    return db


def sqlite_path(db: Database) -> Path | None:
    """The file behind a SQLite database, None for a server."""
    return Path(db.database) if isinstance(db, SqliteDatabase) else None


def _open_sqlite(path: Path) -> SqliteDatabase:
    check_local_path(path)
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file.")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise DatabaseError(f"{path} is not a wallet-crm database (it is not a SQLite file).")
        _refuse_before_touching(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"Can't create the folder for {path}: {exc.strerror}.") from exc
    db = SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000, lock_type="IMMEDIATE")
    try:
        db.connect(reuse_if_open=True)
    except (OperationalError, PeeweeDatabaseError) as exc:
        db.close()
        raise DatabaseError(f"Can't open {path}: {exc}.") from exc
    return db


def _refuse_before_touching(path: Path) -> None:
    """Look at an existing file read-only first: opening it for real switches it to WAL, and another
    program's file, or one from a newer wallet-crm, must be refused exactly as it was found."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return  # the real open says what is wrong
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = 0
        if "schema_info" in tables:
            row = connection.execute("SELECT version FROM schema_info ORDER BY id LIMIT 1").fetchone()
            version = int(row[0]) if row else 0
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise DatabaseError(f"{path} is not a wallet-crm database ({exc}).") from exc
        return  # locked or busy: the real open waits and says so
    finally:
        connection.close()
    if "schema_info" not in tables and any(not name.startswith("sqlite_") for name in tables):
        raise DatabaseError(f"{path} holds other tables: not a wallet-crm database.")
    if version > LATEST_VERSION:
        raise DatabaseError(
            f"{path} has schema version {version}, but this wallet-crm knows up to version {LATEST_VERSION}: "
            "update the app to open it."
        )


def _open_postgres(url: str) -> PostgresqlDatabase:
    parts = urlparse(url)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise DatabaseError(f"{describe_target(url)} names no database; add it: postgresql://host/name.")
    try:
        import psycopg2  # noqa: F401
    except ImportError as exc:
        raise DatabaseError("PostgreSQL needs the psycopg2-binary package, which is not installed.") from exc
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
        raise DatabaseError(f"Can't connect to {describe_target(url)}: {exc}".strip()) from exc
    return db


def _ensure_schema(db: Database, path: Path | None) -> None:
    """Create, check or migrate the schema; refuse foreign or newer databases."""
    try:
        version = read_version(db)
        if version == 0 and _has_foreign_tables(db):
            raise DatabaseError(f"{describe_target(str(db.database))} holds other tables: not a wallet-crm database.")
        if version > LATEST_VERSION:
            raise DatabaseError(
                f"{describe_target(str(db.database))} has schema version {version}, but this wallet-crm "
                f"knows up to version {LATEST_VERSION}: update the app to open it."
            )
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
        message = str(exc)
        if "not a database" in message or "malformed" in message:
            raise DatabaseError(f"{db.database} is not a wallet-crm database ({message}).") from exc
        raise DatabaseError(f"Can't read {describe_target(str(db.database))}: {message}.") from exc


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
