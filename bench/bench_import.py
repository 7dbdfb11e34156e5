"""Import speed and memory: our service against the strongest pipeline a user could pick instead, and the floor.

A seeded export (bench/sample_export.py) of 100,000 rows is imported, each in its own child process
so its peak memory (its own `VmHWM`, see bench/child.py) is its own, by:
  - ours: `import_file`, the service the CLI and the GUI use (reading, header and mapping, every row
    checked, duplicates looked up, chunks written in one transaction), then again on the same
    database (every row a duplicate). Above 20,000 rows (`pipeline.CHILD_ABOVE_ROWS`) it reads and
    checks in a process of its own while this one writes: that process's peak (`RUSAGE_CHILDREN`
    once it is joined) is the "child MB" column, and the memory compared and checked against the
    goal is the sum of both peaks (an upper bound: they need not peak at the same moment);
  - the peer: `pandas.read_excel(engine="calamine", dtype=str)` + `DataFrame.to_sql` into SQLite,
    pandas on its fastest engine (not its default, openpyxl) and no checks at all;
  - the floor: python-calamine's rows straight into sqlite3 `executemany`: reading and writing, no
    checks, no DataFrame; what any import must at least spend.
The three run in turn, three rounds, each on a new database; each one's run of median time is compared
(all times are printed). Then one of 1,000,000 rows by ours only (the peer and the floor hold the whole sheet; set
`WALLET_CRM_BENCH_PEERS=1` to run them there too).

`WALLET_CRM_BENCH_IMPORT_ROWS=100000,1000000` (or `--rows`) picks the sizes;
`WALLET_CRM_BENCH_CACHE=DIR` (or `--cache`) keeps the generated files there and reuses them (the
1M-row file takes ~40 s to write; delete them when sample_export.py changes).
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench import goals as goals_table
from bench.child import measure_in_child, report_from_child

# bench.sample_export is imported where it is used: ours starts a child process, which imports this module
# again (as multiprocessing's spawn does with `python -m`), and the app's own child has no such import to pay.

DEFAULT_SIZES = "100000,1000000"  # the two figures: 100k rows against the peer and the floor, 1M alone
PEER_LIMIT = 200_000
ROUNDS = 3  # rounds of ours, the peer and the floor, taken in turn, where the peers run
HEADER_ROW = 4  # the generator puts a title and a date range above the header
FLOOR_CHUNK = 5_000
# The goals: ours no slower than the peer and within 1.5x the floor; at 1M rows, under 40 s and 600 MB.
MAX_VS_PEER, MAX_VS_FLOOR = 1.0, 1.5
BIG_ROWS, MAX_BIG_SECONDS, MAX_BIG_MB = 1_000_000, 40.0, 600.0


def _ours(source: Path, db_path: Path) -> tuple[int, int]:
    from wallet_crm.db import open_database
    from wallet_crm.imports import import_file

    db = open_database(db_path, bind=False)
    step = [0]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent >= step[0] + 10:
            step[0] = percent
            print(f"    {percent}%", file=sys.stderr, flush=True)

    result = import_file(db, source, progress=progress)
    db.close()
    return result.rows_read, result.inserted


def _peer(source: Path, db_path: Path) -> tuple[int, int]:
    import sqlite3

    import pandas

    frame = pandas.read_excel(source, engine="calamine", dtype=str, skiprows=HEADER_ROW - 1)
    connection = sqlite3.connect(db_path)
    written = frame.to_sql("transactions_raw", connection, if_exists="append", index=False)
    connection.commit()
    connection.close()
    return len(frame), int(written if written is not None else len(frame))


def _floor(source: Path, db_path: Path) -> tuple[int, int]:
    """calamine's rows as they come (a date as its ISO text) into one table, in chunks, one transaction."""
    import sqlite3

    import python_calamine

    from bench.sample_export import HEADER

    book = python_calamine.CalamineWorkbook.from_path(str(source))
    rows = itertools.islice(book.get_sheet_by_index(0).iter_rows(), HEADER_ROW, None)
    width = len(HEADER)
    connection = sqlite3.connect(db_path)
    connection.execute(f"CREATE TABLE transactions_raw ({', '.join(f'c{i} TEXT' for i in range(width))})")
    insert = f"INSERT INTO transactions_raw VALUES ({', '.join('?' * width)})"
    plain = (str, float, int)
    count = 0
    with connection:
        while chunk := list(itertools.islice(rows, FLOOR_CHUNK)):
            connection.executemany(
                insert, [[cell if cell.__class__ in plain else str(cell) for cell in row[:width]] for row in chunk]
            )
            count += len(chunk)
    connection.close()
    book.close()
    return count, count


PIPELINES = {"ours": _ours, "peer": _peer, "floor": _floor}
LABELS = {
    "ours": "ours: import_file (checks every row)",
    "ours_again": "ours, same file again (all duplicates)",
    "peer": "peer: pandas calamine dtype=str + to_sql",
    "floor": "floor: calamine rows + executemany",
}
PRELOAD = {
    "ours": ("wallet_crm.db", "wallet_crm.imports"),
    "peer": ("pandas", "python_calamine", "sqlite3"),
    "floor": ("python_calamine", "sqlite3"),
}


def _child(name: str, source: Path, db_path: Path) -> None:
    """Run one pipeline and print its figures as JSON on the last line of stdout.

    The pipeline's modules are imported before the clock starts (an app has them loaded already);
    their memory still counts in the peak.
    """
    for module in PRELOAD[name]:
        importlib.import_module(module)
    started = time.perf_counter()
    read, written = PIPELINES[name](source, db_path)
    seconds = time.perf_counter() - started
    report_from_child(read, seconds, written=written, child_mb=_children_peak_mb())


def _children_peak_mb() -> float:
    """The biggest peak of this process's children that have ended and been waited for (ours' reader
    process, joined before `import_file` returns); 0 when it started none. Linux counts in kB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _measure(name: str, source: Path, db_path: Path) -> dict[str, float]:
    return measure_in_child("bench.bench_import", name, str(source), str(db_path))


def seeded_export(folder: Path, rows: int) -> Path:
    """The seeded export of `rows` rows in `folder`, written unless it is there already."""
    from bench.sample_export import write_export

    source = folder / f"export-{rows}.xlsx"
    if source.exists():
        print(f"{rows:,}-row export ({source.stat().st_size / 1024**2:.1f} MB) reused from {source}")
        return source
    started = time.perf_counter()
    write_export(source, rows)
    size_mb = source.stat().st_size / 1024**2
    print(f"{rows:,}-row export ({size_mb:.1f} MB) generated in {time.perf_counter() - started:.1f} s")
    return source


def run(rows: int, with_peers: bool, cache: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="wallet-crm-bench-") as folder:
        workdir = Path(folder)
        source = seeded_export(cache or workdir, rows)
        results: dict[str, dict[str, float]] = {}
        if not with_peers:
            results["ours"] = _measure("ours", source, workdir / "ours.sqlite3")
        else:
            # Rounds of ours, the peer and the floor in turn, each on a new database: this machine's speed
            # drifts by tens of percent within minutes, so one run of each compares moments, not pipelines.
            samples: dict[str, list[dict[str, float]]] = {"ours": [], "peer": [], "floor": []}
            for round_number in range(ROUNDS):
                for name, runs in samples.items():
                    runs.append(_measure(name, source, workdir / f"{name}-{round_number}.sqlite3"))
            for name, runs in samples.items():
                print(f"{LABELS[name]}: " + " / ".join(f"{run['seconds']:.2f}" for run in runs) + " s")
            results["ours"] = _median_run(samples["ours"])
            results["ours_again"] = _measure("ours", source, workdir / "ours-0.sqlite3")
            results["peer"], results["floor"] = _median_run(samples["peer"]), _median_run(samples["floor"])
            print(f"(each pipeline's run of median time below, of {ROUNDS} rounds taken in turn)")
        _print_table(results)
        _print_goals(rows, results)
    if not with_peers:
        print(f"(the peer and the floor skipped above {PEER_LIMIT:,} rows; WALLET_CRM_BENCH_PEERS=1 runs them)")


def _median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run whose time is the median of `runs` (an odd number of them)."""
    return sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]


def _memory_mb(figures: dict[str, float]) -> float:
    """The pipeline's peak memory: its process's, plus its child's when it started one."""
    return figures["peak_mb"] + figures.get("child_mb", 0.0)


def _print_table(results: dict[str, dict[str, float]]) -> None:
    peer, floor = results.get("peer"), results.get("floor")
    print(
        f"{'pipeline':<42} {'rows read':>10} {'written':>9} {'seconds':>8} {'rows/s':>8} {'peak MB':>8}"
        f" {'child MB':>8} {'time/peer':>9} {'time/floor':>10}"
    )
    for name, figures in results.items():
        seconds = figures["seconds"]
        rate = figures["rows"] / seconds if seconds else 0.0
        versus = [f"{seconds / base['seconds']:.2f}x" if base else "-" for base in (peer, floor)]
        child = figures.get("child_mb", 0.0)
        print(
            f"{LABELS[name]:<42} {int(figures['rows']):>10,} {int(figures['written']):>9,} {seconds:>8.2f}"
            f" {rate:>8,.0f} {figures['peak_mb']:>8.0f} {f'{child:.0f}' if child else '-':>8}"
            f" {versus[0]:>9} {versus[1]:>10}"
        )
    ours = results["ours"]
    for label, base in (("peer", peer), ("floor", floor)):
        if base:
            print(
                f"ours/{label}: time {ours['seconds'] / base['seconds']:.2f}x, "
                f"peak memory {_memory_mb(ours) / _memory_mb(base):.2f}x (with the child's)"
            )


def _print_goals(rows: int, results: dict[str, dict[str, float]]) -> None:
    ours = results["ours"]
    goals: list[tuple[str, float, float]] = []  # (what, figure, limit)
    if "peer" in results:
        goals.append(("time/peer", ours["seconds"] / results["peer"]["seconds"], MAX_VS_PEER))
    if "floor" in results:
        goals.append(("time/floor", ours["seconds"] / results["floor"]["seconds"], MAX_VS_FLOOR))
    if rows >= BIG_ROWS:
        goals += [("seconds", ours["seconds"], MAX_BIG_SECONDS), ("peak MB", _memory_mb(ours), MAX_BIG_MB)]
    for what, figure, limit in goals:
        goals_table.record(f"import {rows:,}", f"ours {what} <= {limit:g}", f"{figure:.2f}", figure <= limit)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_import")
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[int(n) for n in os.environ.get("WALLET_CRM_BENCH_IMPORT_ROWS", DEFAULT_SIZES).split(",")],
        help=f"file sizes to import, one run each (default {DEFAULT_SIZES}; WALLET_CRM_BENCH_IMPORT_ROWS)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=os.environ.get("WALLET_CRM_BENCH_CACHE") or None,
        help="keep the generated exports in this folder and reuse them (WALLET_CRM_BENCH_CACHE)",
    )
    parser.add_argument("--child", nargs=3, metavar=("PIPELINE", "FILE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else [])
    if args.child:
        _child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    if args.cache is not None:
        args.cache.mkdir(parents=True, exist_ok=True)
    for rows in args.rows:
        with_peers = rows <= PEER_LIMIT or os.environ.get("WALLET_CRM_BENCH_PEERS") == "1"
        run(rows, with_peers, args.cache)
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
