"""Run one pipeline of a benchmark in its own process, so its peak memory (`ru_maxrss`) is its own.

The parent calls `measure_in_child(module, name, *args)`; the module's `--child NAME ARGS...` branch
calls `report_from_child`, whose JSON on the last line of stdout carries the figures back.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path


def peak_mb() -> float:
    """This process's own peak resident memory in MB.

    Linux keeps `ru_maxrss` across fork and exec, so a child started by a parent that had just built a big
    database reports the parent's peak. `VmHWM` in /proc belongs to the process's current memory map,
    which exec makes anew: it is the child's own figure (what `/usr/bin/time -v` calls maximum resident
    set size for a process started from a small launcher).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report_from_child(rows: int, seconds: float, **extra: float) -> None:
    peak = peak_mb()
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak, **extra}))


def measure_in_child(module: str, name: str, *args: str) -> dict[str, float]:
    command = [sys.executable, "-m", module, "--child", name, *args]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True, cwd=Path(__file__).parent.parent)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures
