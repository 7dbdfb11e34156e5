"""Database failures told apart from bugs: each real SQLite failure becomes a known error with a code."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database, SqliteDatabase

from tests.conftest import AS_OF
from tests.import_files import numbered_rows, snapshot, write_csv
from wallet_crm.cli import known_error
from wallet_crm.db import close_database, open_database
from wallet_crm.db.connection import BUSY_TIMEOUT_MS, busy_timeout_ms, use_busy_timeout
from wallet_crm.db.errors import (
    DatabaseBusy,
    DatabaseIOError,
    DatabaseReadOnly,
    DiskFull,
    NewerSchema,
    NotADatabase,
    classify_database_error,
)
from wallet_crm.db.migrations import LATEST_VERSION
from wallet_crm.errors import DatabaseError
from wallet_crm.followup.agents import add_agent, list_agents
from wallet_crm.imports.service import import_file

# About the SQLite file itself (journal, pragmas, locks, the disk): not run on PostgreSQL.
pytestmark = pytest.mark.sqlite_only


def caught(action: object) -> BaseException:
    """The exception `action()` raises (it must raise)."""
    assert callable(action)
    with pytest.raises(Exception) as info:
        action()
    return info.value


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("WALLET_CRM_BUSY_TIMEOUT_MS", "200")
    return 200


@pytest.fixture
def other_writer(db_path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the write lock, as an import in another window does."""
    connection = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    connection.execute("BEGIN IMMEDIATE")
    yield connection
    if connection.in_transaction:
        connection.execute("ROLLBACK")
    connection.close()


def fill_up(db: Database, spare_pages: int = 5) -> None:
    """Let the database grow by only `spare_pages` pages: SQLite then fails writes with SQLITE_FULL, as on a
    full disk (the limit holds for this connection only)."""
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages + spare_pages}")


def test_the_busy_timeout_comes_from_the_environment_or_the_process_default(
    monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    monkeypatch.delenv("WALLET_CRM_BUSY_TIMEOUT_MS", raising=False)
    assert busy_timeout_ms() == BUSY_TIMEOUT_MS
    use_busy_timeout(30_000)
    try:
        assert busy_timeout_ms() == 30_000
        monkeypatch.setenv("WALLET_CRM_BUSY_TIMEOUT_MS", "1234")
        assert busy_timeout_ms() == 1234
        db = open_database(db_path)
        assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 1234
        close_database()
        monkeypatch.setenv("WALLET_CRM_BUSY_TIMEOUT_MS", "soon")
        assert busy_timeout_ms() == 30_000  # not a number: ignored
    finally:
        use_busy_timeout(BUSY_TIMEOUT_MS)


def test_a_write_lock_held_past_the_busy_timeout_is_busy(
    short_busy_timeout: int, db: Database, db_path: Path, other_writer: sqlite3.Connection
) -> None:
    error = caught(lambda: add_agent(db, "小李", AS_OF))
    known = classify_database_error(error, str(db_path))
    assert isinstance(known, DatabaseBusy) and known.code == "busy"
    assert str(db_path) in str(known) and "busy" in str(known) and "\n" not in str(known)
    assert list_agents(db) == []  # nothing was written
    other_writer.execute("ROLLBACK")  # the other writer finished: the same write goes through
    assert add_agent(db, "小李", AS_OF).name == "小李"


def test_without_a_target_no_database_is_guessed(
    short_busy_timeout: int, db: Database, db_path: Path, other_writer: sqlite3.Connection
) -> None:
    """The classifier reads no global database: the caller names the one it works on (the window's
    crash handler names the one it shows)."""
    known = classify_database_error(caught(lambda: add_agent(db, "小李", AS_OF)))
    assert isinstance(known, DatabaseBusy) and str(db_path) not in str(known)


def test_disk_full_during_an_import_is_classified_and_nothing_is_written(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    add_agent(db, "小李", AS_OF)
    before = snapshot(db_path)
    csv_file = write_csv(tmp_path / "orders.csv", numbered_rows(3000), encoding="utf-8")
    fill_up(db)
    error = caught(lambda: import_file(db, csv_file))
    # The error is SQLite's own, not atomic()'s "cannot rollback - no transaction is active".
    assert "cannot rollback" not in str(error) and "full" in str(error)
    known = classify_database_error(error, str(db_path))
    assert isinstance(known, DiskFull) and known.code == "disk_full"
    assert (
        str(known) == f"The disk holding {db_path} is full: nothing was saved; free some space on it, then try again."
    )
    assert not db.in_transaction() and not db.connection().in_transaction
    assert snapshot(db_path) == before
    db.execute_sql("PRAGMA max_page_count = 1073741823")  # room again: the same file goes in
    assert import_file(db, csv_file).inserted == 3000
    assert [agent.name for agent in list_agents(db)] == ["小李"]


def test_the_cannot_rollback_noise_of_plain_peewee_does_not_hide_disk_full(tmp_path: Path) -> None:
    """peewee's own SqliteDatabase raises "cannot rollback" while handling SQLITE_FULL: the cause is found."""
    plain = SqliteDatabase(str(tmp_path / "plain.sqlite3"))
    plain.connect()
    plain.execute_sql("CREATE TABLE t (v)")
    fill_up(plain, spare_pages=2)

    def write() -> None:
        with plain.atomic():
            plain.execute_sql("INSERT INTO t VALUES (1)")
            plain.cursor().executemany("INSERT INTO t VALUES (randomblob(3000))", [()] * 50)

    error = caught(write)
    plain.close()
    assert "cannot rollback" in str(error)
    known = classify_database_error(error, str(tmp_path / "plain.sqlite3"))
    assert isinstance(known, DiskFull)


def test_the_command_line_maps_disk_full_to_one_line(db: Database, db_path: Path) -> None:
    fill_up(db, spare_pages=1)

    def write() -> None:
        with db.atomic():
            db.execute_sql("INSERT INTO settings (key, value) VALUES ('filler', randomblob(200000))")

    known = known_error(caught(write), str(db_path))
    assert isinstance(known, DiskFull)
    assert str(known).startswith(f"The disk holding {db_path} is full") and "\n" not in str(known)
    assert db.execute_sql("SELECT COUNT(*) FROM settings WHERE key = 'filler'").fetchone()[0] == 0


def test_writing_through_a_read_only_connection_is_read_only(db_path: Path) -> None:
    open_database(db_path)
    close_database()
    read_only = SqliteDatabase(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    read_only.connect()
    try:
        assert read_only.execute_sql("SELECT COUNT(*) FROM agents").fetchone()[0] == 0  # reading works
        error = caught(
            lambda: read_only.execute_sql("INSERT INTO agents (name, active, created_at) VALUES ('a', 1, 'x')")
        )
    finally:
        read_only.close()
    known = classify_database_error(error, str(db_path))
    assert isinstance(known, DatabaseReadOnly) and known.code == "read_only"
    assert str(known).startswith(f"The database {db_path} is read-only: nothing was changed")
    raw = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        raw_error = caught(lambda: raw.execute("DELETE FROM agents"))
    finally:
        raw.close()
    assert isinstance(classify_database_error(raw_error, str(db_path)), DatabaseReadOnly)


def test_a_file_that_is_not_a_database_is_classified(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"not sqlite at all " * 400)
    connection = sqlite3.connect(path)
    try:
        error = caught(lambda: connection.execute("SELECT * FROM sqlite_master").fetchall())
    finally:
        connection.close()
    known = classify_database_error(error, str(path))
    assert isinstance(known, NotADatabase) and known.code == "not_a_database"
    assert str(known) == f"{path} is damaged or not a wallet-crm database (file is not a database)."
    with pytest.raises(NotADatabase, match="not a wallet-crm database") as refused:
        open_database(path)
    assert refused.value.code == "not_a_database"


def test_a_newer_schema_has_its_own_code(db: Database, db_path: Path) -> None:
    db.execute_sql("UPDATE schema_info SET version = ?", (LATEST_VERSION + 1,))
    close_database()
    with pytest.raises(NewerSchema) as refused:
        open_database(db_path)
    assert refused.value.code == "newer_schema" and isinstance(refused.value, DatabaseError)


def test_an_io_error_known_only_by_its_text_is_classified() -> None:
    """SQLITE_IOERR can't be caused on purpose here; a driver error carrying only its text still counts."""
    known = classify_database_error(sqlite3.OperationalError("disk I/O error"), "/media/usb/crm.sqlite3")
    assert isinstance(known, DatabaseIOError) and known.code == "io_error"
    assert str(known).startswith("Can't read or write /media/usb/crm.sqlite3 (disk I/O error)")


def test_bugs_stay_bugs(db: Database) -> None:
    db.execute_sql("INSERT INTO agents (name, active, created_at) VALUES ('a', 1, '2026-11-20 10:00:00')")
    duplicate = caught(
        lambda: db.execute_sql("INSERT INTO agents (name, active, created_at) VALUES ('a', 1, '2026-11-20 10:00:00')")
    )
    assert "UNIQUE" in str(duplicate) and classify_database_error(duplicate, "x") is None
    typo = caught(lambda: db.execute_sql("SELEC 1"))
    assert classify_database_error(typo, "x") is None
    assert classify_database_error(ZeroDivisionError("boom"), "x") is None
    # A bug raised while handling a busy database is still a bug: only database errors are looked through.
    try:
        try:
            raise sqlite3.OperationalError("database is locked")
        except sqlite3.OperationalError:
            raise KeyError("task") from None
    except KeyError as error:
        assert classify_database_error(error, "x") is None


class _PostgresError(Exception):
    """Stands in for psycopg2's errors (not installed here): what the classifier reads is `pgcode` and the module."""

    __module__ = "psycopg2.errors"

    def __init__(self, message: str, pgcode: str | None) -> None:
        super().__init__(message)
        self.pgcode = pgcode


@pytest.mark.parametrize(
    ("pgcode", "kind"),
    [
        ("55P03", DatabaseBusy),
        ("40P01", DatabaseBusy),
        ("25006", DatabaseReadOnly),
        ("53100", DiskFull),
        ("57P01", DatabaseIOError),
        (None, None),  # an _PostgresError that is not OperationalError/InterfaceError, without SQLSTATE: a bug
        ("23505", None),  # unique_violation: a bug
    ],
)
def test_postgres_sqlstates(pgcode: str | None, kind: type[DatabaseError] | None) -> None:
    known = classify_database_error(
        _PostgresError("could not obtain lock\nDETAIL: more", pgcode), "postgresql://crm:secret@db.local/crm"
    )
    assert type(known) is kind if kind is not None else known is None
    if known is not None:
        assert "postgresql://crm@db.local/crm" in str(known) and "secret" not in str(known)
        assert "\n" not in str(known)
