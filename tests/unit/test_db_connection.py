"""Opening databases: pragmas, locking, refusing what isn't ours, migrating old files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from peewee import Database

from wallet_crm.db import close_database, open_database
from wallet_crm.db.migrations import LATEST_VERSION, apply_migrations, read_version
from wallet_crm.db.models import ALL_MODELS, Customer, Transaction
from wallet_crm.db.status import database_status
from wallet_crm.errors import DatabaseError

# About the SQLite file itself (journal, pragmas, locks, the disk): not run on PostgreSQL.
pytestmark = pytest.mark.sqlite_only


def test_new_database_has_wal_foreign_keys_and_busy_timeout(db: Database, db_path: Path) -> None:
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert read_version(db) == LATEST_VERSION
    assert db_path.exists()


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), db.atomic():
        db.execute_sql(
            "INSERT INTO transactions (txn_id, customer_id, occurred_at, amount_fen, status, txn_type) "
            "VALUES ('T1', 999, '2026-11-01 10:00:00', 100, 'success', 'payment')"
        )
    assert Transaction.select().count() == 0


def test_atomic_takes_the_write_lock_when_it_starts(db: Database, db_path: Path) -> None:
    """A second writer is refused as soon as our transaction begins, before we write anything."""
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    with db.atomic(), pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()


def test_schema_matches_the_models(db: Database) -> None:
    """Running every migration gives exactly the columns the models declare."""
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {column.name for column in db.get_columns(table)}
        assert columns == {field.column_name for field in model._meta.sorted_fields}, table


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("shopping list\n" * 100, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not a wallet-crm database"):
        open_database(path)
    assert path.read_bytes() == before


def test_another_apps_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="other tables"):
        open_database(path)
    assert path.read_bytes() == before  # not even switched to WAL
    assert not path.with_name("other.db-wal").exists()
    connection = sqlite3.connect(path)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    connection.close()
    assert tables == {"recipes"}


def test_a_newer_schema_is_refused_naming_both_versions(db: Database, db_path: Path) -> None:
    db.execute_sql("UPDATE schema_info SET version = ?", (LATEST_VERSION + 5,))
    close_database()
    with pytest.raises(DatabaseError) as caught:
        open_database(db_path)
    message = str(caught.value)
    assert f"schema version {LATEST_VERSION + 5}" in message
    assert f"up to version {LATEST_VERSION}" in message


def test_a_newer_file_in_rollback_journal_mode_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE schema_info (id INTEGER PRIMARY KEY, version INTEGER, updated_at TEXT)")
    connection.execute("INSERT INTO schema_info (version, updated_at) VALUES (?, '2027-01-01')", (LATEST_VERSION + 1,))
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match=f"schema version {LATEST_VERSION + 1}"):
        open_database(path)
    assert path.read_bytes() == before
    assert sorted(item.name for item in tmp_path.glob("newer*")) == ["newer.sqlite3"]  # no -wal, no -shm


def _make_version_1_file(path: Path) -> None:
    """A database exactly as schema version 1 left it, with a customer and a transaction."""
    from peewee import SqliteDatabase

    old = SqliteDatabase(str(path), pragmas={"journal_mode": "wal"})
    with old.atomic():
        apply_migrations(old, 0, target=1)
        old.execute_sql(
            "INSERT INTO customers (id, external_id, phone, name, created_at, updated_at) "
            "VALUES (1, 'C1', '+8613812345678', '张三', '2026-01-01 09:00:00', '2026-01-01 09:00:00')"
        )
        old.execute_sql(
            "INSERT INTO transactions (txn_id, customer_id, occurred_at, amount_fen, status, txn_type) "
            "VALUES ('T1', 1, '2026-01-01 09:30:00', 128000, 'failed', 'payment')"
        )
    old.close()


def test_migrating_a_version_1_file_keeps_rows_and_leaves_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _make_version_1_file(path)
    db = open_database(path)
    try:
        assert read_version(db) == LATEST_VERSION
        assert Customer.get(Customer.external_id == "C1").name == "张三"
        assert Transaction.get(Transaction.txn_id == "T1").amount_fen == 128000
        indexes = {index.name for index in db.get_indexes("transactions")}
        assert "transactions_status_occurred_at" in indexes
    finally:
        close_database()
    backups = list(tmp_path.glob("old.sqlite3.bak-v1-*"))
    assert len(backups) == 1
    backup = sqlite3.connect(backups[0])
    assert backup.execute("SELECT version FROM schema_info").fetchone()[0] == 1
    assert backup.execute("SELECT amount_fen FROM transactions WHERE txn_id = 'T1'").fetchone()[0] == 128000
    backup.close()


def test_a_failed_migration_leaves_the_file_at_its_old_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wallet_crm.db import migrations

    path = tmp_path / "old.sqlite3"
    _make_version_1_file(path)

    def broken_step(db: Database) -> None:
        db.execute_sql("CREATE INDEX half_done ON transactions (amount_fen)")
        raise RuntimeError("disk full")

    monkeypatch.setattr(migrations, "MIGRATIONS", (migrations.MIGRATIONS[0], broken_step))
    with pytest.raises(RuntimeError, match="disk full"):
        open_database(path)
    check = sqlite3.connect(path)
    assert check.execute("SELECT version FROM schema_info").fetchone()[0] == 1
    assert check.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    check.close()


WRITER = textwrap.dedent(
    """
    import sys
    from wallet_crm.db import open_database
    from wallet_crm.db.bulk import insert_rows
    db = open_database(sys.argv[1])
    tag = sys.argv[2]
    for round_ in range(40):
        with db.atomic():
            rows = [(f"{tag}-{round_}-{i}", "2026-11-01 00:00:00", "2026-11-01 00:00:00") for i in range(25)]
            insert_rows(db, "customers", ("external_id", "created_at", "updated_at"), rows)
    print("ok")
    """
)


def test_two_processes_writing_the_same_file_at_once_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), tag], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for tag in ("a", "b")
    ]
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "ok"
    check = sqlite3.connect(path)
    assert check.execute("SELECT COUNT(*) FROM customers").fetchone()[0] == 2 * 40 * 25
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


def test_status_counts_the_database_it_is_given_not_the_one_the_window_shows(tmp_path: Path) -> None:
    shown = open_database(tmp_path / "shown.sqlite3")
    other = open_database(tmp_path / "other.sqlite3", bind=False)
    with other.atomic():
        other.execute_sql(
            "INSERT INTO customers (external_id, name, created_at, updated_at) "
            "VALUES ('C1', 'x', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        other.execute_sql("INSERT INTO settings (key, value) VALUES ('is_demo', 'true')")
    try:
        seen = database_status(other)
        assert (seen.database, seen.customers, seen.is_demo) == (str(tmp_path / "other.sqlite3"), 1, True)
        assert (database_status(shown).customers, database_status(shown).is_demo) == (0, False)
    finally:
        other.close()
        close_database()
