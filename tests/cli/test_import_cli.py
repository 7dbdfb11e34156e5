"""`wallet-crm import`, `imports` and `undo-import` run as the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.import_files import numbered_rows, row, snapshot, write_csv, write_xlsx


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wallet_crm", "--db", str(db), *args], capture_output=True, text=True, timeout=120
    )


def test_import_json_then_again_then_history_and_undo(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    path = write_xlsx(tmp_path / "day1.xlsx", [*numbered_rows(3), row("BAD", amount="lots")])

    first = run(db, "import", str(path), "--json")

    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {
        "file": str(path),
        "inserted": 3,
        "duplicates": 0,
        "rejected": 1,
        "skipped": 0,
        "customers_created": 3,
        "customers_updated": 0,
        "batch_id": 1,
        "errors": [{"row": 8, "field": "amount", "value": "lots", "reason": "not an amount of money"}],
        "errors_not_listed": 0,
        "dry_run": False,
    }
    again = json.loads(run(db, "import", str(path), "--json").stdout)
    assert (again["inserted"], again["duplicates"], again["batch_id"]) == (0, 3, 2)

    status = json.loads(run(db, "status", "--json").stdout)
    assert (status["customers"], status["transactions"]) == (3, 3)

    history = json.loads(run(db, "imports", "--json").stdout)
    assert [(b["id"], b["file_name"], b["inserted"], b["undone_at"]) for b in history] == [
        (2, "day1.xlsx", 0, None),
        (1, "day1.xlsx", 3, None),
    ]
    undo = run(db, "undo-import", "1")
    assert undo.returncode == 0 and "3 transactions and 3 customers removed" in undo.stdout
    status = json.loads(run(db, "status", "--json").stdout)
    assert (status["customers"], status["transactions"]) == (0, 0)
    refused = run(db, "undo-import", "1")
    assert refused.returncode == 2 and "already undone" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_dry_run_and_several_files(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    day1 = write_xlsx(tmp_path / "day1.xlsx", numbered_rows(2))
    day2 = write_csv(tmp_path / "day2.csv", numbered_rows(3), "gbk")
    assert run(db, "status").returncode == 0
    before = snapshot(db)

    dry = run(db, "import", str(day1), str(day2), "--dry-run", "--json")

    assert dry.returncode == 0, dry.stderr
    results = [json.loads(line) for line in dry.stdout.splitlines()]
    assert [(r["file"], r["inserted"], r["batch_id"]) for r in results] == [(str(day1), 2, None), (str(day2), 3, None)]
    assert all(r["dry_run"] is True and r["errors_not_listed"] == 0 for r in results)
    assert snapshot(db) == before

    real = run(db, "import", str(day1), str(day2))
    assert real.returncode == 0
    assert "inserted 2," in real.stdout.splitlines()[0] and "inserted 1, duplicates 2" in real.stdout.splitlines()[1]


def test_a_file_that_cannot_be_read_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    good = write_xlsx(tmp_path / "good.xlsx", numbered_rows(2))
    assert run(db, "import", str(good)).returncode == 0
    bad = tmp_path / "notes.xlsx"
    bad.write_text("just some notes, not a spreadsheet\n" * 20, encoding="utf-8")
    before = snapshot(db)

    result = run(db, "import", str(bad))

    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "notes.xlsx" in lines[0] and "Traceback" not in result.stderr
    assert snapshot(db) == before


def test_sheet_option_picks_the_sheet(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    path = write_xlsx(tmp_path / "m.xlsx", numbered_rows(2), other_sheets={"十一月": [("交易单号",)]})
    result = run(db, "import", str(path), "--sheet", "十一月", "--json")
    assert result.returncode == 2 and "十一月" in result.stderr
    assert json.loads(result.stdout)["error"].startswith("No header row found")
