"""An import killed right after its commit leaves transactions and no tasks: the next command rebuilds."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.import_files import row, write_csv

# Imports through the service, as `wallet-crm import` does, and dies between the commit and the rebuild.
KILLED_AFTER_COMMIT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from wallet_crm.db import open_database
    from wallet_crm.imports import import_file

    result = import_file(open_database(sys.argv[1]), Path(sys.argv[2]))
    print(result.inserted, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def wallet_crm(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wallet_crm", "--db", str(db_path), *args], capture_output=True, text=True, timeout=120
    )


def counts(db_path: Path) -> tuple[int, int, int]:
    """Transactions, tasks and stale marks."""
    check = sqlite3.connect(db_path)
    try:
        return tuple(  # type: ignore[return-value]
            int(check.execute(sql).fetchone()[0])
            for sql in (
                "SELECT COUNT(*) FROM transactions",
                "SELECT COUNT(*) FROM tasks",
                "SELECT COUNT(*) FROM settings WHERE key = 'queue_stale'",
            )
        )
    finally:
        check.close()


@pytest.fixture
def killed_import(tmp_path: Path) -> tuple[Path, Path]:
    """A database an import was killed in right after its commit, and the file it imported."""
    when = (dt.datetime.now() - dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    rows = [row(f"T{i}", when=when, customer=f"C{i}", phone=f"1381234{i:04d}", status="失败") for i in range(3)]
    source = write_csv(tmp_path / "failed.csv", rows, "utf-8-sig")
    db_path = tmp_path / "crm.sqlite3"
    child = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_COMMIT, str(db_path), str(source)], capture_output=True, text=True
    )
    assert child.returncode == -signal.SIGKILL and child.stdout.strip() == "3", child.stderr
    assert counts(db_path) == (3, 0, 1)  # the batch is in, the queue is not, and the database knows it
    return db_path, source


def test_the_next_queue_list_rebuilds_after_an_import_killed_before_its_rebuild(
    killed_import: tuple[Path, Path],
) -> None:
    db_path, _source = killed_import
    listed = wallet_crm(db_path, "queue", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(task["reasons"][0] for task in json.loads(listed.stdout)) == ["failed_payment"] * 3
    assert counts(db_path) == (3, 3, 0)


def test_importing_again_rebuilds_even_when_the_file_brings_nothing_new(killed_import: tuple[Path, Path]) -> None:
    db_path, source = killed_import
    again = wallet_crm(db_path, "--lang", "en", "import", str(source))
    assert again.returncode == 0, again.stderr
    assert "inserted 0, duplicates 3" in again.stdout and "(nothing new: no batch)" in again.stdout
    assert "follow-up queue: 3 new tasks, 3 open" in again.stdout
    assert counts(db_path) == (3, 3, 0)


def test_undo_import_leaves_the_queue_decided_again(killed_import: tuple[Path, Path]) -> None:
    db_path, _source = killed_import
    assert wallet_crm(db_path, "queue", "build").returncode == 0
    assert counts(db_path) == (3, 3, 0)
    undone = wallet_crm(db_path, "undo-import", "1")
    assert undone.returncode == 0, undone.stderr
    assert counts(db_path) == (0, 0, 0)  # the untouched tasks went with the batch, and no mark is left
