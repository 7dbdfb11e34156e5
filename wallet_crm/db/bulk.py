"""Fast inserts of many rows through the driver's `executemany`, for imports, demo data and the queue build.

peewee's `insert_many` spends ~70 µs a row building SQL; `executemany` on the raw cursor inside one
transaction is about 8x faster (shared/notes/performance.md). The placeholder comes from the
database, so the same call works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from peewee import Database, PostgresqlDatabase, SqliteDatabase

from wallet_crm.stored_time import from_db_time

BULK_CACHE_KIB = 64 * 1024
PAGE_ROWS = 1000  # rows a PostgreSQL round trip carries
TRANSACTION_COLUMNS = (
    "txn_id",
    "customer_id",
    "occurred_at",
    "amount_fen",
    "status",
    "txn_type",
    "channel",
    "merchant",
    "remark",
    "batch_id",
)


def insert_rows(db: Database, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """INSERT every row into `table`; the caller holds the transaction.

    On PostgreSQL, psycopg2's `executemany` sends one statement a row and waits for each answer (88k
    round trips in a queue build: most of its 25 s); `execute_values` sends ~1,000 rows a statement.
    """
    cursor = db.cursor()
    try:
        if isinstance(db, PostgresqlDatabase):
            from psycopg2.extras import execute_values

            execute_values(cursor, f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s", rows, page_size=PAGE_ROWS)
            return
        placeholders = ", ".join([db.param] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)
    finally:
        cursor.close()


@contextmanager
def bulk_cache(db: Database) -> Iterator[None]:
    """A larger SQLite page cache while writing many rows: with the default 2 MB, inserts into a table with
    several indexes thrash the cache and run at half speed. Restored afterwards; a no-op on PostgreSQL."""
    if not isinstance(db, SqliteDatabase):
        yield
        return
    previous = db.execute_sql("PRAGMA cache_size").fetchone()[0]
    db.execute_sql(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA cache_size = {int(previous)}")


@contextmanager
def foreign_keys_trusted(db: Database) -> Iterator[None]:
    """SQLite's foreign-key checks off on this connection for a bulk write whose every reference comes from
    rows read or written in the same write transaction (a batch id just made, customer ids just looked
    up or created): the per-row parent look-ups are ~20% of inserting 100k transactions. The checks come
    back on afterwards, whatever happens. Only for inserts and updates: with the checks off, a delete's
    ON DELETE actions would not run.

    `PRAGMA foreign_keys` does nothing inside a transaction, so there (and on PostgreSQL) this changes nothing.
    """
    if not isinstance(db, SqliteDatabase) or db.in_transaction():
        yield
        return
    previous = int(db.execute_sql("PRAGMA foreign_keys").fetchone()[0])
    db.execute_sql("PRAGMA foreign_keys = 0")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA foreign_keys = {previous}")


def insert_returning_id(db: Database, table: str, columns: Sequence[str], values: Sequence[object]) -> int:
    """INSERT one row and return its id (`RETURNING`: SQLite 3.35+ and PostgreSQL); the caller holds the transaction."""
    placeholders = ", ".join([db.param] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) RETURNING id"
    return int(db.execute_sql(sql, tuple(values)).fetchone()[0])


ROWS_PER_INSERT = 1000  # rows a multi-row INSERT ... RETURNING carries (well under both databases' parameter limits)
MAX_PARAMETERS = 30_000  # SQLite allows 32,766 parameters a statement since 3.32, PostgreSQL 65,535


def insert_returning(
    db: Database, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]], returning: Sequence[str]
) -> list[tuple[Any, ...]]:
    """INSERT every row and return the `returning` columns of each, as the insert itself reports them: never
    guessed from `MAX(id)`, which another writer (on PostgreSQL, a colleague's outcome) can move meanwhile.

    Multi-row `VALUES` statements with `RETURNING` (SQLite 3.35+, PostgreSQL), ~1,000 rows each: as fast as
    `executemany` here. The rows come back in no promised order, so `returning` should name what identifies
    a row (e.g. its customer) besides its id. The caller holds the transaction.
    """
    per_statement = max(1, min(ROWS_PER_INSERT, MAX_PARAMETERS // max(len(columns), 1)))
    row_sql = f"({', '.join([db.param] * len(columns))})"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    tail = f" RETURNING {', '.join(returning)}"
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        sql = head + ", ".join([row_sql] * len(chunk)) + tail
        found.extend(tuple(row) for row in db.execute_sql(sql, [value for row in chunk for value in row]))
    return found


def execute_many(db: Database, sql: str, rows: Iterable[Sequence[object]]) -> None:
    """Run one UPDATE/DELETE statement for every parameter row (on PostgreSQL ~1,000 to a round trip)."""
    cursor = db.cursor()
    try:
        if isinstance(db, PostgresqlDatabase):
            from psycopg2.extras import execute_batch

            execute_batch(cursor, sql, rows, page_size=PAGE_ROWS)
            return
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def time_parser(db: Database) -> Callable[[Any], dt.datetime]:
    """`from_db_time` for many values: SQLite's text goes straight to the C parser (3x faster a call)."""
    return dt.datetime.fromisoformat if isinstance(db, SqliteDatabase) else from_db_time
