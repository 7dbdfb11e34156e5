"""Export speed and memory: 100k transactions to .xlsx, ours against pandas `DataFrame.to_excel` and the floor.

The database is the demo generator at 100,000 transactions and 20,000 customers
(`WALLET_CRM_BENCH_EXPORT_ROWS` or `--rows` for another size). Every pipeline starts from the database
and writes the same eleven columns of the same rows:
  - ours: `run_export(db, "transactions", ...)`, what the GUI and `wallet-crm export` run (streamed,
    typed cells, masked phones, widths, autofilter, the export record);
  - the peer: `pandas.read_sql_query` of the same join + `DataFrame.to_excel` with pandas' default
    engine (XlsxWriter whenever it is installed, and it is one of our dependencies; the table says
    which engine pandas picked);
  - the floor: sqlite3 rows of the same join written by XlsxWriter in `constant_memory` mode with
    `write_row`, no formats (a date as the text SQLite holds): what any streamed export must spend.
Each runs in its own child process, so its peak memory (its own `VmHWM`, see bench/child.py) is its own.
Goals from the issue: ours at least 1.5x faster than the peer (peer/ours >= 1.5), within 1.3x the
floor (ours/floor <= 1.3), under 100 MB peak.
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

from bench import goals as goals_table
from bench.child import measure_in_child, report_from_child

DEFAULT_ROWS = 100_000
# The issue's goals: peer time / ours >= 1.5, ours / floor time <= 1.3, ours' peak < 100 MB.
MIN_PEER_OVER_OURS, MAX_OURS_OVER_FLOOR, MAX_PEAK_MB = 1.5, 1.3, 100.0
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
    frame.to_excel(target, index=False)  # pandas' default engine, as a user would call it
    return len(frame)


def _floor(db_path: Path, target: Path) -> int:
    """The same rows from sqlite3 straight into XlsxWriter's constant-memory mode: no formats, no DataFrame."""
    import sqlite3

    import xlsxwriter

    connection = sqlite3.connect(db_path)
    cursor = connection.execute(PEER_SQL)
    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, [column[0] for column in cursor.description])
    count = 0
    write_row = sheet.write_row
    for count, row in enumerate(cursor, start=1):
        write_row(count, 0, row)
    workbook.close()
    connection.close()
    return count


def pandas_engine() -> str:
    """The engine `DataFrame.to_excel("x.xlsx")` picks, resolved as `pandas.ExcelWriter` resolves it."""
    import pandas
    from pandas.io.excel._util import get_default_engine

    engine = str(pandas.get_option("io.excel.xlsx.writer"))
    return get_default_engine("xlsx", mode="writer") if engine == "auto" else engine


PIPELINES = {"ours": _ours, "peer": _pandas, "floor": _floor}
PRELOAD = {
    "ours": ("wallet_crm.exports.service", "wallet_crm.db.browse"),
    "peer": ("pandas", "xlsxwriter", "openpyxl"),
    "floor": ("sqlite3", "xlsxwriter"),
}
LABELS = {
    "ours": "ours: run_export (XlsxWriter, streamed)",
    "peer": "peer: pandas read_sql + to_excel ({engine})",
    "floor": "floor: sqlite3 + XlsxWriter constant_memory",
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
    _print_table(results, pandas_engine())
    _print_goals(results)


def _print_table(results: dict[str, dict[str, float]], engine: str) -> None:
    print(f"pandas writes .xlsx with: {engine}")
    print("rows written: " + ", ".join(f"{name} {int(figures['rows']):,}" for name, figures in results.items()))
    peer, floor = results["peer"], results["floor"]
    print(
        f"{'pipeline':<50} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'peak MB':>8} {'file MB':>8}"
        f" {'time/peer':>9} {'time/floor':>10}"
    )
    for name, figures in results.items():
        seconds = figures["seconds"]
        rate = figures["rows"] / seconds if seconds else 0.0
        print(
            f"{LABELS[name].format(engine=engine):<50} {int(figures['rows']):>9,} {seconds:>8.2f} {rate:>9,.0f} "
            f"{figures['peak_mb']:>8.0f} {figures['mb']:>8.1f} {seconds / peer['seconds']:>8.2f}x"
            f" {seconds / floor['seconds']:>9.2f}x"
        )
    ours = results["ours"]
    for label, base in (("peer", peer), ("floor", floor)):
        print(
            f"ours/{label}: time {ours['seconds'] / base['seconds']:.2f}x, "
            f"peak memory {ours['peak_mb'] / base['peak_mb']:.2f}x"
        )


def _print_goals(results: dict[str, dict[str, float]]) -> None:
    ours, peer, floor = results["ours"], results["peer"], results["floor"]
    peer_over_ours = peer["seconds"] / ours["seconds"]
    ours_over_floor = ours["seconds"] / floor["seconds"]
    goals = [  # (goal, measured, met)
        (f"peer/ours time >= {MIN_PEER_OVER_OURS:g}", peer_over_ours, peer_over_ours >= MIN_PEER_OVER_OURS),
        (f"ours/floor time <= {MAX_OURS_OVER_FLOOR:g}", ours_over_floor, ours_over_floor <= MAX_OURS_OVER_FLOOR),
        (f"ours peak MB < {MAX_PEAK_MB:g}", ours["peak_mb"], ours["peak_mb"] < MAX_PEAK_MB),
    ]
    for goal, figure, met in goals:
        goals_table.record(f"export {int(ours['rows']):,}", goal, f"{figure:.2f}", met)
    if any(int(figures["rows"]) != int(ours["rows"]) for figures in results.values()):
        print("WARNING: the pipelines wrote different row counts; the ratios compare unequal work")


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
