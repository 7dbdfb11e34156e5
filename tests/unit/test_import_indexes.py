"""An import into an empty transactions table builds the table's indexes once at the end, and leaves them as
they were whatever happens; into a table with rows it keeps them all the way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from tests.import_files import numbered_rows, row, write_csv
from wallet_crm.db import open_database
from wallet_crm.imports import ImportOptions, UnknownWordsError, import_file

OPTIONS = ImportOptions(as_of=dt.datetime(2026, 11, 20, 10, 0), imported_by="tester")
INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'transactions' ORDER BY name"


def _statements(db: SqliteDatabase) -> list[str]:
    """The statements the connection runs from now on, as SQLite reports them."""
    seen: list[str] = []
    db.connection().set_trace_callback(seen.append)
    return seen


def test_the_first_import_builds_the_indexes_at_the_end_and_the_next_keeps_them(tmp_path: Path) -> None:
    db = open_database(tmp_path / "crm.sqlite3", bind=False)
    assert isinstance(db, SqliteDatabase)
    before = db.execute_sql(INDEXES).fetchall()
    assert len(before) == 6  # txn_id (unique) and five more
    seen = _statements(db)

    first = import_file(db, write_csv(tmp_path / "day1.csv", numbered_rows(50), "utf-8"), OPTIONS)

    assert first.inserted == 50
    assert db.execute_sql(INDEXES).fetchall() == before
    dropped = [text for text in seen if text.startswith("DROP INDEX")]
    assert len(dropped) == 5 and not any("txn_id" in text for text in dropped)
    assert sum(text.startswith("CREATE INDEX") for text in seen) == 5
    seen.clear()

    second = import_file(db, write_csv(tmp_path / "day2.csv", numbered_rows(20, start=51), "utf-8"), OPTIONS)

    assert second.inserted == 20
    assert not any(text.startswith(("DROP INDEX", "CREATE INDEX")) for text in seen)
    assert db.execute_sql(INDEXES).fetchall() == before
    db.close()


@pytest.mark.parametrize("dry_run", [False, True], ids=["refused", "dry-run"])
def test_an_import_that_writes_nothing_leaves_the_indexes_as_they_were(tmp_path: Path, dry_run: bool) -> None:
    db = open_database(tmp_path / "crm.sqlite3", bind=False)
    before = db.execute_sql(INDEXES).fetchall()
    rows = [*numbered_rows(30), row("T99999", status="挂起")]  # a word nobody mapped: the import writes nothing
    path = write_csv(tmp_path / "held.csv", rows, "utf-8")

    if dry_run:
        assert import_file(db, path, ImportOptions(as_of=OPTIONS.as_of, dry_run=True)).held == 1
    else:
        with pytest.raises(UnknownWordsError):
            import_file(db, path, OPTIONS)

    assert db.execute_sql(INDEXES).fetchall() == before
    assert db.execute_sql("SELECT COUNT(*) FROM transactions").fetchone()[0] == 0
    db.close()
