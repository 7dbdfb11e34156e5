"""The few things SQLite and PostgreSQL say differently, chosen here and nowhere else.

Everything else the app runs is SQL both accept. On SQLite a write transaction takes the one write
lock when it starts (`BEGIN IMMEDIATE`), so writers never interleave; on PostgreSQL many run at once,
and a row another transaction is taking must be locked or passed over explicitly.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase, SqliteDatabase


def skip_locked(db: Database) -> str:
    """Appended to a SELECT that picks a row to take: on PostgreSQL, lock it and pass over rows another
    transaction has locked, so two agents asking at once get two different tasks; nothing on SQLite,
    whose write transaction already excludes every other writer."""
    return " FOR UPDATE SKIP LOCKED" if isinstance(db, PostgresqlDatabase) else ""


def plus_hours_sql(db: Database, column: str, hours: int) -> str:
    """SQL for the time in `column` plus `hours` hours, comparable with the stored times of that database
    (SQLite keeps times as text: `datetime()` writes the same `YYYY-MM-DD HH:MM:SS`)."""
    if isinstance(db, SqliteDatabase):
        return f"datetime({column}, '+{int(hours)} hours')"
    return f"({column} + interval '{int(hours)} hours')"


def commit_count(db: Database) -> int | None:
    """A number that changes whenever another connection commits to the database, None where there is no such
    number (PostgreSQL): the caller then assumes something may have changed.

    SQLite's `PRAGMA data_version`: its own connection's commits do not change it, and inside a write
    transaction it includes every commit before the lock was taken.
    """
    if not isinstance(db, SqliteDatabase):
        return None
    return int(db.execute_sql("PRAGMA data_version").fetchone()[0])


BUILD_LOCK_KEY = 0x77637271  # any fixed number; the same in every copy of the app ("wcrq")


def take_build_lock(db: Database) -> None:
    """Inside a write transaction: wait until no other queue build is merging, and hold the turn until
    commit. On PostgreSQL a transaction-scoped advisory lock; on SQLite the write transaction itself is
    the lock, so nothing to do."""
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (BUILD_LOCK_KEY,))


ANALYZE_AFTER_ROWS = 5_000  # rows written at once past which PostgreSQL's statistics are refreshed at once


def refresh_statistics(db: Database, tables: tuple[str, ...], rows_written: int) -> None:
    """After a write of many rows (a queue build, an import), on PostgreSQL: ANALYZE the tables it wrote.

    Autovacuum refreshes the planner's statistics only a while later; a next-day queue build run before
    that planned its reads for the table as it was (40 s instead of 9 s on 1M transactions). ANALYZE
    samples, so it costs ~0.5 s there whatever the size. SQLite plans without statistics: nothing to do.
    """
    if isinstance(db, PostgresqlDatabase) and rows_written >= ANALYZE_AFTER_ROWS:
        for table in tables:
            db.execute_sql(f"ANALYZE {table}")
