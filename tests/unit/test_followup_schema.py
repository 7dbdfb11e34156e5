"""Schema version 4: the follow-up tables arrive on an existing database without touching its rows."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from wallet_crm.db import close_database, open_database
from wallet_crm.db.migrations import apply_migrations


def test_a_version_3_file_gains_the_followup_tables_and_flags(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    old = SqliteDatabase(str(path), pragmas={"journal_mode": "wal"})
    with old.atomic():
        apply_migrations(old, 0, target=3)
        old.execute_sql(
            "INSERT INTO customers (id, external_id, phone, name, created_at, updated_at) "
            "VALUES (1, 'C1', '+8613812345678', '张三', '2026-01-01 09:00:00', '2026-01-01 09:00:00')"
        )
    old.close()
    db = open_database(path)
    try:
        flags = db.execute_sql("SELECT do_not_contact, phone_invalid, name FROM customers").fetchone()
        assert tuple(flags) == (0, 0, "张三")
        tables = set(db.get_tables())
        assert {"agents", "tasks", "task_reasons", "contact_attempts", "attempt_topics", "phone_reveals"} <= tables
        task_indexes = {index.name: index for index in db.get_indexes("tasks")}
        assert task_indexes["tasks_one_open_per_customer"].unique
        assert "tasks_status_priority_due_at" in task_indexes
        attempt_indexes = {tuple(index.columns) for index in db.get_indexes("contact_attempts")}
        assert ("customer_id", "attempted_at") in attempt_indexes and ("attempted_at",) in attempt_indexes
    finally:
        close_database()


def test_version_10_indexes_only_the_tasks_that_have_an_agent_a_hold_or_a_closing_time_and_not_due_times(
    db_path: Path,
) -> None:
    """Partial indexes (schema v10): new tasks add nothing to them, and the queries on those columns still use them."""
    db = open_database(db_path, bind=False)
    try:
        sql = dict(db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks'"))
        assert "WHERE assigned_to_id IS NOT NULL" in sql["task_assigned_to_id"]
        assert "WHERE held_by_id IS NOT NULL" in sql["task_held_by_id"]
        assert "WHERE closed_at IS NOT NULL" in sql["tasks_status_closed_at"]
        assert "tasks_status_due_at" not in sql
        held = " ".join(
            str(row[-1])
            for row in db.execute_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM tasks WHERE held_by_id = 1 AND held_until > '2026-11-20' "
                "AND status = 'open'"
            )
        )
        closed = " ".join(
            str(row[-1])
            for row in db.execute_sql(
                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM tasks WHERE status = 'done' AND closed_at >= '2026-11-01' "
                "AND closed_at < '2026-12-01'"
            )
        )
        overdue = " ".join(
            str(row[-1])
            for row in db.execute_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM tasks WHERE status = 'open' AND due_at < '2026-11-20'"
            )
        )
        assert "task_held_by_id" in held
        assert "tasks_status_priority_due_at" in overdue
        assert "tasks_status_closed_at" in closed
    finally:
        db.close()
