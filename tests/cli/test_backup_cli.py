"""`wallet-crm backup` and `wallet-crm restore` end to end, as a subprocess on real files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_db_errors_cli import BUSY_ENV, assert_one_line_error, run, write_lock_held
from wallet_crm.db.migrations import LATEST_VERSION


def file_state(folder: Path) -> dict[str, str]:
    return {
        item.name: "shared memory" if item.name.endswith("-shm") else hashlib.sha256(item.read_bytes()).hexdigest()
        for item in sorted(folder.iterdir())
    }


def status(path: Path) -> dict[str, object]:
    result = run("--db", str(path), "status", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def crm(demo_path: Path, tmp_path: Path) -> Path:
    """A wallet-crm database alone in its folder (300 customers, 3,000 transactions)."""
    folder = tmp_path / "crm"
    folder.mkdir()
    return Path(shutil.move(demo_path, folder / "wallet-crm.sqlite3"))


def test_backup_then_restore_brings_the_rows_back_and_keeps_the_old_file(crm: Path, tmp_path: Path) -> None:
    copy = tmp_path / "saved" / "copy.sqlite3"
    made = run("--db", str(crm), "backup", "-o", str(copy))
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Backup written: {copy} (") and len(made.stdout.splitlines()) == 1
    assert f"schema version {LATEST_VERSION}" in made.stdout and made.stderr == ""
    assert status(copy)["customers"] == 300

    assert run("--db", str(crm), "agents", "add", "备份之后").returncode == 0  # written after the backup

    restored = run("--db", str(crm), "restore", str(copy), "--json")
    assert restored.returncode == 0, restored.stderr
    answer = json.loads(restored.stdout)
    assert answer["database"] == str(crm) and answer["restored_from"] == str(copy)
    assert answer["schema_version"] == LATEST_VERSION
    previous = Path(answer["previous"])
    assert previous.parent == crm.parent and previous.name.startswith("wallet-crm.sqlite3.")
    assert previous.name.endswith(".bak") and previous.exists()
    after = status(crm)
    assert after["customers"] == 300 and after["transactions"] == 3000
    agents = run("--db", str(crm), "agents", "list", "--json")
    assert "备份之后" not in {agent["name"] for agent in json.loads(agents.stdout)}  # the backup's state opens next
    kept = sqlite3.connect(previous)
    assert ("备份之后",) in kept.execute("SELECT name FROM agents").fetchall()  # the replaced database, whole
    kept.close()


def test_restore_in_plain_words(crm: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    assert run("--db", str(crm), "backup", "-o", str(copy)).returncode == 0
    restored = run("--db", str(crm), "restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Restored {copy} into {crm} (schema version {LATEST_VERSION})")
    assert "the previous one is kept as" in restored.stdout and len(restored.stdout.splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "starts"),
    [
        (b"PK\x03\x04 a zip file, say", "{bad} is not a wallet-crm backup (it is not a SQLite file)"),
        (None, "{bad} is damaged"),
    ],
    ids=["not-sqlite", "truncated"],
)
def test_a_bad_backup_exits_2_with_one_line_and_changes_nothing(
    crm: Path, tmp_path: Path, content: bytes | None, starts: str
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content if content is not None else crm.read_bytes()[: crm.stat().st_size // 2])
    before = file_state(crm.parent)
    result = run("--db", str(crm), "restore", str(bad))
    line = assert_one_line_error(result, starts.format(bad=bad))
    assert line.endswith("nothing was changed.") and result.stdout == ""
    assert file_state(crm.parent) == before


def test_a_backup_from_a_newer_wallet_crm_is_refused(crm: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    shutil.copyfile(crm, newer)
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE schema_info SET version = version + 1")
    connection.commit()
    connection.close()
    before = file_state(crm.parent)
    result = run("--db", str(crm), "restore", str(newer), "--json")
    line = assert_one_line_error(result, f"{newer} has schema version {LATEST_VERSION + 1}")
    assert "update the app" in line and result.stdout == ""
    assert file_state(crm.parent) == before


def test_restore_while_an_import_holds_the_write_lock_says_busy(crm: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    assert run("--db", str(crm), "backup", "-o", str(copy)).returncode == 0
    before = file_state(crm.parent)
    with write_lock_held(crm):
        result = run("--db", str(crm), "restore", str(copy), env_extra=BUSY_ENV)
        assert file_state(crm.parent) == before
    line = assert_one_line_error(result, f"The database {crm} is busy")
    assert "nothing was changed" in line


def test_a_backup_while_an_import_holds_the_write_lock_goes_through(crm: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    with write_lock_held(crm):
        result = run("--db", str(crm), "backup", "-o", str(copy), "--json", env_extra=BUSY_ENV)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["backup"] == str(copy) and answer["bytes"] == copy.stat().st_size > 0
    assert answer["schema_version"] == LATEST_VERSION and answer["pages"] > 0


@pytest.mark.parametrize("command", [("backup", "-o", "{out}"), ("restore", "{out}"), ("backup", "--auto")])
def test_postgresql_is_backed_up_with_its_own_tools(tmp_path: Path, command: tuple[str, ...]) -> None:
    out = tmp_path / "copy.sqlite3"
    out.write_bytes(b"SQLite format 3\x00")
    words = [word.format(out=out) for word in command]
    result = run("--db", "postgresql://crm:secret@db.example/crm", *words)
    line = assert_one_line_error(result, "postgresql://crm@db.example/crm is a PostgreSQL database")
    assert "pg_dump" in line and "secret" not in line


def test_the_daily_backup_goes_to_the_data_folder_once_a_day(crm: Path, user_folders: Path) -> None:
    first = run("--db", str(crm), "backup", "--auto", "--json")
    assert first.returncode == 0, first.stderr
    answer = json.loads(first.stdout)
    expected = user_folders / "data" / "wallet-crm" / "backups" / f"wallet-crm-{dt.date.today():%Y-%m-%d}.sqlite3"
    assert answer == {"backup": str(expected), "made": True, "pruned": [], "kept": [str(expected)]}
    assert status(expected)["customers"] == 300
    second = run("--db", str(crm), "backup", "--auto")
    assert second.returncode == 0, second.stderr
    assert second.stdout == f"Today's backup was already there: {expected} (1 kept).\n"


def test_the_daily_backup_prunes_an_explicit_folder(crm: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for days_ago in range(1, 46):  # whatever today is, 7 days and 4 earlier weeks are among them
        day = dt.date.today() - dt.timedelta(days=days_ago)
        shutil.copyfile(crm, folder / f"wallet-crm-{day:%Y-%m-%d}.sqlite3")
    result = run("--db", str(crm), "backup", "--auto", "--folder", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["made"] is True and len(answer["kept"]) == 11 and len(answer["pruned"]) == 46 - 11
    assert sorted(item.name for item in folder.iterdir()) == sorted(Path(name).name for name in answer["kept"])


@pytest.mark.parametrize(
    ("words", "starts"),
    [
        (("backup",), "one of the arguments -o/--output --auto is required"),
        (("backup", "-o", "x.sqlite3", "--folder", "f"), "--folder goes with --auto"),
        (("restore",), "the following arguments are required: FILE"),
    ],
)
def test_usage_mistakes_exit_2_with_one_line(crm: Path, words: tuple[str, ...], starts: str) -> None:
    assert_one_line_error(run("--db", str(crm), *words), starts)
