"""Ids of many inserted rows come back from the insert itself, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from peewee import Database

from wallet_crm.db.bulk import ROWS_PER_INSERT, insert_returning

NOW = "2026-11-20 12:00:00"


def test_every_row_comes_back_with_the_id_it_was_given(db: Database) -> None:
    count = 2 * ROWS_PER_INSERT + 7  # three statements, the last one short
    with db.atomic():
        db.execute_sql(f"INSERT INTO agents (name, active, created_at) VALUES ('已有', {db.param}, '{NOW}')", (True,))
        returned = insert_returning(
            db,
            "agents",
            ("name", "active", "created_at"),
            [(f"坐席{n}", True, NOW) for n in range(count)],
            ("id", "name"),
        )
    stored = {(int(row[0]), row[1]) for row in db.execute_sql("SELECT id, name FROM agents WHERE name <> '已有'")}
    assert len(returned) == count
    assert {(int(agent_id), name) for agent_id, name in returned} == stored
    assert len({agent_id for agent_id, _ in returned}) == count


def test_nothing_to_insert_runs_nothing(db: Database) -> None:
    assert insert_returning(db, "agents", ("name", "active", "created_at"), [], ("id",)) == []
