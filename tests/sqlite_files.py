"""Looking at and holding a SQLite database file from outside the app, for tests: a row count, and another
process that keeps the file open (idle after a read, or holding the write lock) until the block ends."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOLD_OPEN = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "read":
    connection.execute("SELECT COUNT(*) FROM customers").fetchone()
else:
    connection.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
if connection.in_transaction:
    connection.execute("ROLLBACK")
"""


def count(path: Path, table: str = "customers") -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


@contextmanager
def held(path: Path, how: str = "write") -> Iterator[None]:
    """Another process with the database open: "read" (idle after a read) or "write" (holding the write
    lock, as a long import does); it rolls back and exits when the block ends."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(path), how], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        try:
            assert holder.stdout.readline().strip() == "held"
            yield
        finally:
            holder.stdin.close()
            holder.wait(timeout=10)
    assert holder.returncode == 0
