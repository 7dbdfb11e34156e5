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
