"""Bulk writes skip SQLite's per-row foreign-key look-ups, and nothing they write breaks a reference."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from peewee import Database

from tests.conftest import AS_OF
from tests.import_files import row, write_csv
from wallet_crm.db import open_database
from wallet_crm.db.bulk import foreign_keys_trusted
from wallet_crm.followup.build import build_queue
from wallet_crm.imports import import_file


def _checks_on(db: Database) -> bool:
    return bool(db.execute_sql("PRAGMA foreign_keys").fetchone()[0])


def test_the_checks_are_off_inside_and_back_on_after_also_after_an_error(db_path: Path) -> None:
    db = open_database(db_path, bind=False)
    with foreign_keys_trusted(db):
        assert not _checks_on(db)
    assert _checks_on(db)
    with pytest.raises(RuntimeError), foreign_keys_trusted(db):
        raise RuntimeError("the import failed")
    assert _checks_on(db)
    db.close()


def test_inside_a_transaction_it_changes_nothing(db_path: Path) -> None:
    db = open_database(db_path, bind=False)
    with db.atomic(), foreign_keys_trusted(db):
        assert _checks_on(db)
        with pytest.raises(Exception, match="FOREIGN KEY"):
            db.execute_sql(
                "INSERT INTO tasks (customer_id, status, priority, top_reason, available_at, due_at, attempts, "
                "created_at, updated_at) VALUES (999, 'open', 1, 'dormant', '2026-11-20', '2026-11-20', 0, "
                "'2026-11-20', '2026-11-20')"
            )
    db.close()


def test_an_import_and_a_build_leave_every_reference_whole_and_the_checks_on(db_path: Path, tmp_path: Path) -> None:
    rows = [
        row(f"T{n}", when="2026-11-18 10:00:00", customer=f"C{n % 7}", phone=f"1381234{n % 7:04d}", status="失败")
        for n in range(40)
    ]
    source = write_csv(tmp_path / "failed.csv", rows, "utf-8-sig")
    db = open_database(db_path, bind=False)
    result = import_file(db, source)
    built = build_queue(db, AS_OF)
    assert result.inserted == 40
    assert built.created == 7
    assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    assert _checks_on(db)
    db.close()


def test_the_import_reader_process_starts_without_the_database_layer() -> None:
    """The reader child imports `pipeline` only: no peewee, no service (~0.15 s of its start)."""
    heavy = ("peewee", "wallet_crm.db", "wallet_crm.imports.service")
    code = f"import sys, wallet_crm.imports.pipeline; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
