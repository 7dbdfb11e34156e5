"""A queue build stays correct whatever an import or undo commits while it reads its candidates."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from peewee import Database

from tests.conftest import AS_OF
from tests.import_files import row, write_csv
from wallet_crm.db import open_database
from wallet_crm.followup.build import build_queue, rebuild_if_stale
from wallet_crm.followup.stale import stale_mark
from wallet_crm.imports import import_file, undo_batch


def _failed_payments(tmp_path: Path, name: str, *customers: str, day: str = "2026-11-18") -> Path:
    """A day's export in which each customer's payment failed: one task each."""
    rows = [
        row(f"{name}-{c}", when=f"{day} 10:00:00", customer=c, name=c, phone=f"1381234{i:04d}", status="失败")
        for i, c in enumerate(customers)
    ]
    return write_csv(tmp_path / f"{name}.csv", rows, "utf-8-sig")


def _orphans(db: Database) -> list[tuple[str, int]]:
    """Tasks and reasons whose customer is gone, and open tasks' reasons whose transaction is gone."""
    rows = db.execute_sql(
        "SELECT 'task', t.id FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = t.customer_id) "
        "UNION ALL SELECT 'reason', r.id FROM task_reasons r "
        "WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = r.customer_id) "
        "UNION ALL SELECT 'reason transaction', r.id FROM task_reasons r JOIN tasks t ON t.id = r.task_id "
        "WHERE t.status = 'open' AND r.transaction_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM transactions x WHERE x.id = r.transaction_id)"
    )
    return [(str(kind), int(ident)) for kind, ident in rows]


def _open_tasks(db: Database) -> list[str]:
    rows = db.execute_sql(
        "SELECT c.external_id FROM tasks t JOIN customers c ON c.id = t.customer_id WHERE t.status = 'open' "
        "ORDER BY c.external_id"
    )
    return [str(r[0]) for r in rows]


def _undo_on_another_connection(db_path: Path, batch_id: int) -> Callable[[], None]:
    def undo() -> None:
        other = open_database(db_path, bind=False)
        try:
            undo_batch(other, batch_id, AS_OF)
        finally:
            other.close()

    return undo


@pytest.mark.sqlite_only
def test_a_build_that_an_undo_overtakes_skips_the_customers_the_undo_deleted(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    import_file(db, _failed_payments(tmp_path, "day1", "C1"))
    batch = import_file(db, _failed_payments(tmp_path, "day2", "C2", "C3"))
    assert batch.batch_id is not None

    # The undo commits after the build read C2's and C3's failed payments, before it merges them.
    result = build_queue(db, AS_OF, before_merge=_undo_on_another_connection(db_path, batch.batch_id))

    assert (result.created, result.open) == (1, 1)
    assert _open_tasks(db) == ["C1"]
    assert _orphans(db) == []
    mark = stale_mark(db)  # the undo's mark is newer than the build: it stays for the next one
    assert mark is not None and f"undo of batch {batch.batch_id}" in mark
    rebuilt = rebuild_if_stale(db, AS_OF)
    assert rebuilt is not None and (rebuilt.created, rebuilt.open) == (0, 1)
    assert stale_mark(db) is None


@pytest.mark.sqlite_only
def test_a_build_that_an_undo_overtakes_drops_the_reasons_whose_transaction_is_gone(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    import_file(db, write_csv(tmp_path / "day1.csv", [row("T1", when="2026-11-01 10:00:00", customer="C1")], "utf-8"))
    batch = import_file(db, _failed_payments(tmp_path, "day2", "C1"))  # C1 stays on undo: day1 created it
    assert batch.batch_id is not None

    result = build_queue(db, AS_OF, before_merge=_undo_on_another_connection(db_path, batch.batch_id))

    assert (result.created, result.open) == (0, 0)
    assert db.execute_sql("SELECT COUNT(*) FROM task_reasons").fetchone()[0] == 0
    assert _orphans(db) == []
    assert stale_mark(db) is not None


def test_builds_racing_imports_and_undos_on_other_connections_never_fail(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    import_file(db, _failed_payments(tmp_path, "base", "C0"))
    files = [_failed_payments(tmp_path, f"day{n}", f"N{n}a", f"N{n}b", "C0", day="2026-11-19") for n in range(2)]
    errors: list[str] = []
    writes_done = threading.Event()

    def import_and_undo() -> None:
        conn = open_database(db_path, bind=False)
        try:
            for _ in range(6):
                for source in files:
                    batch = import_file(conn, source)
                    assert batch.batch_id is not None
                    undo_batch(conn, batch.batch_id, AS_OF)  # nobody works the tasks: never refused
        except BaseException:
            errors.append("import/undo: " + traceback.format_exc())
        finally:
            writes_done.set()
            conn.close()

    def build() -> None:
        conn = open_database(db_path, bind=False)
        try:
            builds = 0
            while not writes_done.is_set() or builds < 3:
                build_queue(conn, AS_OF)
                builds += 1
        except BaseException:
            errors.append("build: " + traceback.format_exc())
        finally:
            conn.close()

    threads = [threading.Thread(target=import_and_undo), threading.Thread(target=build)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    final = build_queue(db, AS_OF)
    assert final.open == 1 and _open_tasks(db) == ["C0"]
    assert _orphans(db) == []
    assert stale_mark(db) is None
