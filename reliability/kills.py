"""Kills of `queue build`, `export` and `undo-import` at random moments, and processes racing on one file."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import zipfile
from pathlib import Path

from reliability.common import (
    AS_OF_FORMAT,
    ROWS,
    Outcome,
    _cli,
    _count,
    _kill_at_random,
    _write_export,
    command,
    copy_database,
    one_error_line,
    rows,
    run_cli,
    timed,
)

CREATED = 3000  # customers the 20,000-row file creates


def make_template(work: Path) -> Path:
    """A database holding one imported 20,000-row batch (from three days ago) and the queue built on it."""
    source = work / "recent.csv"
    _write_export(source, ROWS, base=dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=3))
    template = work / "template.sqlite3"
    result = run_cli(template, "import", str(source))
    assert result.returncode == 0, result.stderr
    result = run_cli(template, "agents", "add", "小李")
    assert result.returncode == 0, result.stderr
    return template


def broken_references(db: Path) -> int:
    """Rows pointing at a row that is not there (a task without its customer, say)."""
    return len(rows(db, "PRAGMA foreign_key_check"))


def _queue(db: Path) -> list[tuple[object, ...]]:
    return rows(db, "SELECT id, customer_id, status, priority, top_reason FROM tasks ORDER BY id")


def build_killed(work: Path, runs: int, rng: random.Random, template: Path) -> Outcome:
    outcome = Outcome("queue build killed at a random moment")
    as_of = (dt.datetime.now() + dt.timedelta(days=18)).strftime(AS_OF_FORMAT)
    reference = work / "build-reference.sqlite3"
    copy_database(template, reference)
    before = _queue(reference)
    startup = timed(reference, "imports")  # a short command: starting Python and opening the file
    longest = timed(reference, "queue", "build", "--as-of", as_of)
    after = _queue(reference)
    assert before != after, "the build being killed must change the queue"
    killed_mid = left_new = 0
    for run in range(runs):
        db = work / f"build-{run}.sqlite3"
        copy_database(template, db)
        killed_mid += _kill_at_random(_cli(db, "queue", "build", "--as-of", as_of), rng, longest, startup)
        state = _queue(db)
        left_new += state == after
        listing = run_cli(db, "queue", "list")
        again = run_cli(db, "queue", "build", "--as-of", as_of)
        final = _queue(db)
        outcome.runs += 1
        outcome.rows_lost += len(set(after) - set(final)) + max(
            ROWS - _count(db, "SELECT COUNT(*) FROM transactions"), 0
        )
        if state in (before, after) and listing.returncode == 0 and again.returncode == 0 and final == after:
            outcome.passed += broken_references(db) == 0
    outcome.note = (
        f"{killed_mid} killed before the end; the queue was the old one {runs - left_new}x, the new one {left_new}x"
    )
    return outcome


def _export_leftovers(folder: Path) -> list[str]:
    state = Path(os.environ["XDG_STATE_HOME"]) / "wallet-crm" / "exports-in-progress"
    partial = [item.name for item in folder.iterdir() if item.name.endswith(".partial")]
    scratch = [item.name for item in state.iterdir()] if state.is_dir() else []
    return partial + scratch


def _complete_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None and "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def export_killed(work: Path, runs: int, rng: random.Random, template: Path) -> Outcome:
    outcome = Outcome("export killed at a random moment")
    reference = work / "export-reference.sqlite3"
    copy_database(template, reference)
    longest = timed(reference, "export", "transactions", "-o", str(work / "export-reference.xlsx"))
    killed_mid = finished_in_place = 0
    failures: list[str] = []
    for run in range(runs):
        folder = work / f"export-{run}"
        folder.mkdir()
        target = folder / "transactions.xlsx"
        killed = _kill_at_random(_cli(reference, "export", "transactions", "-o", str(target)), rng, longest)
        killed_mid += killed
        # Killed before its workbook was in place: nothing there. Killed after (or finished): the whole workbook.
        at_target_ok = not target.exists() or _complete_workbook(target)
        finished_in_place += killed and target.exists()
        again = run_cli(reference, "export", "transactions", "-o", str(folder / "again.xlsx"), "--json")
        exported = json.loads(again.stdout)["rows"] if again.returncode == 0 else 0
        left = _export_leftovers(folder)
        outcome.runs += 1
        outcome.rows_lost += max(ROWS - exported, 0)
        if at_target_ok and again.returncode == 0 and exported == ROWS and not left:
            outcome.passed += 1
        else:
            failures.append(f"run {run}: target ok {at_target_ok}, again {again.returncode}, leftovers {left}")
    outcome.note = failures[0][:120] if failures else f"{killed_mid} killed mid-export ({finished_in_place} after "
    if not failures:
        outcome.note += "the file was in place); no partial file or scratch folder outlived the next export"
    return outcome


def _batch_state(db: Path, batch: int) -> tuple[bool, int, int]:
    """Whether `batch` is marked undone, its transactions, the customers it created."""
    undone = _count(db, f"SELECT COUNT(*) FROM import_batches WHERE id = {batch} AND undone_at IS NOT NULL")
    transactions = _count(db, f"SELECT COUNT(*) FROM transactions WHERE batch_id = {batch}")
    customers = _count(db, f"SELECT COUNT(*) FROM customers WHERE created_batch_id = {batch}")
    return bool(undone), transactions, customers


def undo_killed(work: Path, runs: int, rng: random.Random, template: Path) -> Outcome:
    outcome = Outcome("undo-import killed at a random moment")
    reference = work / "undo-reference.sqlite3"
    copy_database(template, reference)
    startup = timed(reference, "imports")  # a short command: starting Python and opening the file
    longest = timed(reference, "undo-import", "1")
    killed_mid = gone = 0
    for run in range(runs):
        db = work / f"undo-{run}.sqlite3"
        copy_database(template, db)
        killed_mid += _kill_at_random(_cli(db, "undo-import", "1"), rng, longest, startup)
        undone, transactions, customers = _batch_state(db, 1)
        gone += undone
        whole = (undone, transactions, customers) in ((False, ROWS, CREATED), (True, 0, 0))
        again = run_cli(db, "undo-import", "1")
        again_ok = one_error_line(again.returncode, again.stderr) if undone else again.returncode == 0
        listing = run_cli(db, "queue", "list")
        outcome.runs += 1
        if not undone:
            outcome.rows_lost += ROWS - transactions
        final = _batch_state(db, 1)
        tasks = _count(db, "SELECT COUNT(*) FROM tasks WHERE status = 'open'")
        if whole and again_ok and listing.returncode == 0 and final == (True, 0, 0) and tasks == 0:
            outcome.passed += broken_references(db) == 0
    outcome.note = f"{killed_mid} killed before the end; the batch all there {runs - gone}x, all gone {gone}x"
    return outcome


def processes_raced(work: Path, rounds: int, template: Path) -> Outcome:
    """Import, queue build, undo-import and outcome started together on one file, for `rounds` rounds."""
    outcome = Outcome("import/build/undo/outcome racing")
    db = work / "race.sqlite3"
    copy_database(template, db)
    base = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=2)
    failures: list[str] = []
    exits: dict[int, int] = {}
    for round_ in range(rounds):
        source = work / f"race-{round_}.csv"
        _write_export(source, 4000, base=base + dt.timedelta(minutes=round_), prefix=f"X{round_}-")
        live = _count(db, "SELECT COALESCE(MAX(id), 0) FROM import_batches WHERE undone_at IS NULL")
        task = _count(db, "SELECT COALESCE(MIN(id), 0) FROM tasks WHERE status = 'open' AND held_until IS NULL")
        # Every other round a short busy timeout, so that some of them give up and say the file is busy.
        env = {**os.environ, **({"WALLET_CRM_BUSY_TIMEOUT_MS": "200"} if round_ % 2 else {})}
        commands = [
            ("import", str(source)),
            ("queue", "build"),
            ("undo-import", str(live)),
            ("outcome", str(task), "--agent", "小李", "--disposition", "no_answer"),
        ]
        processes = [
            subprocess.Popen(command(db, *args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
            for args in commands
        ]
        for args, process in zip(commands, processes, strict=True):
            _, stderr = process.communicate(timeout=120)
            exits[process.returncode] = exits.get(process.returncode, 0) + 1
            outcome.runs += 1
            if process.returncode == 0 or one_error_line(process.returncode, stderr):
                outcome.passed += 1
            else:
                failures.append(f"round {round_} {args[0]} exit {process.returncode}: {stderr.strip()[-100:]}")
        expected = _count(db, "SELECT COALESCE(SUM(inserted), 0) FROM import_batches WHERE undone_at IS NULL")
        stored = _count(db, "SELECT COUNT(*) FROM transactions")
        orphans = _count(
            db,
            "SELECT COUNT(*) FROM transactions t LEFT JOIN import_batches b ON b.id = t.batch_id "
            "WHERE b.id IS NULL OR b.undone_at IS NOT NULL",
        )
        broken = broken_references(db)
        outcome.runs += 1
        outcome.rows_lost += max(expected - stored, 0)
        if stored == expected and orphans == 0 and broken == 0:
            outcome.passed += 1
        else:
            failures.append(f"round {round_}: {stored} stored, {expected} expected, {orphans} orphans, {broken} refs")
    summary = ", ".join(f"exit {code}: {count}" for code, count in sorted(exits.items()))
    outcome.note = failures[0][:120] if failures else f"{rounds} rounds of 4 processes ({summary}); counts consistent"
    return outcome
