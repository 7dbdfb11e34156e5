"""The few SQL phrases SQLite and PostgreSQL say differently, chosen here and nowhere else.

Everything else the app runs is SQL both accept. On SQLite a write transaction takes the one write
lock when it starts (`BEGIN IMMEDIATE`), so writers never interleave; on PostgreSQL many run at once,
and a row another transaction is taking must be locked or passed over explicitly.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase


def skip_locked(db: Database) -> str:
    """Appended to a SELECT that picks a row to take: on PostgreSQL, lock it and pass over rows another
    transaction has locked, so two agents asking at once get two different tasks; nothing on SQLite,
    whose write transaction already excludes every other writer."""
    return " FOR UPDATE SKIP LOCKED" if isinstance(db, PostgresqlDatabase) else ""
