"""The same work on SQLite and on a team's PostgreSQL server, side by side with the ratio.

- importing the seeded 100,000-row export (bench/sample_export.py) into an empty database;
- the first queue build on 1M transactions / 200k customers with 150k past attempts (bench_queue's
  database), and the rebuild on the next day;
- the feedback report over the 90 days that hold the 150k attempts (median of 3).
The server is a throwaway one (tests/postgres.py, no fsync: a floor for a real server's disk), skipped
with the reason when PostgreSQL's binaries are missing. The 1M database reaches it through
`copy_database`, the path of `wallet-crm copy --to`, whose time is printed too. Each step runs
in this process on the same state for both databases; the outputs' counts are printed side by side.
`WALLET_CRM_BENCH_CACHE=DIR` keeps the generated export and the 1M database between runs.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.bench_import import seeded_export
from bench.bench_queue import AS_OF, add_history

IMPORT_ROWS = 100_000
QUEUE_ROWS = 1_000_000
Row = tuple[str, str, str, str]  # what, SQLite, PostgreSQL, ratio


def _seconds(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _import(target: str, source: Path) -> tuple[float, str]:
    from wallet_crm.db import open_database
    from wallet_crm.imports import import_file

    db = open_database(target, bind=False)
    seconds, result = _seconds(lambda: import_file(db, source))
    db.close()
    return seconds, f"{result.inserted:,} rows, {result.customers_created:,} customers"


def _queue_database(folder: Path) -> Path:
    """bench_queue's 1M database (kept in `folder` when it is the cache)."""
    from wallet_crm.db import open_database
    from wallet_crm.demo import create_demo_database

    path = folder / f"queue-{QUEUE_ROWS // 1000}k.sqlite3"
    if path.exists():
        print(f"1M-transaction database reused from {path}")
        return path
    seconds, _ = _seconds(
        lambda: create_demo_database(path, AS_OF, customers=QUEUE_ROWS // 5, transactions=QUEUE_ROWS, followup=False)
    )
    db = open_database(path, bind=False)
    add_history(db, QUEUE_ROWS * 15 // 100)
    db.close()
    print(f"1M-transaction database generated in {seconds:.0f} s (+ history)")
    return path


def _build(target: str, as_of: dt.datetime) -> tuple[float, str]:
    from wallet_crm.db import open_database
    from wallet_crm.followup.build import build_queue

    db = open_database(target, bind=False)
    seconds, result = _seconds(lambda: build_queue(db, as_of))
    db.close()
    return seconds, f"{result.created:,} created, {result.updated:,} updated, {result.closed:,} closed"


def _report(target: str) -> tuple[float, str]:
    from wallet_crm.db import open_database
    from wallet_crm.feedback.figures import compute_report
    from wallet_crm.feedback.period import Period
    from wallet_crm.feedback.scope import ReportQuery

    db = open_database(target, bind=False)
    period = Period(AS_OF.date() - dt.timedelta(days=89), AS_OF.date())
    runs = [_seconds(lambda: compute_report(db, ReportQuery(period), AS_OF)) for _ in range(3)]
    db.close()
    totals = runs[-1][1].current.totals
    return statistics.median(
        seconds for seconds, _ in runs
    ), f"{totals.attempts:,} attempts, {totals.tasks_reached:,} reached"


def _row(what: str, sqlite: tuple[float, str], postgres: tuple[float, str], rows: list[Row]) -> None:
    rows.append((what, f"{sqlite[0]:.2f} s", f"{postgres[0]:.2f} s", f"{postgres[0] / sqlite[0]:.1f}x"))
    print(f"  {what}: SQLite {sqlite[1]}; PostgreSQL {postgres[1]}")
    if sqlite[1] != postgres[1]:
        print("    <- the two databases' outputs differ")


def run(work: Path, cache: Path, server_url: Callable[[], str]) -> list[Row]:
    from wallet_crm.db import open_database
    from wallet_crm.db.copy import copy_database

    rows: list[Row] = []
    source = seeded_export(cache, IMPORT_ROWS)
    _row(
        f"import {IMPORT_ROWS:,} rows",
        _import(str(work / "import.sqlite3"), source),
        _import(server_url(), source),
        rows,
    )
    sqlite_path = work / "queue.sqlite3"
    shutil.copy(_queue_database(cache), sqlite_path)
    pg_url = server_url()
    target = open_database(pg_url, bind=False)
    source_db = open_database(sqlite_path, bind=False)
    seconds, counts = _seconds(lambda: copy_database(source_db, target))
    source_db.close()
    target.close()
    copied = sum(count.target for count in counts)
    print(f"  copy of the 1M database to PostgreSQL (wallet-crm copy --to): {seconds:.0f} s, {copied:,} rows")
    for what, as_of in (("queue build, first", AS_OF), ("queue build, next day", AS_OF + dt.timedelta(days=1))):
        _row(f"{what} (1M transactions)", _build(str(sqlite_path), as_of), _build(pg_url, as_of), rows)
    _row("feedback report, 90 days (150k attempts)", _report(str(sqlite_path)), _report(pg_url), rows)
    return rows


def main() -> None:
    from tests import postgres

    reason = postgres.why_not()
    if reason is not None:
        print(f"PostgreSQL skipped: {reason}")
        return
    cached = os.environ.get("WALLET_CRM_BENCH_CACHE")
    with tempfile.TemporaryDirectory(prefix="wallet-crm-bench-databases-") as folder:
        work = Path(folder)
        cache = Path(cached) if cached else work
        cache.mkdir(parents=True, exist_ok=True)
        server = postgres.start_server(work / "server")
        try:
            rows = run(work, cache, server.create_database)
        finally:
            server.stop()
    width = max(len(what) for what, *_ in rows)
    print(f"{'work':<{width}} {'SQLite':>10} {'PostgreSQL':>11} {'PG/SQLite':>10}")
    for what, sqlite, pg, ratio in rows:
        print(f"{what:<{width}} {sqlite:>10} {pg:>11} {ratio:>10}")


if __name__ == "__main__":
    main()
