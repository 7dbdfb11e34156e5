"""`make reliability`: what survives kills and hostile input, as a table (scenario, runs, passed, rows lost).

Outside the fast tests: it kills real processes at random moments, races them, fills the disk, feeds
hostile files and fuzzes the row checker.
- import killed: `wallet-crm import` of a 20,000-row file is SIGKILLed at a random moment; the file must
  hold all the rows or none, and importing again must leave exactly 20,000 (rows lost = the shortfall).
- outcome killed: `wallet-crm outcome` is killed at a random moment; the attempt is stored once or not at
  all, and the task is open or done accordingly.
- queue build / export / undo-import killed: see reliability/kills.py; a build leaves the old queue or the
  new one, an export no file at its target and (after the next export) no leftovers, an undo its batch
  all there or all gone.
- racing: import, queue build, undo-import and outcome at once on one file; each exits 0 or 2 with one
  line, and the counts agree afterwards.
- disk full, read-only file (reliability/mounts.py): exit 2 with one line, the database as it was;
  skipped, saying why, where mounting is not permitted.
- hostile workbooks (reliability/hostile.py): far-corner cells, bombs, damaged and disguised files.
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
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reliability.common import HEADER, ROWS, Outcome, _cli, _count, _kill_at_random, _write_export
from reliability.hostile import hostile_workbooks
from reliability.kills import build_killed, export_killed, make_template, processes_raced, undo_killed
from reliability.mounts import disk_full, read_only


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
    parser.add_argument(
        "--kills",
        type=int,
        default=int(os.environ.get("WALLET_CRM_RELIABILITY_KILLS", "5")),
        help="kills of each kind: import, queue build, outcome, export, undo-import (default 5: 25 in all)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of four racing processes")
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="wallet-crm-reliability-") as folder:
        work = Path(folder)
        # The children keep their log and export scratch folders here, where the checks can see them.
        os.environ["XDG_STATE_HOME"] = str(work / "state")
        template = make_template(work)
        scenarios: list[tuple[str, Callable[[], Outcome]]] = [
            ("import killed", lambda: import_killed(work, args.kills, rng)),
            ("build killed", lambda: build_killed(work, args.kills, rng, template)),
            ("outcome killed", lambda: outcome_killed(work, args.kills, rng)),
            ("export killed", lambda: export_killed(work, args.kills, rng, template)),
            ("undo killed", lambda: undo_killed(work, args.kills, rng, template)),
            ("processes raced", lambda: processes_raced(work, args.rounds, template)),
            ("disk full", lambda: disk_full(work)),
            ("read only", lambda: read_only(work, template)),
            ("hostile workbooks", lambda: hostile_workbooks(work, template)),
            ("parsers fuzzed", lambda: parsers_fuzzed(args.examples)),
            ("rows fuzzed", lambda: rows_fuzzed(work, max(args.examples // 3, 1))),
        ]
        results = []
        for name, scenario in scenarios:
            started = time.monotonic()
            try:
                result = scenario()
            except Exception as exc:  # a scenario that breaks is a failed row, not the end of the table
                result = Outcome(name, runs=1, note=f"{type(exc).__name__}: {exc}")
            results.append((result, time.monotonic() - started))
            print(f"... {result.scenario}: {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    print(f"{'scenario':<40} {'runs':>6} {'passed':>7} {'rows lost':>10} {'seconds':>8}  note")
    for result, seconds in results:
        note = f"skipped: {result.skipped}" if result.skipped else result.note
        print(
            f"{result.scenario:<40} {result.runs:>6} {result.passed:>7} {result.rows_lost:>10} {seconds:>8.1f}  {note}"
        )
    bad = [result for result, _ in results if result.passed != result.runs or result.rows_lost]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
