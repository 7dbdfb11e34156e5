"""Export speed and memory: 100k transactions to .xlsx, ours against pandas `DataFrame.to_excel`.

The database is the demo generator at 100,000 transactions and 20,000 customers
(`WALLET_CRM_BENCH_EXPORT_ROWS` for another size). Both pipelines start from the database and write
the same eleven columns:
  - ours: `run_export(db, "transactions", ...)`, what the GUI and `wallet-crm export` run (streamed,
    typed cells, masked phones, widths, autofilter, the export record);
  - the peer: `pandas.read_sql_query` of the same join + `DataFrame.to_excel(engine="openpyxl")`.
Each runs in its own child process, so its peak memory (its own `VmHWM`, see bench/child.py) is its own.
Goals from the issue: at least 2x faster than the peer, under 200 MB peak.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.child import measure_in_child, report_from_child

DEFAULT_ROWS = 100_000
AS_OF = dt.datetime(2026, 11, 20, 12, 0)
PEER_SQL = (
    "SELECT t.txn_id, t.occurred_at, c.external_id, c.name, c.phone, t.txn_type, t.status, "
    "t.amount_fen / 100.0 AS amount, t.channel, t.merchant, t.remark "
    "FROM transactions t JOIN customers c ON c.id = t.customer_id ORDER BY t.occurred_at DESC, t.id DESC"
)


def _ours(db_path: Path, target: Path) -> int:
    from wallet_crm.db import open_database
    from wallet_crm.db.browse import TransactionQuery
    from wallet_crm.exports.service import run_export

    db = open_database(db_path, bind=False)
    try:
        return run_export(db, "transactions", target, TransactionQuery()).rows
    finally:
        db.close()


def _pandas(db_path: Path, target: Path) -> int:
    import sqlite3

    import pandas

    connection = sqlite3.connect(db_path)
    frame = pandas.read_sql_query(PEER_SQL, connection, parse_dates=["occurred_at"])
    connection.close()
    frame.to_excel(target, index=False, engine="openpyxl")
    return len(frame)


PIPELINES = {"ours": _ours, "pandas": _pandas}
PRELOAD = {"ours": ("wallet_crm.exports.service", "wallet_crm.db.browse"), "pandas": ("pandas", "openpyxl")}
LABELS = {
    "ours": "wallet-crm run_export (XlsxWriter, streamed)",
    "pandas": "pandas read_sql + to_excel (openpyxl)",
}


def _child(name: str, db_path: Path, target: Path) -> None:
    for module in PRELOAD[name]:
        importlib.import_module(module)
    started = time.perf_counter()
    rows = PIPELINES[name](db_path, target)
    report_from_child(rows, time.perf_counter() - started, mb=target.stat().st_size / 1024**2)


def _measure(name: str, db_path: Path, target: Path) -> dict[str, float]:
    return measure_in_child("bench.bench_export", name, str(db_path), str(target))


def run(rows: int) -> None:
    from wallet_crm.demo import create_demo_database

    with tempfile.TemporaryDirectory(prefix="wallet-crm-bench-") as folder:
        workdir = Path(folder)
        db_path = workdir / "export.sqlite3"
        started = time.perf_counter()
        create_demo_database(db_path, AS_OF, customers=max(1, rows // 5), transactions=rows, followup=False)
        print(f"database with {rows:,} transactions generated in {time.perf_counter() - started:.1f} s")
        results = {name: _measure(name, db_path, workdir / f"{name}.xlsx") for name in PIPELINES}
    ours = results["ours"]["seconds"]
    print(f"{'pipeline':<46} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'peak MB':>8} {'file MB':>8} {'vs ours':>8}")
    for name, figures in results.items():
        rate = figures["rows"] / figures["seconds"] if figures["seconds"] else 0.0
        print(
            f"{LABELS[name]:<46} {int(figures['rows']):>9,} {figures['seconds']:>8.2f} {rate:>9,.0f} "
            f"{figures['peak_mb']:>8.0f} {figures['mb']:>8.1f} {figures['seconds'] / ours:>7.1f}x"
        )
    print("goals: at least 2x faster than the pandas peer, under 200 MB peak")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_export")
    parser.add_argument("--rows", type=int, default=int(os.environ.get("WALLET_CRM_BENCH_EXPORT_ROWS", DEFAULT_ROWS)))
    parser.add_argument("--child", nargs=3, metavar=("PIPELINE", "DB", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else [])
    if args.child:
        _child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    run(args.rows)


if __name__ == "__main__":
    main(sys.argv[1:])
