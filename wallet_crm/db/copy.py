"""Move a team over: copy every row of a SQLite database into an empty PostgreSQL database.

The target gets the current schema first (opening it creates it), then each table's rows in the order
their foreign keys need, with their ids, in one transaction: the copy is all there or not at all.
Values are converted where the two databases store them differently (SQLite keeps booleans as 0/1),
and PostgreSQL's id sequences are moved past the copied ids so new rows don't collide. The counts of
both sides are returned table by table, for the user to see that nothing was left behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import Database, PostgresqlDatabase

from wallet_crm.db.bulk import insert_rows
from wallet_crm.errors import KnownError
from wallet_crm.messages import listed

CHUNK = 5_000
SKIPPED = frozenset({"schema_info"})  # the target records its own schema version when it is created
Progress = Callable[[str, int], None]  # (table, rows copied so far)


class CopyRefused(KnownError):
    """The copy can't start: the target is not PostgreSQL, not empty, or the source is older than this app."""


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int


def copy_database(source: Database, target: Database, progress: Progress | None = None) -> list[TableCount]:
    """Copy every row of `source` into the empty `target` (both opened with `open_database`)."""
    if not isinstance(target, PostgresqlDatabase):
        raise CopyRefused(code="team.copy_not_postgres")
    tables = _tables_in_order(target)
    filled = [table for table in tables if _count(target, table) > 0 and table not in _SEEDED]
    if filled:
        raise CopyRefused(code="team.copy_target_filled", tables=listed(filled[:3]))
    source_tables = set(source.get_tables())
    with target.atomic():
        for table in tables:
            if table in source_tables:
                _copy_table(source, target, table, progress)
        for table in tables:
            _move_sequence(target, table)
    target.execute_sql("ANALYZE")  # the planner's statistics for the new rows, before anybody queries them
    return [
        TableCount(table, _count(source, table) if table in source_tables else 0, _count(target, table))
        for table in tables
    ]


# Tables a new database starts with rows in (default settings): the copy replaces their rows.
_SEEDED = frozenset({"settings"})


def _copy_table(source: Database, target: Database, table: str, progress: Progress | None) -> None:
    target_columns = _columns(target, table)
    source_columns = {column.name for column in source.get_columns(table)}
    columns = [name for name in target_columns if name in source_columns]
    convert = _converters(target, table, columns)
    if table in _SEEDED:
        target.execute_sql(f"DELETE FROM {table}")
    copied = 0
    for chunk in _chunks(source.execute_sql(f"SELECT {', '.join(columns)} FROM {table}")):
        rows = [tuple(change(value) for change, value in zip(convert, row, strict=True)) for row in chunk]
        insert_rows(target, table, columns, rows)
        copied += len(rows)
        if progress is not None:
            progress(table, copied)


def _chunks(cursor: Any) -> Iterator[Sequence[Any]]:
    while rows := cursor.fetchmany(CHUNK):
        yield rows


def _same(value: Any) -> Any:
    return value


def _boolean(value: Any) -> Any:
    return value if value is None else bool(value)


def _converters(target: Database, table: str, columns: Sequence[str]) -> list[Callable[[Any], Any]]:
    """Per column, how a SQLite value becomes one the PostgreSQL column takes."""
    types = dict(
        target.execute_sql(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
            f"AND table_name = {target.param}",
            (table,),
        ).fetchall()
    )
    return [_boolean if types.get(name) == "boolean" else _same for name in columns]


def _columns(db: Database, table: str) -> list[str]:
    return [column.name for column in db.get_columns(table)]


def _count(db: Database, table: str) -> int:
    return int(db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _tables_in_order(db: Database) -> list[str]:
    """The target's tables, each after the tables its foreign keys point to."""
    tables = sorted(table for table in db.get_tables() if table not in SKIPPED)
    needs = {table: {key.dest_table for key in db.get_foreign_keys(table)} - {table} for table in tables}
    ordered: list[str] = []
    while needs:
        ready = sorted(table for table, wanted in needs.items() if wanted <= set(ordered))
        if not ready:  # a cycle: keep the remaining order (no such schema today)
            ready = sorted(needs)
        ordered += ready
        for table in ready:
            del needs[table]
    return ordered


def _move_sequence(db: Database, table: str) -> None:
    """Point the table's id sequence past the copied ids (a table without one is left alone)."""
    if "id" not in _columns(db, table):
        return
    sequence = db.execute_sql("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()[0]
    if sequence:
        db.execute_sql(
            f"SELECT setval(%s, COALESCE((SELECT MAX(id) FROM {table}), 1), (SELECT MAX(id) FROM {table}) IS NOT NULL)",
            (sequence,),
        )
