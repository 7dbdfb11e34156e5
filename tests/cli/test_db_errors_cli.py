"""Database failures on the real command line: busy, disk full, read-only each exit 2 with one line, no traceback.

A full disk and a read-only file are made for real in a private mount namespace (`unshare -m`: a small
tmpfs, a read-only bind mount), because root ignores file permissions; where that is not permitted the
test says so and skips (the classification itself is covered in tests/unit/test_db_errors.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from tests.conftest import AS_OF
from tests.import_files import numbered_rows, snapshot, write_csv
from tests.sqlite_files import held

BUSY_ENV = {"WALLET_CRM_BUSY_TIMEOUT_MS": "500"}
AS_OF_TEXT = f"{AS_OF:%Y-%m-%d %H:%M}"
MOUNT_REFUSED = 99
Completed = subprocess.CompletedProcess[str]


def run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "wallet_crm", "--lang", "en", *args], capture_output=True, text=True, timeout=60, env=env
    )


def in_private_mounts(script: str, *args: str, env_extra: dict[str, str] | None = None) -> str:
    """Run `sh -c script` with `args` in its own mount namespace (mounts vanish with it); its stdout.

    The script exits 99 when a mount is refused; the test is then skipped, naming why."""
    if shutil.which("unshare") is None:
        pytest.skip("needs util-linux unshare for a private mount namespace")
    env = {**os.environ, "PY": sys.executable, **(env_extra or {})}
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", *args], capture_output=True, text=True, timeout=60, env=env
    )
    if result.returncode == MOUNT_REFUSED or result.stderr.startswith("unshare:"):
        pytest.skip(f"mounting is not permitted here ({result.stderr.strip()[:80]})")
    assert result.returncode == 0, result.stderr
    return result.stdout


def assert_one_line_error(result: subprocess.CompletedProcess[str], starts: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"wallet-crm: error: {starts}"), lines[0]
    return lines[0]


def write_lock_held(path: Path) -> AbstractContextManager[None]:
    """Another process holds the write lock (as a long import does) until the block ends."""
    return held(path, "write")


def _open_task(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute(
            "SELECT id FROM tasks WHERE status = 'open' AND held_until IS NULL ORDER BY id LIMIT 1"
        ).fetchone()
    finally:
        connection.close()
    return str(row[0])


@pytest.mark.parametrize(
    "command",
    [
        ("agents", "add", "小赵"),
        ("queue", "build", "--as-of", AS_OF_TEXT),
        ("queue", "next", "--agent", "小李", "--as-of", AS_OF_TEXT),
        ("outcome", "{task}", "--agent", "小李", "--disposition", "no_answer", "--as-of", AS_OF_TEXT),
        ("export", "customers", "-o", "{out}"),
    ],
    ids=["agents-add", "queue-build", "queue-next", "outcome", "export"],
)
def test_a_held_write_lock_makes_a_write_wait_then_say_busy(
    demo_path: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    words = [word.format(task=_open_task(demo_path), out=tmp_path / "customers.xlsx") for word in command]
    before = snapshot(demo_path)
    with write_lock_held(demo_path):
        busy = run("--db", str(demo_path), *words, env_extra=BUSY_ENV)
    line = assert_one_line_error(busy, f"The database {demo_path} is busy")
    assert "try again when it has finished" in line and busy.stdout == ""
    assert snapshot(demo_path) == before
    assert [item.name for item in tmp_path.iterdir() if item.name.startswith("customers")] == []  # no workbook
    again = run("--db", str(demo_path), *words, env_extra=BUSY_ENV)
    assert again.returncode == 0, again.stderr


def test_disk_full_during_an_import_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    """A real ENOSPC: the database (and the log) on a tmpfs with 160 KB to spare, a 3,000-row import."""
    template = tmp_path / "crm.sqlite3"
    assert run("--db", str(template), "agents", "add", "小李").returncode == 0
    csv_file = write_csv(tmp_path / "orders.csv", numbered_rows(3000), encoding="utf-8")
    (tmp_path / "disk").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    script = """
mount -t tmpfs -o size=400k tmpfs "$1" || exit 99
cp "$2" "$1/crm.sqlite3" && mkdir "$1/state"
XDG_STATE_HOME="$1/state" "$PY" -m wallet_crm --lang en --db "$1/crm.sqlite3" import "$3" >"$4/stdout" 2>"$4/stderr"
echo $? >"$4/rc"
cp "$1"/crm.sqlite3* "$4/"
ls "$1"
"""
    left = in_private_mounts(script, str(tmp_path / "disk"), str(template), str(csv_file), str(out))
    result = Completed(
        args=[],
        returncode=int((out / "rc").read_text()),
        stdout=(out / "stdout").read_text(encoding="utf-8"),
        stderr=(out / "stderr").read_text(encoding="utf-8"),
    )
    disk_db = tmp_path / "disk" / "crm.sqlite3"
    line = assert_one_line_error(result, f"The disk holding {disk_db} is full: nothing was saved")
    assert "cannot rollback" not in line
    assert snapshot(out / "crm.sqlite3") == snapshot(template)  # no batch, no customer, no transaction
    assert left.split() == ["crm.sqlite3", "state"]  # no journal left behind either


def run_read_only(read_only: Path, db: Path, *args: str, env_extra: dict[str, str] | None = None) -> Completed:
    """`wallet-crm --db db args` with `read_only` (the file or its folder) read-only: chmod for a normal user,
    a read-only bind mount for root (whom permissions don't stop)."""
    if os.geteuid() != 0:
        mode = read_only.stat().st_mode
        read_only.chmod(0o555 if read_only.is_dir() else 0o444)
        try:
            return run("--db", str(db), *args, env_extra=env_extra)
        finally:
            read_only.chmod(mode)
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99\nshift\n'
    script += '"$@" >"$OUT/stdout" 2>"$OUT/stderr"; echo $? >"$OUT/rc"'
    out = read_only.with_name(f"{read_only.name}-run")
    out.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "wallet_crm", "--lang", "en", "--db", str(db), *args]
    in_private_mounts(script, str(read_only), *command, env_extra={"OUT": str(out), **(env_extra or {})})
    return Completed(
        args=command,
        returncode=int((out / "rc").read_text()),
        stdout=(out / "stdout").read_text(encoding="utf-8"),
        stderr=(out / "stderr").read_text(encoding="utf-8"),
    )


def test_a_read_only_database_file_exits_2_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    assert run("--db", str(db), "agents", "add", "小李").returncode == 0
    before = snapshot(db)
    result = run_read_only(db, db, "agents", "add", "小王")
    assert_one_line_error(result, f"The database {db} is read-only: nothing was changed")
    assert snapshot(db) == before
    reading = run_read_only(db, db, "agents", "list")
    assert reading.returncode == 0 and "小李" in reading.stdout  # reading a read-only file still works


def test_a_read_only_database_without_a_log_puts_no_traceback_or_phone_on_stderr(tmp_path: Path) -> None:
    """No log folder either (a read-only home): logging must not fall back to printing tracebacks."""
    db = tmp_path / "crm.sqlite3"
    assert run("--db", str(db), "agents", "add", "小李").returncode == 0
    csv_file = write_csv(tmp_path / "orders.csv", numbered_rows(20), encoding="utf-8")
    not_a_folder = tmp_path / "state-is-a-file"
    not_a_folder.write_text("", encoding="utf-8")
    result = run_read_only(db, db, "import", str(csv_file), env_extra={"XDG_STATE_HOME": str(not_a_folder)})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "13812340" not in result.stderr and "客户" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("wallet-crm: warning: no log file")
    assert len(lines) == 2 and lines[1].startswith(f"wallet-crm: error: The database {db} is read-only")


def test_a_database_in_a_read_only_folder_exits_2_saying_read_only(tmp_path: Path) -> None:
    """SQLite can't create its journal there and says only "unable to open": the folder tells why."""
    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "crm.sqlite3"
    assert run("--db", str(db), "agents", "add", "小李").returncode == 0
    result = run_read_only(folder, db, "agents", "add", "小王")
    assert_one_line_error(result, f"The database {db} is read-only: nothing was changed")
    assert sorted(item.name for item in folder.iterdir()) == ["crm.sqlite3"]
