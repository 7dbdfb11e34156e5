"""Cold start: from launching the app to a usable main window, the frozen app and from source.

Each run starts the app with the hidden `--report-startup` flag under the offscreen platform, on the demo
database (2,000 customers, 20,000 transactions: the Transactions page opens first and loads its rows on a
worker). The app prints `startup: shown X s, ready Y s`, both counted from the moment the OS started its
process (wallet_crm/ui/startup_report.py), and quits; the figure here is `ready`: the window shown, the
first page's rows loaded and the event loop idle.

Programs: the frozen app `dist/wallet-crm/wallet-crm` (`make package`; skipped, and said so, when it is
not built) and, for comparison, `python -m wallet_crm` from this checkout. Each gets one untimed run first
(whatever a first start does to the database and the settings is not counted), then five timed runs: the
first of them with the program's files dropped from the OS page cache beforehand (Linux
`posix_fadvise(DONTNEED)` on each file, no root needed: as after a reboot, for these files), the other four
warm. The table gives the cold run and the median of the five.
Goal from the issue: the frozen app to a usable window in under 2 s (the median).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from bench import goals as goals_table

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "dist" / "wallet-crm" / ("wallet-crm.exe" if sys.platform == "win32" else "wallet-crm")
RUNS = 5
GOAL_S = 2.0
LINE = re.compile(r"startup: shown (?P<shown>[0-9.]+|n/a)(?: s)?, ready (?P<ready>[0-9.]+|n/a)")
AS_OF = dt.datetime(2026, 11, 20, 12, 0)


def drop_from_page_cache(folders: Iterable[Path]) -> int:
    """Evict the files under `folders` from the page cache; returns how many files (0 where unsupported)."""
    advise = getattr(os, "posix_fadvise", None)
    dontneed = getattr(os, "POSIX_FADV_DONTNEED", None)
    if advise is None or dontneed is None:
        return 0
    count = 0
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else [folder]:
            if not path.is_file() or path.is_symlink():
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                advise(fd, 0, 0, dontneed)
                count += 1
            except OSError:
                pass
            finally:
                os.close(fd)
    return count


def one_run(command: list[str], env: dict[str, str]) -> float:
    """Seconds from process start to a usable window, as the app reports it (wall time when it cannot)."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    wall = time.perf_counter() - started
    match = LINE.search(done.stdout)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"{command[0]} exited {done.returncode}: {done.stdout[-500:]} {done.stderr[-1500:]}")
    if "timed out" in done.stdout:
        raise RuntimeError(f"{command[0]}: the first page never finished loading: {done.stdout.strip()}")
    return wall if match["ready"] == "n/a" else float(match["ready"])


def measure(name: str, command: list[str], files: list[Path], env: dict[str, str]) -> tuple[float, float]:
    """(cold, median) over RUNS runs after one untimed run; prints every figure."""
    one_run(command, env)
    evicted = drop_from_page_cache(files)
    times = [one_run(command, env) for _ in range(RUNS)]
    cold, median = times[0], statistics.median(times)
    how = f"{evicted:,} files dropped from the page cache first" if evicted else "page cache not dropped (no fadvise)"
    print(f"{name:<30} cold {cold:5.2f} s  median {median:5.2f} s  runs {' '.join(f'{t:.2f}' for t in times)}  ({how})")
    return cold, median


def main() -> None:
    from wallet_crm.demo import create_demo_database

    with tempfile.TemporaryDirectory(prefix="wallet-crm-bench-startup-") as folder:
        home = Path(folder)
        db = home / "demo.sqlite3"
        started = time.perf_counter()
        create_demo_database(db, as_of=AS_OF)
        print(f"demo database: 2,000 customers, 20,000 transactions ({time.perf_counter() - started:.1f} s to write)")
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
        }
        env.pop("WALLET_CRM_DB", None)
        arguments = ["--db", str(db), "--lang", "zh_CN", "--report-startup"]
        print(f"to a usable window (shown, first page loaded, idle), {RUNS} runs each, offscreen:")
        frozen: tuple[float, float] | None = None
        stale = _newer_sources()
        if not FROZEN.exists():
            print(f"frozen: skipped, {FROZEN.relative_to(ROOT)} is not built (run `make package` first)")
        elif stale:
            # An older build may not open the demo database's schema, and would wait on its error dialog.
            print(f"frozen: skipped, {FROZEN.relative_to(ROOT)} is older than {stale} (run `make package` first)")
        else:
            frozen = measure("frozen (dist/wallet-crm)", [str(FROZEN), *arguments], [FROZEN.parent], env)
        source_files = [
            ROOT / "wallet_crm",
            Path(sysconfig.get_paths()["purelib"]),
            Path(sysconfig.get_paths()["stdlib"]),
        ]
        _, source_median = measure(
            "source (python -m wallet_crm)", [sys.executable, "-m", "wallet_crm", *arguments], source_files, env
        )
        if frozen is not None:
            _, median = frozen
            print(f"source median / frozen median: {source_median / median:.2f}")
            goals_table.record(
                "startup", f"frozen app to a usable window < {GOAL_S:g} s", f"{median:.2f} s", median < GOAL_S
            )


def _newer_sources() -> str | None:
    """A source file changed after the frozen app was built, if any (its path, for the message)."""
    built = FROZEN.stat().st_mtime if FROZEN.exists() else 0.0
    for path in (ROOT / "wallet_crm").rglob("*.py"):
        if path.stat().st_mtime > built:
            return str(path.relative_to(ROOT))
    return None


if __name__ == "__main__":
    main()
