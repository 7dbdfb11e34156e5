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


def report_from_child(rows: int, seconds: float, **extra: float) -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb, **extra}))


def measure_in_child(module: str, name: str, *args: str) -> dict[str, float]:
    command = [sys.executable, "-m", module, "--child", name, *args]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True, cwd=Path(__file__).parent.parent)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures
