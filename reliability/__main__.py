"""`make reliability`: what survives kills and hostile input, as a table (scenario, runs, passed, rows lost).

Outside the fast tests: it kills real processes at random moments and fuzzes the row checker.
- import killed: `wallet-crm import` of a 20,000-row file is SIGKILLed at a random moment; the file must
  hold all the rows or none, and importing again must leave exactly 20,000 (rows lost = the shortfall).
- outcome killed: `wallet-crm outcome` is killed at a random moment; the attempt is stored once or not at
  all, and the task is open or done accordingly.
- value parsers fuzzed: hypothesis feeds amounts, dates and phones of every shape to the parsers; each
  gives a value or a `BadValue` with a reason, never another exception.
- row checker fuzzed: random rows under a real header; every row is inserted, rejected with a reason,
  held for an unknown word or skipped: none vanishes, none crashes.
Exits 1 when any scenario lost a row or failed a run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROWS = 20_000
HEADER = ("交易流水号", "交易时间", "客户编号", "手机号码", "交易类型", "交易金额", "交易状态")


@dataclass
class Outcome:
    scenario: str
    runs: int = 0
    passed: int = 0
    rows_lost: int = 0
    note: str = ""


def _cli(db: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "wallet_crm", "--db", str(db), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _count(db: Path, sql: str) -> int:
    connection = sqlite3.connect(db)
    try:
        return int(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


def _write_export(path: Path, rows: int, base: dt.datetime = dt.datetime(2026, 11, 1, 9, 0, 0)) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            when = base + dt.timedelta(seconds=number * 7)
            status = "失败" if number % 11 == 0 else "成功"
            writer.writerow(
                (f"R{number:07d}", f"{when:%Y-%m-%d %H:%M:%S}", f"C{number % 3000:05d}",
                 f"1381234{number % 3000:04d}", "消费", f"{number % 900 + 1}.50", status)
            )  # fmt: skip


def _kill_at_random(process: subprocess.Popen[bytes], rng: random.Random, longest: float) -> bool:
    """Kill `process` after a random delay up to `longest` seconds; False when it had already finished."""
    deadline = time.monotonic() + rng.uniform(0.05, longest)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def import_killed(work: Path, runs: int, rng: random.Random) -> Outcome:
    outcome = Outcome("import killed at a random moment")
    source = work / "export.csv"
    _write_export(source, ROWS)
    started = time.monotonic()
    assert _cli(work / "timing.sqlite3", "import", str(source)).wait() == 0
    longest = time.monotonic() - started
    killed_mid = 0
    for run in range(runs):
        db = work / f"import-{run}.sqlite3"
        assert _cli(db, "status").wait() == 0
        killed_mid += _kill_at_random(_cli(db, "import", str(source)), rng, longest)
        stored = _count(db, "SELECT COUNT(*) FROM transactions")
        again = _cli(db, "import", str(source)).wait()
        final = _count(db, "SELECT COUNT(*) FROM transactions")
        outcome.runs += 1
        outcome.rows_lost += max(ROWS - final, 0)
        if stored in (0, ROWS) and again == 0 and final == ROWS:
            outcome.passed += 1
    outcome.note = f"{killed_mid} killed mid-import, the rest had finished"
    return outcome


def outcome_killed(work: Path, runs: int, rng: random.Random) -> Outcome:
    outcome = Outcome("outcome killed at a random moment")
    source = work / "small.csv"
    _write_export(source, 200, base=dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=2))
    lost = 0
    for run in range(runs):
        db = work / f"outcome-{run}.sqlite3"
        for args in (("import", str(source)), ("agents", "add", "小李"), ("queue", "build")):
            assert _cli(db, *args).wait() == 0
        task = _count(db, "SELECT MIN(id) FROM tasks WHERE status = 'open'")
        process = _cli(db, "outcome", str(task), "--agent", "小李", "--disposition", "reached_resolved", "--csat", "5")
        _kill_at_random(process, rng, 1.5)
        attempts = _count(db, f"SELECT COUNT(*) FROM contact_attempts WHERE task_id = {task}")
        status_done = _count(db, f"SELECT COUNT(*) FROM tasks WHERE id = {task} AND status = 'done'")
        outcome.runs += 1
        if (attempts, status_done) in ((0, 0), (1, 1)):
            outcome.passed += 1
        else:
            lost += 1
    outcome.rows_lost = lost
    outcome.note = "an attempt is stored with its task's new status, or neither is"
    return outcome


def parsers_fuzzed(examples: int) -> Outcome:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from wallet_crm.imports.values import BadValue, Cell, parse_amount, parse_datetime, parse_phone

    outcome = Outcome("value parsers fuzzed (hypothesis)")
    cells = st.one_of(
        st.text(max_size=40),
        st.text(alphabet="0123456789.,-+ ¥$()（）元/:*'`\t", max_size=24),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.booleans(),
        st.none(),
        st.datetimes(),
    )
    failures: list[str] = []

    @settings(max_examples=examples, suppress_health_check=list(HealthCheck), deadline=None, database=None)
    @given(cells)
    def check(cell: Cell) -> None:
        for parse in (parse_amount, parse_datetime, parse_phone):
            try:
                parse(cell)
            except BadValue as exc:
                if not exc.code:
                    failures.append(f"{parse.__name__}({cell!r}): a BadValue without a reason")
            except Exception as exc:  # anything else is a crash the user would see
                failures.append(f"{parse.__name__}({cell!r}): {type(exc).__name__}: {exc}")

    check()
    outcome.runs = examples * 3
    outcome.passed = outcome.runs - len(failures)
    outcome.note = failures[0][:120] if failures else ""
    return outcome


def rows_fuzzed(work: Path, examples: int) -> Outcome:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from wallet_crm.db import close_database, open_database
    from wallet_crm.imports import ImportOptions, import_file

    outcome = Outcome("row checker fuzzed (hypothesis)")
    cell = st.one_of(
        st.text(max_size=20), st.sampled_from(["成功", "失败", "", "/", "¥1 234,50", "12,34", "2026/11/03"])
    )
    row = st.tuples(*([cell] * len(HEADER)))
    failures: list[str] = []
    counter = [0]

    @settings(max_examples=examples, suppress_health_check=list(HealthCheck), deadline=None, database=None)
    @given(st.lists(row, min_size=1, max_size=30))
    def check(rows: list[tuple[str, ...]]) -> None:
        counter[0] += 1
        path = work / f"fuzz-{counter[0]}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
        db = open_database(work / "fuzz.sqlite3")
        try:
            result = import_file(db, path, ImportOptions(dry_run=True))
        except Exception as exc:
            from wallet_crm.errors import KnownError

            if not isinstance(exc, KnownError):
                failures.append(f"{type(exc).__name__}: {exc}")
            return
        finally:
            close_database()
        rejected_rows = {error.row for error in result.errors}
        accounted = result.inserted + result.duplicates + len(rejected_rows) + result.held + result.skipped
        if accounted != result.rows_read and result.errors_not_listed == 0:
            failures.append(f"{result.rows_read} rows read, {accounted} accounted for")

    check()
    outcome.runs = examples
    outcome.passed = examples - len(failures)
    outcome.rows_lost = sum(1 for failure in failures if "accounted" in failure)
    outcome.note = failures[0][:120] if failures else ""
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability")
    parser.add_argument("--kills", type=int, default=int(os.environ.get("WALLET_CRM_RELIABILITY_KILLS", "15")))
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="wallet-crm-reliability-") as folder:
        work = Path(folder)
        scenarios: list[Callable[[], Outcome]] = [
            lambda: import_killed(work, args.kills, rng),
            lambda: outcome_killed(work, max(args.kills // 2, 1), rng),
            lambda: parsers_fuzzed(args.examples),
            lambda: rows_fuzzed(work, max(args.examples // 3, 1)),
        ]
        results = []
        for scenario in scenarios:
            started = time.monotonic()
            result = scenario()
            results.append((result, time.monotonic() - started))
    print(f"{'scenario':<40} {'runs':>6} {'passed':>7} {'rows lost':>10} {'seconds':>8}  note")
    for result, seconds in results:
        print(
            f"{result.scenario:<40} {result.runs:>6} {result.passed:>7} {result.rows_lost:>10} {seconds:>8.1f}  "
            f"{result.note}"
        )
    bad = [result for result, _ in results if result.passed != result.runs or result.rows_lost]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
