"""A big write's WAL is folded into the database file after its commit, on a background thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import Database, IntegrityError

from wallet_crm.db.bulk import insert_rows
from wallet_crm.db.checkpoint import AUTOCHECKPOINT_PAGES, checkpoint_after, wait_for_checkpoints

pytestmark = pytest.mark.sqlite_only
NOW = "2026-11-20 12:00:00"


def autocheckpoint(db: Database) -> int:
    return int(db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0])


def write_agents(db: Database, count: int) -> None:
    with db.atomic():
        insert_rows(db, "agents", ("name", "active", "created_at"), [(f"坐席{n}", True, NOW) for n in range(count)])


def test_no_checkpoint_inside_the_commit_then_one_in_the_background(db: Database, db_path: Path) -> None:
    wait_for_checkpoints()
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size_before = db_path.stat().st_size
    with checkpoint_after(db):
        assert autocheckpoint(db) == 0
        write_agents(db, 100_000)  # ~6 MB of pages, past the 1,000-page automatic checkpoint
        size_after_commit = db_path.stat().st_size
        wal_after_commit = Path(f"{db_path}-wal").stat().st_size
    wait_for_checkpoints()
    assert size_after_commit == size_before  # the commit left every page in the log
    assert wal_after_commit > AUTOCHECKPOINT_PAGES * db.execute_sql("PRAGMA page_size").fetchone()[0]
    assert db_path.stat().st_size > size_before  # the background checkpoint folded them into the file
    assert autocheckpoint(db) == AUTOCHECKPOINT_PAGES
    assert db.execute_sql("SELECT COUNT(*) FROM agents").fetchone()[0] == 100_000


def test_a_failed_write_keeps_its_error_and_the_automatic_checkpoint(db: Database) -> None:
    with pytest.raises(IntegrityError), checkpoint_after(db), db.atomic():
        db.execute_sql(f"INSERT INTO agents (id, name, active, created_at) VALUES (1, 'a', 1, '{NOW}')")
        db.execute_sql(f"INSERT INTO agents (id, name, active, created_at) VALUES (1, 'b', 1, '{NOW}')")
    wait_for_checkpoints()
    assert autocheckpoint(db) == AUTOCHECKPOINT_PAGES
    assert db.execute_sql("SELECT COUNT(*) FROM agents").fetchone()[0] == 0
