"""The queue knows when an import or undo left it behind, also when the process died before it rebuilt."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from peewee import Database, SqliteDatabase

from tests.conftest import AS_OF
from tests.import_files import row, write_csv
from wallet_crm.db import close_database, open_database
from wallet_crm.db.migrations import apply_migrations
from wallet_crm.followup.build import build_queue, rebuild_if_stale
from wallet_crm.followup.stale import stale_mark
from wallet_crm.imports import ImportOptions, import_and_rebuild, import_file, undo_and_rebuild, undo_batch


def _failed_payments(tmp_path: Path, name: str, *customers: str) -> Path:
    """A day's export in which each customer's payment failed two days before AS_OF: one task each."""
    rows = [
        row(f"{name}-{c}", when="2026-11-18 10:00:00", customer=c, name=c, phone=f"1381234{i:04d}", status="失败")
        for i, c in enumerate(customers)
    ]
    return write_csv(tmp_path / f"{name}.csv", rows, "utf-8-sig")


def _open_tasks(db: Database) -> list[str]:
    rows = db.execute_sql(
        "SELECT c.external_id FROM tasks t JOIN customers c ON c.id = t.customer_id WHERE t.status = 'open' "
        "ORDER BY c.external_id"
    )
    return [str(r[0]) for r in rows]


def test_an_import_marks_the_queue_stale_with_its_batch_and_the_next_rebuild_clears_it(
    db: Database, tmp_path: Path
) -> None:
    assert stale_mark(db) is None and rebuild_if_stale(db, AS_OF) is None  # nothing to do on a fresh database
    result = import_file(db, _failed_payments(tmp_path, "day1", "C1", "C2"))  # and then the process died
    assert result.inserted == 2 and _open_tasks(db) == []
    mark = stale_mark(db)
    assert mark is not None and f"import batch {result.batch_id}" in mark

    rebuilt = rebuild_if_stale(db, AS_OF)

    assert rebuilt is not None and (rebuilt.created, rebuilt.open) == (2, 2)
    assert _open_tasks(db) == ["C1", "C2"]
    assert stale_mark(db) is None
    assert rebuild_if_stale(db, AS_OF) is None  # once only


def test_an_import_that_writes_nothing_leaves_no_mark(db: Database, tmp_path: Path) -> None:
    source = _failed_payments(tmp_path, "day1", "C1")
    import_file(db, source, ImportOptions(dry_run=True))
    assert stale_mark(db) is None
    import_and_rebuild(db, source)
    again, queue = import_and_rebuild(db, source)  # the same file again: all duplicates, no batch
    assert (again.inserted, again.batch_id, queue) == (0, None, None)
    assert stale_mark(db) is None


def test_import_and_rebuild_leaves_the_tasks_and_no_mark(db: Database, tmp_path: Path) -> None:
    # The queue is rebuilt at the time of the call; transactions two days before now make tasks.
    when = (dt.datetime.now() - dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    source = write_csv(tmp_path / "now.csv", [row("N1", when=when, customer="C9", status="失败")], "utf-8-sig")
    result, queue = import_and_rebuild(db, source)
    assert result.inserted == 1 and queue is not None and queue.created == 1
    assert _open_tasks(db) == ["C9"] and stale_mark(db) is None


def test_an_undo_marks_the_queue_stale_in_its_transaction(db: Database, tmp_path: Path) -> None:
    import_file(db, _failed_payments(tmp_path, "day1", "C1"))
    second = import_file(db, _failed_payments(tmp_path, "day2", "C2"))
    build_queue(db, AS_OF)
    assert _open_tasks(db) == ["C1", "C2"] and stale_mark(db) is None

    undo_batch(db, second.batch_id or 0)  # and then the process died: C2's untouched task went with it

    mark = stale_mark(db)
    assert mark is not None and f"undo of batch {second.batch_id}" in mark
    assert rebuild_if_stale(db, AS_OF) is not None and stale_mark(db) is None
    assert _open_tasks(db) == ["C1"]


def test_undo_and_rebuild_decides_the_queue_again(db: Database, tmp_path: Path) -> None:
    first = import_file(db, _failed_payments(tmp_path, "day1", "C1"))
    import_file(db, _failed_payments(tmp_path, "day2", "C2"))
    build_queue(db, AS_OF)
    undone, queue = undo_and_rebuild(db, first.batch_id or 0, AS_OF)
    assert undone.transactions_removed == 1 and queue is not None and queue.open == 1
    assert _open_tasks(db) == ["C2"] and stale_mark(db) is None


@pytest.mark.sqlite_only
def test_a_build_keeps_the_mark_of_an_import_that_committed_while_it_ran(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    import_file(db, _failed_payments(tmp_path, "day1", "C1"))
    other = open_database(db_path, bind=False)  # another window or PC importing meanwhile
    imported: list[int] = []

    def meanwhile(_done: int, _total: int) -> None:  # called while the build reads the candidates
        if not imported:
            imported.append(import_file(other, _failed_payments(tmp_path, "day2", "C2")).batch_id or 0)

    try:
        build_queue(db, AS_OF, progress=meanwhile)
    finally:
        other.close()

    mark = stale_mark(db)
    assert imported and mark is not None and f"import batch {imported[0]}" in mark  # day2's, not day1's
    assert rebuild_if_stale(db, AS_OF) is not None and stale_mark(db) is None
    assert _open_tasks(db) == ["C1", "C2"]


def test_a_database_from_before_the_mark_is_marked_stale_once_when_it_has_transactions(tmp_path: Path) -> None:
    def version_6_file(path: Path, with_transaction: bool) -> Path:
        old = SqliteDatabase(str(path), pragmas={"journal_mode": "wal"})
        with old.atomic():
            apply_migrations(old, 0, target=6)
            if with_transaction:  # imported, and killed before the queue was built: no tasks
                old.execute_sql(
                    "INSERT INTO customers (id, external_id, phone, name, created_at, updated_at) "
                    "VALUES (1, 'C1', '13812345678', '张三', '2026-11-18 09:00:00', '2026-11-18 09:00:00')"
                )
                old.execute_sql(
                    "INSERT INTO transactions (txn_id, customer_id, occurred_at, amount_fen, status, txn_type) "
                    "VALUES ('T1', 1, '2026-11-18 10:00:00', 128000, 'failed', 'payment')"
                )
        old.close()
        return path

    empty = open_database(version_6_file(tmp_path / "empty.sqlite3", False))
    assert stale_mark(empty) is None
    close_database()
    db = open_database(version_6_file(tmp_path / "old.sqlite3", True))
    try:
        assert stale_mark(db) is not None
        assert rebuild_if_stale(db, AS_OF) is not None
        assert _open_tasks(db) == ["C1"]
    finally:
        close_database()
    check = sqlite3.connect(tmp_path / "old.sqlite3")
    assert check.execute("SELECT COUNT(*) FROM settings WHERE key = 'queue_stale'").fetchone()[0] == 0
    check.close()
