"""Whether the follow-up queue is behind the data: marked by the write that made it so, cleared by a build.

An import that wrote a batch and an undo mark the queue stale inside their own transaction, so a
process killed right after that commit (before it could rebuild) still leaves the mark, and whoever
looks at the queue next rebuilds first (`build.rebuild_if_stale`). `build_queue` clears the mark in its
merge transaction, but only the mark it saw when it started: every marking writes a new value, so a
build that began before a later import commits leaves that import's mark for the next rebuild.

The mark is one row of the `settings` table (key `queue_stale`): both SQLite and PostgreSQL have it,
and it travels with the data like every other team-wide setting.
"""

from __future__ import annotations

import datetime as dt
import uuid

from peewee import Database

STALE_KEY = "queue_stale"


def mark_queue_stale(db: Database, why: str) -> None:
    """Record that the queue must be rebuilt; the caller holds the transaction of the change."""
    p = db.param
    value = f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {why} {uuid.uuid4().hex}"
    # An upsert, not DELETE then INSERT: two imports committing at once on PostgreSQL must both succeed.
    db.execute_sql(
        f"INSERT INTO settings (key, value) VALUES ({p}, {p}) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (STALE_KEY, value),
    )


def stale_mark(db: Database) -> str | None:
    """The current mark (when and why the queue went stale), None while the queue is up to date."""
    row = db.execute_sql(f"SELECT value FROM settings WHERE key = {db.param}", (STALE_KEY,)).fetchone()
    return None if row is None else str(row[0])


def clear_stale_mark(db: Database, mark: str) -> None:
    """Clear `mark` if it is still the current one (a newer marking stays); the caller holds the transaction."""
    p = db.param
    db.execute_sql(f"DELETE FROM settings WHERE key = {p} AND value = {p}", (STALE_KEY, mark))
