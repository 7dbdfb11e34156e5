"""`--report-startup` (hidden): how long the app took from its process start to a usable window, then quit.

Two times are printed on one line, both counted from the moment the OS started the process (so a frozen
app's bootloader and the interpreter's own start are included):
`shown`: the main window was shown and the event loop was idle once after it;
`ready`: the page on screen also finished its first load (its `loaded` signal) and the loop was idle again.
`bench/bench_startup.py` reads the line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, SignalInstance
from PySide6.QtWidgets import QWidget

READY_TIMEOUT_MS = 60_000
PREFIX = "startup:"


def process_age_seconds() -> float | None:
    """Seconds since the OS started this process, or None where we cannot tell (macOS)."""
    try:
        if sys.platform.startswith("linux"):
            # Field 22 of /proc/self/stat is the start in clock ticks after boot; the name (field 2) may hold spaces.
            fields = Path("/proc/self/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
            started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
            uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
            return uptime - started
        if sys.platform == "win32":
            return _windows_process_age()
    except (OSError, ValueError, IndexError):
        return None
    return None


def _windows_process_age() -> float:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    created, exited, kernel, user, now = (wintypes.FILETIME() for _ in range(5))
    kernel32.GetProcessTimes(
        kernel32.GetCurrentProcess(),
        ctypes.byref(created),
        ctypes.byref(exited),
        ctypes.byref(kernel),
        ctypes.byref(user),
    )
    kernel32.GetSystemTimePreciseAsFileTime(ctypes.byref(now))

    def ticks(value: wintypes.FILETIME) -> int:  # 100 ns units
        return (int(value.dwHighDateTime) << 32) | int(value.dwLowDateTime)

    return (ticks(now) - ticks(created)) / 10_000_000


def format_seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f} s"


def report_when_ready(
    window: QWidget,
    page: QWidget | None,
    emit: Callable[[str], None] | None = None,
    age: Callable[[], float | None] = process_age_seconds,
) -> None:
    """Call right after `window.show()`: prints the `startup:` line once `page` is ready, then closes `window`."""
    times: dict[str, float | None] = {}
    write = emit or (lambda line: print(line, flush=True))

    def finish(timed_out: bool = False) -> None:
        if "ready" in times:
            return
        times["ready"] = age()
        times.setdefault("shown", times["ready"])
        note = " (timed out waiting for the page)" if timed_out else ""
        write(f"{PREFIX} shown {format_seconds(times.get('shown'))}, ready {format_seconds(times['ready'])}{note}")
        window.close()

    def shown() -> None:
        times["shown"] = age()
        if not isinstance(loaded, SignalInstance):
            QTimer.singleShot(0, finish)

    loaded = getattr(page, "loaded", None)
    if isinstance(loaded, SignalInstance):
        loaded.connect(lambda *_args: QTimer.singleShot(0, finish))
    QTimer.singleShot(0, shown)
    QTimer.singleShot(READY_TIMEOUT_MS, lambda: finish(timed_out=True))
