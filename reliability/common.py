"""What the scenarios share: the outcome row, the real command line as a subprocess, counts, the export file."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROWS = 20_000
HEADER = ("交易流水号", "交易时间", "客户编号", "手机号码", "交易类型", "交易金额", "交易状态")
AS_OF_FORMAT = "%Y-%m-%d %H:%M"


@dataclass
class Outcome:
    scenario: str
    runs: int = 0
    passed: int = 0
    rows_lost: int = 0
    note: str = ""
    skipped: str = ""  # why the scenario could not run here (runs stays 0)


def command(db: Path, *args: str) -> list[str]:
    """The command line on `db`, in English: the scenarios read its error lines for words ("full", "busy")."""
    return [sys.executable, "-m", "wallet_crm", "--lang", "en", "--db", str(db), *args]


def _cli(db: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command(db, *args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_cli(
    db: Path,
    *args: str,
    env_extra: dict[str, str] | None = None,
    timeout: float = 120,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`wallet-crm --db db args` to the end, its output captured."""
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        command(db, *args), capture_output=True, text=True, timeout=timeout, env=env, preexec_fn=preexec_fn
    )


def one_error_line(returncode: int, stderr: str) -> bool:
    """Exit 2 with exactly one line on stderr, an error and no traceback."""
    lines = stderr.splitlines()
    return returncode == 2 and len(lines) == 1 and lines[0].startswith("wallet-crm: error:")


def _count(db: Path, sql: str) -> int:
    connection = sqlite3.connect(db)
    try:
        return int(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        return [tuple(row) for row in connection.execute(sql).fetchall()]
    finally:
        connection.close()


def snapshot(db: Path) -> str:
    """A digest of every row of every table (not of the file's pages): equal when nothing was changed."""
    connection = sqlite3.connect(db)
    try:
        digest = hashlib.sha256()
        for line in connection.iterdump():
            digest.update(line.encode("utf-8"))
        return digest.hexdigest()
    finally:
        connection.close()


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of `source` (SQLite's backup, so a WAL beside it is included)."""
    origin = sqlite3.connect(source)
    copy = sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def _write_export(
    path: Path, rows: int, base: dt.datetime = dt.datetime(2026, 11, 1, 9, 0, 0), prefix: str = "R"
) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            when = base + dt.timedelta(seconds=number * 7)
            status = "失败" if number % 11 == 0 else "成功"
            writer.writerow(
                (f"{prefix}{number:07d}", f"{when:%Y-%m-%d %H:%M:%S}", f"C{number % 3000:05d}",
                 f"1381234{number % 3000:04d}", "消费", f"{number % 900 + 1}.50", status)
            )  # fmt: skip


def _kill_at_random(
    process: subprocess.Popen[bytes], rng: random.Random, longest: float, shortest: float = 0.05
) -> bool:
    """Kill `process` after a random delay of `shortest` to `longest` seconds; False when it had already finished."""
    deadline = time.monotonic() + rng.uniform(min(shortest, longest), longest)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def timed(db: Path, *args: str) -> float:
    """Seconds `wallet-crm --db db args` takes to finish (it must succeed)."""
    started = time.monotonic()
    result = run_cli(db, *args)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started
