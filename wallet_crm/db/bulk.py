"""Fast inserts of many rows through the driver's `executemany`, for imports and demo data.

peewee's `insert_many` spends ~70 µs a row building SQL; `executemany` on the raw cursor inside one
transaction is about 8x faster (shared/notes/performance.md). The placeholder comes from the
database, so the same call works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from peewee import Database


def insert_rows(db: Database, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """INSERT every row into `table`; the caller holds the transaction."""
    placeholders = ", ".join([db.param] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    cursor = db.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def db_time(value: dt.datetime) -> str:
    """A timestamp as peewee stores it: local wall-clock time to the second."""
    return value.strftime("%Y-%m-%d %H:%M:%S")
