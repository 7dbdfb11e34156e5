"""Nothing an export writes outlives it, even when its process is killed.

An export writes two kinds of files before the workbook is in place: XlsxWriter's temporary files (one
per sheet in constant-memory mode, as big as the sheet's XML, plus the parts it zips at the end) and the
half-written workbook beside the target (`.NAME.TOKEN.partial`). Each export in progress gets a folder of
its own under `paths.export_work_dir()`: XlsxWriter's `tmpdir` points there, and `export.json` in it
records the partial file. The export removes the folder when its file is in place or thrown away.

A killed export can't; `clean_export_leftovers()` (at the app's start and before `wallet-crm export`)
removes the folders, and the partial files they record, of exports whose process is gone. Whether it is
gone is told by a lock the export holds on `export.lock` while it runs: the system drops it when the
process dies, however it dies (a process id may be reused, after a restart most of all). An export caught
in the instant between making its folder and taking the lock is told by its process id instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import logging
import os
import secrets
import shutil
import sys
import time
from pathlib import Path
from typing import IO

from wallet_crm.paths import export_work_dir

log = logging.getLogger(__name__)
RECORD = "export.json"
LOCK = "export.lock"

if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _pid_alive(pid: int) -> bool:
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            return not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _pid_alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # someone else's process
            return True
        return True


class ExportScratch:
    """The folder of one export in progress; `remove()` when its file is in place or thrown away."""

    def __init__(self, folder: Path, lock: IO[bytes] | None, token: str) -> None:
        self.folder = folder
        self.token = token
        self._lock: IO[bytes] | None = lock

    @classmethod
    def start(cls, target: Path) -> ExportScratch:
        """Make the folder, take its lock, then record the partial file (see `partial_path`) of `target`."""
        root = export_work_dir()
        root.mkdir(parents=True, exist_ok=True)
        token = secrets.token_hex(4)
        folder = root / f"{os.getpid()}-{token}"
        folder.mkdir()
        scratch = cls(folder, None, token)
        try:
            lock = (folder / LOCK).open("a+b")
            scratch._lock = lock
            for _attempt in range(500):  # a cleanup looking at the new folder holds the lock for an instant
                if _try_lock(lock):
                    break
                time.sleep(0.01)
            else:
                raise OSError(errno.EAGAIN, f"can't lock {folder / LOCK}")
            record = {
                "pid": os.getpid(),
                "partial": str(scratch.partial_path(target)),
                "started": f"{dt.datetime.now()}",
            }
            written = folder / f"{RECORD}.new"
            written.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            written.replace(folder / RECORD)  # whole or absent, also when killed here
        except BaseException:
            scratch.remove()
            raise
        return scratch

    def partial_path(self, target: Path) -> Path:
        """The half-written workbook beside `target`: hidden, and named for this export alone."""
        return target.with_name(f".{target.name}.{self.token}.partial")

    def remove(self) -> None:
        """The record first (nobody then acts on it), then the lock, then XlsxWriter's files."""
        (self.folder / RECORD).unlink(missing_ok=True)
        self.release()
        shutil.rmtree(self.folder, ignore_errors=True)

    def release(self) -> None:
        """Let go of the lock but keep the folder and its record: the next cleanup removes both, and the
        partial file the export could not remove itself."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def clean_export_leftovers() -> int:
    """Remove what killed exports left: their temporary files and half-written workbooks. Exports still
    running (in this process or another) are left alone. Returns how many exports were cleaned up."""
    root = export_work_dir()
    try:
        entries = sorted(root.iterdir())
    except OSError:  # no export has run yet
        return 0
    cleaned = 0
    for entry in entries:
        try:
            if _clean(entry):
                cleaned += 1
        except OSError as exc:  # e.g. a file another program holds open: next time
            log.warning("could not remove the export leftovers in %s: %s", entry.name, exc)
    if cleaned:
        log.info("removed the leftovers of %d export(s) that did not finish", cleaned)
    return cleaned


def _clean(entry: Path) -> bool:
    """Remove `entry` if the export it belongs to is gone; True if it was."""
    if not entry.is_dir():
        entry.unlink()
        return True
    try:
        lock = (entry / LOCK).open("r+b")  # never created here: a starting export makes it
    except FileNotFoundError:
        lock = None
    try:
        if lock is not None and not _try_lock(lock):
            return False  # running
        partial = _recorded_partial(entry)
        # No record yet: either the export is starting (it locks, then records) or it was killed doing so.
        if partial is None and _owner_alive(entry):
            return False
    finally:
        if lock is not None:
            lock.close()
    if partial is not None and partial.name.startswith(".") and partial.name.endswith(".partial"):
        partial.unlink(missing_ok=True)
        log.info("removed the half-written export %s", partial.name)
    shutil.rmtree(entry)
    return True


def _recorded_partial(entry: Path) -> Path | None:
    try:
        record = json.loads((entry / RECORD).read_text(encoding="utf-8"))
        return Path(record["partial"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _owner_alive(entry: Path) -> bool:
    """Whether the process the folder is named for runs (a name that is not ours names nobody)."""
    with contextlib.suppress(ValueError):
        pid = int(entry.name.split("-", 1)[0])
        return pid > 0 and _pid_alive(pid)
    return False
