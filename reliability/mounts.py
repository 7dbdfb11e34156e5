"""A full disk and a read-only database, made for real in a private mount namespace (`unshare -m`), as
tests/cli/test_db_errors_cli.py does: a small tmpfs, a read-only bind mount. Root ignores file permissions,
so a normal user gets `chmod` instead for the read-only file; where mounting is refused the scenario is
skipped, naming why."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from reliability.common import AS_OF_FORMAT, ROWS, Outcome, _count, _write_export, one_error_line, run_cli, snapshot

MOUNT_REFUSED = 99
# Runs each command of a JSON list in turn and writes their exits and output as JSON: the commands run
# inside the namespace, where the mounts are, and the results outlive it.
DRIVER = """
import json, subprocess, sys
commands = json.loads(open(sys.argv[1], encoding="utf-8").read())
results = []
for words in commands:
    done = subprocess.run(words, capture_output=True, text=True, timeout=120)
    results.append({"rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr})
open(sys.argv[2], "w", encoding="utf-8").write(json.dumps(results))
"""


class MountRefused(Exception):
    pass


def _in_private_mounts(script: str, *args: str, env_extra: dict[str, str] | None = None) -> None:
    if shutil.which("unshare") is None:
        raise MountRefused("needs util-linux unshare for a private mount namespace")
    env = {**os.environ, "PY": sys.executable, **(env_extra or {})}
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", *args], capture_output=True, text=True, timeout=600, env=env
    )
    if result.returncode == MOUNT_REFUSED or result.stderr.startswith("unshare:"):
        raise MountRefused(f"mounting is not permitted here ({result.stderr.strip()[:80]})")
    if result.returncode != 0:
        raise RuntimeError(result.stderr)


def _driver(work: Path, name: str, commands: list[list[str]]) -> tuple[Path, Path]:
    """The driver script and its list of commands; it writes its results beside them."""
    driver = work / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    listing = work / f"{name}-commands.json"
    listing.write_text(json.dumps(commands, ensure_ascii=False), encoding="utf-8")
    return driver, listing


def disk_full(work: Path) -> Outcome:
    """The database (and the log) on a 400 KB tmpfs, imports far bigger than it holds: exit 2, one line,
    the database as it was, no journal left behind."""
    outcome = Outcome("disk full (400 KB tmpfs)")
    sizes = (5_000, ROWS)
    sources = []
    for size in sizes:
        source = work / f"full-{size}.csv"
        _write_export(source, size, prefix="F")
        sources.append(source)
    template = work / "small.sqlite3"  # it must fit on the small disk: a database with one agent
    made = run_cli(template, "agents", "add", "小李")
    assert made.returncode == 0, made.stderr
    disk = work / "disk"
    disk.mkdir()
    out = work / "disk-out"
    out.mkdir()
    inner = disk / "crm.sqlite3"
    py = sys.executable
    commands = [
        [py, "-m", "wallet_crm", "--lang", "en", "--db", str(inner), "import", str(source)] for source in sources
    ]
    commands.append([py, "-m", "wallet_crm", "--lang", "en", "--db", str(inner), "status"])
    driver, listing = _driver(work, "disk", commands)
    script = """
mount -t tmpfs -o size=400k tmpfs "$1" || exit 99
cp "$2" "$1/crm.sqlite3" && mkdir "$1/state" || exit 3
XDG_STATE_HOME="$1/state" "$PY" "$3" "$4" "$5/results.json" || exit 4
cp "$1"/crm.sqlite3* "$5/" && ls -A "$1" >"$5/left"
"""
    try:
        _in_private_mounts(script, str(disk), str(template), str(driver), str(listing), str(out))
    except MountRefused as exc:
        outcome.skipped = str(exc)
        return outcome
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    unchanged = snapshot(out / "crm.sqlite3") == snapshot(template)
    left = (out / "left").read_text(encoding="utf-8").split()
    failures = []
    for size, result in zip(sizes, results, strict=False):
        outcome.runs += 1
        if one_error_line(result["rc"], result["stderr"]) and "full" in result["stderr"]:
            outcome.passed += 1
        else:
            failures.append(f"{size} rows: exit {result['rc']}: {result['stderr'].strip()[-90:]}")
    outcome.runs += 1
    if unchanged and left == ["crm.sqlite3", "state"] and results[-1]["rc"] == 0:
        outcome.passed += 1
    else:
        failures.append(f"after: unchanged {unchanged}, left {left}, status exit {results[-1]['rc']}")
    outcome.note = failures[0][:120] if failures else "each import said the disk is full; the file as it was"
    return outcome


def read_only(work: Path, template: Path) -> Outcome:
    """The database file read-only: every write exits 2 with one line and changes nothing; reads work."""
    outcome = Outcome("read-only database file")
    db = work / "read-only.sqlite3"
    shutil.copy(template, db)
    source = work / "read-only.csv"
    _write_export(source, 50, prefix="RO")
    assert run_cli(db, "queue", "list").returncode == 0  # settle anything stale while it is writable
    task = str(_count(db, "SELECT MIN(id) FROM tasks WHERE status = 'open' AND held_until IS NULL"))
    before = snapshot(db)
    later = (dt.datetime.now() + dt.timedelta(days=18)).strftime(AS_OF_FORMAT)  # a build with work to do
    calling = dt.datetime.now().replace(hour=10, minute=0, second=0).strftime(AS_OF_FORMAT)
    writes = [
        ["agents", "add", "小王"],
        ["import", str(source)],
        ["queue", "build", "--as-of", later],
        ["queue", "next", "--agent", "小李", "--as-of", calling],  # within calling hours, so it would write
        ["outcome", task, "--agent", "小李", "--disposition", "no_answer"],
        ["undo-import", "1"],
    ]
    reads = [["status"], ["agents", "list"], ["imports"], ["queue", "list"], ["report"]]
    everything = writes + reads
    outputs: list[dict[str, Any]]
    if os.geteuid() != 0:
        how = "chmod 444"
        db.chmod(0o444)
        try:
            results = [run_cli(db, *words) for words in everything]
            outputs = [{"rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr} for done in results]
        finally:
            db.chmod(0o644)
    else:
        how = "read-only bind mount"
        py = sys.executable
        driver, listing = _driver(
            work, "ro", [[py, "-m", "wallet_crm", "--lang", "en", "--db", str(db), *w] for w in everything]
        )
        script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99\n"$PY" "$2" "$3" "$4" || exit 4\n'
        try:
            _in_private_mounts(script, str(db), str(driver), str(listing), str(work / "ro-results.json"))
        except MountRefused as exc:
            outcome.skipped = str(exc)
            return outcome
        outputs = json.loads((work / "ro-results.json").read_text(encoding="utf-8"))
    failures = []
    for words, result in zip(everything, outputs, strict=True):
        outcome.runs += 1
        if words in writes:
            good = one_error_line(result["rc"], result["stderr"]) and "read-only" in result["stderr"]
        else:
            good = result["rc"] == 0
        if good:
            outcome.passed += 1
        else:
            failures.append(f"{' '.join(words[:2])}: exit {result['rc']}: {result['stderr'].strip()[-80:]}")
    outcome.runs += 1
    if snapshot(db) == before:
        outcome.passed += 1
    else:
        failures.append("the read-only database changed")
    outcome.note = failures[0][:120] if failures else f"{how}: writes said read-only, reads worked"
    return outcome
