"""Where an import's CPU goes: each stage of `import_file` timed alone, in one process, in process time.

`make bench` compares the whole import with its peer and floor; this says which part costs what, so a
speed change can be aimed (and its saving checked) at the part it touches. The stages are the service's
own steps, called one after another (it reaches into `imports.service` for the first two):

  find the header and layout -> open the file, load the shared strings -> read every row ->
  check every row (in the service's chunks) -> records to tuples and pickle, as the reader process sends them ->
  unpickle -> write (duplicates, customers, inserts) in one transaction.

Each stage runs `--rounds` times (default 3) and its least time is printed: this machine's speed drifts,
and the least time is the stage's own cost with the least of the others' noise.

    python -m bench.import_stages [--rows 100000] [--cache DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.bench_import import seeded_export


def _least(rounds: int, stage: Callable[[], Any]) -> tuple[float, Any]:
    """The least process time of `rounds` runs of `stage`, and the last run's result."""
    times, result = [], None
    for _ in range(rounds):
        started = time.process_time()
        result = stage()
        times.append(time.process_time() - started)
    return min(times), result


def stages(source: Path, rounds: int) -> list[tuple[str, float, str]]:
    """(stage, least seconds, what it handled) for each stage of importing `source`."""
    from wallet_crm.db import open_database
    from wallet_crm.imports import service
    from wallet_crm.imports.readers import open_source
    from wallet_crm.imports.store import BatchWriter
    from wallet_crm.imports.validate import Record

    folder = Path(tempfile.mkdtemp(prefix="wallet-crm-stages-"))
    db = open_database(folder / "layout.sqlite3", bind=False)
    options = service.ImportOptions()
    figures: list[tuple[str, float, str]] = []

    seconds, located = _least(rounds, lambda: service._locate(db, source, options, require_complete=True))
    figures.append(("find the header and layout", seconds, located.layout.format.id))
    job = service._check_job(db, located, options)
    located.close()

    def opened() -> Any:
        reader = open_source(job.info)
        reader.rows(job.sheet)  # loads the shared strings
        return reader

    seconds, reader = _least(rounds, opened)
    figures.append(("open the file, load the shared strings", seconds, job.info.kind))
    start = job.layout.header_index + 1
    seconds, rows = _least(rounds, lambda: list(itertools.islice(reader.rows(job.sheet), start, None)))
    reader.close()
    figures.append(("read every row", seconds, f"{len(rows):,} rows"))

    def check() -> list[Any]:
        checker = job.checker()
        size = job.chunk_rows  # the service's chunk
        return [checker.check(rows[at : at + size], start + 1 + at) for at in range(0, len(rows), size)]

    seconds, chunks = _least(rounds, check)
    records = sum(len(chunk.records) for chunk in chunks)
    figures.append(("check every row", seconds, f"{records:,} records"))

    def sent() -> list[bytes]:
        return [pickle.dumps([tuple(record) for record in chunk.records], pickle.HIGHEST_PROTOCOL) for chunk in chunks]

    seconds, blobs = _least(rounds, sent)
    figures.append(("records to tuples, pickled", seconds, f"{sum(map(len, blobs)) / 1024**2:.1f} MB"))
    seconds, plain = _least(rounds, lambda: [pickle.loads(blob) for blob in blobs])
    figures.append(("unpickled", seconds, f"{len(plain)} chunks"))

    def write() -> BatchWriter:
        target = open_database(folder / f"write-{time.monotonic_ns()}.sqlite3", bind=False)
        now = dt.datetime(2026, 12, 3)
        writer = BatchWriter(
            target, False, "2026-12-03 00:00:00", lambda: service._insert_batch(target, located, now, options)
        )
        with service._write_transaction(target):
            for chunk in plain:
                writer.write([tuple.__new__(Record, row) for row in chunk])
            writer.finish()
        target.close()
        return writer

    seconds, writer = _least(rounds, write)
    counts = writer.counts
    figures.append(("write (duplicates, customers, inserts)", seconds,
                    f"{counts.inserted:,} inserted, {counts.customers_created:,} customers"))  # fmt: skip
    db.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_stages")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=os.environ.get("WALLET_CRM_BENCH_CACHE") or None)
    args = parser.parse_args()
    folder = args.cache or Path(tempfile.mkdtemp(prefix="wallet-crm-stages-"))
    folder.mkdir(parents=True, exist_ok=True)
    source = seeded_export(folder, args.rows)
    gc.disable()  # as the import runs (`collector_paused`)
    figures = stages(source, args.rounds)
    print(f"{'stage':<42} {'least s':>8}  handled")
    for stage, seconds, handled in figures:
        print(f"{stage:<42} {seconds:>8.3f}  {handled}")
    print(
        f"{'all stages':<42} {sum(seconds for _, seconds, _ in figures):>8.3f}  (process time, least of {args.rounds})"
    )


if __name__ == "__main__":
    main()
