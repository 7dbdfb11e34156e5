"""An import killed with SIGKILL leaves none or all of its batch, never a part, and a sound database."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.import_files import numbered_rows, write_csv

ROWS = 30_000

IMPORTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from wallet_crm.db import open_database
    from wallet_crm.imports import import_file

    db = open_database(sys.argv[1])
    def report(done, total):
        print(done, total, flush=True)
    import_file(db, Path(sys.argv[2]), progress=report)
    print("finished", flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [0.3, 0.6, 0.9], ids=["reading", "early-write", "late-write"])
def test_sigkill_leaves_none_or_all_of_the_batch(tmp_path: Path, kill_at: float) -> None:
    db_path = tmp_path / "crm.sqlite3"
    source = write_csv(tmp_path / "big.csv", numbered_rows(ROWS), "utf-8-sig")
    command = [sys.executable, "-c", IMPORTER, str(db_path), str(source)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            words = line.split()
            if words[0] == "finished" or int(words[0]) >= kill_at * int(words[1]):
                break
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    assert process.returncode in (-signal.SIGKILL, 0)

    check = sqlite3.connect(db_path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        transactions = check.execute("SELECT COUNT(*) FROM transactions").fetchone()[0]
        batches = check.execute("SELECT COUNT(*), COALESCE(SUM(inserted), 0) FROM import_batches").fetchone()
        customers = check.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
    finally:
        check.close()
    assert (transactions, batches, customers) in {(0, (0, 0), 0), (ROWS, (1, ROWS), 5)}
