"""Import speed and memory: our service against the two pipelines a team would otherwise write.

A seeded export of 100,000 rows, then one of 1,000,000 (`WALLET_CRM_BENCH_IMPORT_ROWS=100000` or
`--rows 100000` for the first only), is imported by:
  - `import_file`, the service the CLI and the GUI use (reading, header and mapping, every row checked,
    duplicates looked up, one transaction), then again on the same database (every row a duplicate);
  - `pandas.read_excel(dtype=str)` with its default engine + `DataFrame.to_sql` (no checks at all);
  - openpyxl read-only + peewee `insert_many` (no checks either).
Each runs in its own child process, so its peak memory (`ru_maxrss`) is its own. Peers are skipped
above 200,000 rows unless `WALLET_CRM_BENCH_PEERS=1` (they take minutes there).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.child import measure_in_child, report_from_child
from bench.sample_export import HEADER, write_export

DEFAULT_SIZES = "100000,1000000"  # the two figures: 100k rows against the peers, 1M rows with progress
PEER_LIMIT = 200_000
HEADER_ROW = 4  # the generator puts a title and a date range above the header


def _ours(source: Path, db_path: Path) -> int:
    from wallet_crm.db import open_database
    from wallet_crm.imports import import_file

    db = open_database(db_path)
    step = [0]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent >= step[0] + 10:
            step[0] = percent
            print(f"    {percent}%", file=sys.stderr, flush=True)

    result = import_file(db, source, progress=progress)
    db.close()
    return result.rows_read


def _pandas(source: Path, db_path: Path) -> int:
    import sqlite3

    import pandas

    frame = pandas.read_excel(source, dtype=str, skiprows=HEADER_ROW - 1)
    connection = sqlite3.connect(db_path)
    frame.to_sql("transactions_raw", connection, if_exists="append", index=False)
    connection.commit()
    connection.close()
    return len(frame)


def _openpyxl_peewee(source: Path, db_path: Path) -> int:
    import openpyxl
    from peewee import CharField, Model, SqliteDatabase

    db = SqliteDatabase(str(db_path))
    names = [f"c{index}" for index in range(len(HEADER))]

    meta = type("Meta", (), {"database": db, "table_name": "transactions_raw"})
    raw: Any = type("Raw", (Model,), {"Meta": meta, **{name: CharField(null=True) for name in names}})
    db.create_tables([raw])
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    count = 0
    batch: list[dict[str, object]] = []
    with db.atomic():
        for values in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
            batch.append(
                {name: None if value is None else str(value) for name, value in zip(names, values, strict=False)}
            )
            if len(batch) == 500:
                raw.insert_many(batch).execute()
                count += len(batch)
                batch = []
        if batch:
            raw.insert_many(batch).execute()
            count += len(batch)
    book.close()
    db.close()
    return count


PIPELINES = {"ours": _ours, "pandas": _pandas, "openpyxl_peewee": _openpyxl_peewee}
LABELS = {
    "ours": "wallet-crm import_file (checks every row)",
    "ours_again": "wallet-crm, same file again (all duplicates)",
    "pandas": "pandas read_excel(dtype=str) + to_sql",
    "openpyxl_peewee": "openpyxl read-only + peewee insert_many",
}


PRELOAD = {
    "ours": ("wallet_crm.db", "wallet_crm.imports"),
    "pandas": ("pandas", "openpyxl"),
    "openpyxl_peewee": ("openpyxl", "peewee"),
}


def _child(name: str, source: Path, db_path: Path) -> None:
    """Run one pipeline and print its figures as JSON on the last line of stdout.

    The pipeline's modules are imported before the clock starts (an app has them loaded already);
    their memory still counts in the peak.
    """
    for module in PRELOAD[name]:
        importlib.import_module(module)
    started = time.perf_counter()
    rows = PIPELINES[name](source, db_path)
    report_from_child(rows, time.perf_counter() - started)


def _measure(name: str, source: Path, db_path: Path) -> dict[str, float]:
    return measure_in_child("bench.bench_import", name, str(source), str(db_path))


def run(rows: int, with_peers: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="wallet-crm-bench-") as folder:
        workdir = Path(folder)
        source = workdir / "export.xlsx"
        started = time.perf_counter()
        write_export(source, rows)
        size_mb = source.stat().st_size / 1024**2
        print(f"{rows:,}-row export ({size_mb:.1f} MB) generated in {time.perf_counter() - started:.1f} s")
        results: dict[str, dict[str, float]] = {}
        ours_db = workdir / "ours.sqlite3"
        results["ours"] = _measure("ours", source, ours_db)
        results["ours_again"] = _measure("ours", source, ours_db)
        if with_peers:
            for peer in ("pandas", "openpyxl_peewee"):
                results[peer] = _measure(peer, source, workdir / f"{peer}.sqlite3")
        _print_table(results)
    if not with_peers:
        print(f"(peers skipped above {PEER_LIMIT:,} rows; set WALLET_CRM_BENCH_PEERS=1 to run them)")
    print("goals: ours >= 30,000 rows/s on 2 cores, >= 5x the pandas peer, < 250 MB at 100k rows (< 1.5 GB at 1M);")
    print("       the all-duplicates run no slower than the first")


def _print_table(results: dict[str, dict[str, float]]) -> None:
    ours = results["ours"]["seconds"]
    print(f"{'pipeline':<46} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'peak MB':>8} {'time vs ours':>13}")
    for name, figures in results.items():
        rate = figures["rows"] / figures["seconds"] if figures["seconds"] else 0.0
        print(
            f"{LABELS[name]:<46} {int(figures['rows']):>9,} {figures['seconds']:>8.2f} {rate:>9,.0f} "
            f"{figures['peak_mb']:>8.0f} {figures['seconds'] / ours:>12.1f}x"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_import")
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[int(n) for n in os.environ.get("WALLET_CRM_BENCH_IMPORT_ROWS", DEFAULT_SIZES).split(",")],
        help=f"file sizes to import, one run each (default {DEFAULT_SIZES}; WALLET_CRM_BENCH_IMPORT_ROWS)",
    )
    parser.add_argument("--child", nargs=3, metavar=("PIPELINE", "FILE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else [])
    if args.child:
        _child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    for rows in args.rows:
        with_peers = rows <= PEER_LIMIT or os.environ.get("WALLET_CRM_BENCH_PEERS") == "1"
        run(rows, with_peers)
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
