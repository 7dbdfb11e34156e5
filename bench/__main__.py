"""`python -m bench [NAME...]`: run every `bench/bench_*.py` (or the named ones) and print their tables.

Each benchmark module has `main() -> None`, prints its own figures and ratios against a peer measured
in the same run, and asserts nothing about time: shared machines are too noisy for that.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

from bench import goals

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def discover() -> list[str]:
    return sorted(path.stem for path in Path(__file__).parent.glob("bench_*.py"))


def run(names: list[str]) -> int:
    available = discover()
    chosen = names or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available) or 'none'}", file=sys.stderr
        )
        return 2
    if not chosen:
        print("no benchmarks yet (add bench/bench_<name>.py with a main() function)")
        return 0
    for name in chosen:
        print(f"== {name}")
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").main()
        print(f"({name} took {time.perf_counter() - started:.1f} s)\n")
    print("== goals")
    print(goals.summary())
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
