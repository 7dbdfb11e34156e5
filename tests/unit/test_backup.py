"""Backups and restores on real files: a copy taken while another process writes is one committed state;
a restore of anything but a good backup changes no byte of the database; a good one keeps the old file;
the daily backups keep 7 days and 4 weeks."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from tests.import_files import numbered_rows, write_csv
from tests.sqlite_files import count, held
from wallet_crm.db import close_database, open_database
from wallet_crm.db.backup import (
    BackupRefused,
    auto_backup,
    backup,
    backup_name,
    daily_backups,
    days_to_keep,
    restore,
)
from wallet_crm.db.errors import DatabaseBusy, NewerSchema, NotADatabase
from wallet_crm.db.migrations import LATEST_VERSION, apply_migrations
from wallet_crm.errors import OperationCancelled
from wallet_crm.paths import default_backup_dir
from wallet_crm.preferences import Preferences, backup_folder, load_preferences, save_preferences

NOW = dt.datetime(2026, 12, 2, 15, 30)
WRITER_BATCH = 7
# Another process writing through the app's own models, one batch per transaction, until told to stop;
# after each commit it appends the number of customers it committed to `log` (the states a copy may show).
WRITER = """
import datetime as dt, sys
from pathlib import Path
from wallet_crm.db import open_database
from wallet_crm.db.models import Customer
db_path, log, stop, batch = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
db = open_database(db_path)
now = dt.datetime(2026, 12, 2, 15, 0)
number = 0
with log.open("a") as states:
    states.write(f"{Customer.select().count()}\\n"); states.flush()
    print("ready", flush=True)
    while not stop.exists():
        with db.atomic():
            Customer.insert_many(
                [{"external_id": f"w{number}-{i}", "created_at": now, "updated_at": now} for i in range(batch)]
            ).execute()
            count = Customer.select().count()
        number += 1
        states.write(f"{count}\\n"); states.flush()
db.close()
"""
KILLED_AFTER_WRITING = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA wal_autocheckpoint=0")
connection.execute(
    "INSERT INTO customers (id_kind, external_id, created_at, updated_at) "
    "VALUES ('customer_id', 'last', '2026-12-02 15:00:00', '2026-12-02 15:00:00')"
)
os._exit(0)  # killed: its last commit is in the -wal only
"""


def file_state(folder: Path) -> dict[str, str]:
    """Every file in `folder` with the sha256 of its bytes: the database, its -wal, any leftovers. The -shm
    is SQLite's shared memory (read marks, not data): only that it is there counts."""
    return {
        item.name: "shared memory" if item.name.endswith("-shm") else hashlib.sha256(item.read_bytes()).hexdigest()
        for item in sorted(folder.iterdir())
    }


def integrity(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()


def add_customers(path: Path, how_many: int, prefix: str) -> None:
    """Customers written through the app's own open (WAL, its pragmas), then closed again."""
    db = open_database(path)
    now = dt.datetime(2026, 12, 1, 9, 0)
    db.execute_sql(
        "INSERT INTO customers (id_kind, external_id, created_at, updated_at) VALUES "
        + ", ".join(["('customer_id', ?, ?, ?)"] * how_many),
        [value for number in range(how_many) for value in (f"{prefix}{number}", now, now)],
    )
    close_database()


@pytest.fixture
def live(demo_path: Path) -> Path:
    """A wallet-crm database in its own folder, opened by the app once (WAL) and closed."""
    folder = demo_path.parent / "live"
    folder.mkdir()
    path = folder / "wallet-crm.sqlite3"
    shutil.move(demo_path, path)
    open_database(path)
    close_database()
    return path


@pytest.fixture
def good_backup(live: Path, tmp_path: Path) -> Path:
    return backup(live, tmp_path / "good.sqlite3").path


# --- backup ----------------------------------------------------------------------------------------------
def test_a_backup_taken_while_another_process_writes_is_one_committed_state(live: Path, tmp_path: Path) -> None:
    states, stop = tmp_path / "states.txt", tmp_path / "stop"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(live), str(states), str(stop), str(WRITER_BATCH)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as writer:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        while len(states.read_text().split()) < 20:  # the writer is well under way
            time.sleep(0.01)
        before = len(states.read_text().split())
        steps: list[tuple[int, int]] = []
        endless = threading.Event()

        def slowly(done: int, total: int) -> None:  # small steps, a pause each: many commits land during the copy
            steps.append((done, total))
            time.sleep(0.003)
            if len(steps) > 2000:  # a copy that starts over at each commit never ends: fail, don't hang
                endless.set()

        try:
            result = backup(live, tmp_path / "copy.sqlite3", progress=slowly, cancel=endless, pages_per_step=4)
            during = len(states.read_text().split()) - before
        finally:
            stop.touch()
            writer.wait(timeout=30)
    assert writer.returncode == 0
    assert during > 5, "the writer committed while the copy was made"
    assert len(steps) > 20 and steps[-1][0] == steps[-1][1] == result.pages
    committed = {int(line) for line in states.read_text().split()}
    copied = count(result.path)
    assert integrity(result.path) == ["ok"]
    assert copied in committed and copied % WRITER_BATCH == 300 % WRITER_BATCH
    assert count(result.path, "transactions") == 3000
    assert result.schema_version == LATEST_VERSION
    assert not [item.name for item in tmp_path.iterdir() if item.name.endswith(".part")]
    db = open_database(result.path)  # the copy opens as a wallet-crm database of the same version
    close_database()
    assert db.database == str(result.path)


def test_a_backup_taken_during_an_import_has_all_of_its_rows_or_none(live: Path, tmp_path: Path) -> None:
    """`wallet-crm import` of 30,000 rows in another process, a slow backup started while it runs: the
    import is one transaction, so the copy holds the batch whole or not at all, never part of it."""
    rows = 30_000
    source = write_csv(tmp_path / "big.csv", numbered_rows(rows, prefix="B"), "utf-8")
    before = count(live, "transactions")
    with subprocess.Popen(
        [sys.executable, "-m", "wallet_crm", "--db", str(live), "import", str(source)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as importer:  # fmt: skip
        wal = live.with_name(live.name + "-wal")
        deadline = time.monotonic() + 60
        while importer.poll() is None and (not wal.exists() or wal.stat().st_size < 1_000_000):
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.01)  # rows are being written: the import's transaction is open
        running = importer.poll() is None

        def slowly(_done: int, _total: int) -> None:
            time.sleep(0.002)

        result = backup(live, tmp_path / "during.sqlite3", progress=slowly, pages_per_step=8)
        _out, error = importer.communicate(timeout=120)
    assert importer.returncode == 0, error
    assert running, "the backup started while the import was writing"
    assert integrity(result.path) == ["ok"]
    assert count(result.path, "transactions") in (before, before + rows)
    assert count(live, "transactions") == before + rows


def test_a_cancelled_backup_leaves_no_file(live: Path, tmp_path: Path) -> None:
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, _total: int) -> None:
        seen.append(done)
        if len(seen) == 3:
            cancel.set()

    with pytest.raises(OperationCancelled):
        backup(live, tmp_path / "out" / "copy.sqlite3", progress=progress, cancel=cancel, pages_per_step=8)
    assert len(seen) == 3
    assert list((tmp_path / "out").iterdir()) == []  # neither the copy nor its temporary file


def test_a_backup_replaces_an_older_backup_but_not_another_file(live: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.sqlite3"
    backup(live, older)
    add_customers(live, 5, "new")
    assert count(backup(live, older).path) == 305
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    with pytest.raises(BackupRefused, match="exists and is not a backup"):
        backup(live, notes)
    assert notes.read_text(encoding="utf-8") == "mine"
    with pytest.raises(BackupRefused, match="is the database itself"):
        backup(live, live)
    with pytest.raises(BackupRefused, match="is a folder"):
        backup(live, tmp_path)


def test_a_damaged_database_is_not_backed_up(good_backup: Path, tmp_path: Path) -> None:
    damaged = damaged_rows(good_backup, tmp_path / "damaged.sqlite3")
    with pytest.raises(NotADatabase, match=r"is damaged \(integrity check: .*\): nothing was backed up"):
        backup(damaged, tmp_path / "out" / "copy.sqlite3")
    assert list((tmp_path / "out").iterdir()) == []


def test_backup_refuses_what_it_can_not_copy(tmp_path: Path) -> None:
    with pytest.raises(BackupRefused, match="does not exist"):
        backup(tmp_path / "missing.sqlite3", tmp_path / "copy.sqlite3")
    text = tmp_path / "text.sqlite3"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(NotADatabase, match="not a SQLite file"):
        backup(text, tmp_path / "copy.sqlite3")
    with pytest.raises(BackupRefused, match=r"PostgreSQL database: .*pg_dump") as info:
        backup("postgresql://crm:secret@db.example/crm", tmp_path / "copy.sqlite3")
    assert "secret" not in str(info.value)
    assert not (tmp_path / "copy.sqlite3").exists()


# --- restore: refused -------------------------------------------------------------------------------------
def truncated(good: Path, target: Path) -> Path:
    target.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    return target


def random_bytes(_good: Path, target: Path) -> Path:
    target.write_bytes(random.Random(13).randbytes(64 * 1024))
    return target


def random_after_header(_good: Path, target: Path) -> Path:
    target.write_bytes(b"SQLite format 3\x00" + random.Random(14).randbytes(64 * 1024))
    return target


def damaged_rows(good: Path, target: Path) -> Path:
    data = bytearray(good.read_bytes())
    data[-4096 * 8 :] = random.Random(16).randbytes(4096 * 8)  # the last pages: rows, not the schema
    target.write_bytes(bytes(data))
    return target


def scrambled_pages(good: Path, target: Path) -> Path:
    data = bytearray(good.read_bytes())
    noise = random.Random(15).randbytes(4096 * 10)
    data[4096 * 5 : 4096 * 15] = noise  # page 1 intact: it opens, but the tables are garbage
    target.write_bytes(bytes(data))
    return target


def other_program(_good: Path, target: Path) -> Path:
    connection = sqlite3.connect(target)
    connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    connection.execute("INSERT INTO moz_places (url) VALUES ('https://example.com')")
    connection.commit()
    connection.close()
    return target


def newer_schema(good: Path, target: Path) -> Path:
    shutil.copyfile(good, target)
    connection = sqlite3.connect(target)
    connection.execute("UPDATE schema_info SET version = ?", (LATEST_VERSION + 1,))
    connection.commit()
    connection.close()
    return target


def empty_file(_good: Path, target: Path) -> Path:
    target.write_bytes(b"")
    return target


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (truncated, NotADatabase, "damaged"),
        (random_bytes, NotADatabase, "not a SQLite file"),
        (random_after_header, NotADatabase, "damaged or not a wallet-crm backup"),
        (scrambled_pages, NotADatabase, "damaged"),
        (damaged_rows, NotADatabase, "integrity check"),
        (other_program, NotADatabase, "holds no wallet-crm tables"),
        (newer_schema, NewerSchema, f"schema version {LATEST_VERSION + 1}"),
        (empty_file, NotADatabase, "not a SQLite file"),
    ],
    ids=[
        "truncated",
        "random-bytes",
        "random-after-header",
        "scrambled-pages",
        "damaged-rows",
        "other-program",
        "newer",
        "empty",
    ],
)
def test_a_bad_backup_is_refused_and_the_database_keeps_every_byte(
    live: Path, good_backup: Path, tmp_path: Path, make: object, error: type[Exception], words: str
) -> None:
    assert callable(make)
    source = make(good_backup, tmp_path / "bad.sqlite3")
    before = file_state(live.parent)
    with pytest.raises(error) as info:
        restore(source, live, now=NOW)
    message = str(info.value)
    assert words in message and "nothing was changed" in message and "\n" not in message
    assert file_state(live.parent) == before  # no byte changed, no .bak, no temporary file
    assert count(live) == 300


def test_restore_refuses_a_missing_file_the_database_itself_and_postgresql(live: Path, tmp_path: Path) -> None:
    before = file_state(live.parent)
    with pytest.raises(BackupRefused, match="does not exist"):
        restore(tmp_path / "missing.sqlite3", live)
    with pytest.raises(BackupRefused, match="is the database itself"):
        restore(live, live)
    with pytest.raises(BackupRefused, match="pg_dump"):
        restore(live, "postgresql://crm@db.example/crm")
    assert file_state(live.parent) == before


@pytest.mark.parametrize("how", ["write", "read"])
def test_restore_waits_for_another_program_then_says_busy(
    live: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A writer holding the lock (an import) gets the usual busy message; a program that merely has the
    database open (another window) is named as such: replacing the file under it would lose its writes."""
    monkeypatch.setenv("WALLET_CRM_BUSY_TIMEOUT_MS", "300")
    add_customers(live, 4, "later")
    with held(live, how):
        before = file_state(live.parent)
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as info:
            restore(good_backup, live, now=NOW)
        waited = time.monotonic() - started
        assert file_state(live.parent) == before
    expected = "is busy: another program" if how == "write" else "is open in another program"
    assert expected in str(info.value) and "nothing was changed" in str(info.value)
    assert waited >= 0.3
    assert count(live) == 304
    assert not list(live.parent.glob("*.bak"))
    assert restore(good_backup, live, now=NOW).previous is not None  # once it has gone, the restore goes through
    assert count(live) == 300


def test_a_cancelled_restore_changes_nothing(live: Path, good_backup: Path) -> None:
    add_customers(live, 2, "later")
    before = file_state(live.parent)
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done > total * 0.6:  # the backup is read and checked; keeping the current file has begun
            cancel.set()

    with pytest.raises(OperationCancelled):
        restore(good_backup, live, progress=progress, cancel=cancel, now=NOW, pages_per_step=8)
    assert sorted(file_state(live.parent)) == sorted(before)  # no .bak, no temporary file
    assert count(live) == 302
    connection = sqlite3.connect(live)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # as the app keeps it
    connection.close()


# --- restore: done ----------------------------------------------------------------------------------------
def test_a_good_restore_keeps_the_old_file_and_the_backup_is_what_opens_next(live: Path, good_backup: Path) -> None:
    add_customers(live, 9, "after-the-backup")
    subprocess.run([sys.executable, "-c", KILLED_AFTER_WRITING, str(live)], check=True, timeout=30)
    assert Path(f"{live}-wal").stat().st_size > 0  # a program killed after writing left its last rows there
    progress: list[tuple[int, int]] = []

    result = restore(good_backup, live, progress=lambda done, total: progress.append((done, total)), now=NOW)

    assert result.previous == live.with_name("wallet-crm.sqlite3.2026-12-02-1530.bak")
    assert result.schema_version == LATEST_VERSION and result.database == live
    assert count(result.previous) == 310 and integrity(result.previous) == ["ok"]  # the rows of the -wal too
    assert sorted(item.name for item in live.parent.iterdir()) == [
        "wallet-crm.sqlite3",
        "wallet-crm.sqlite3.2026-12-02-1530.bak",
    ]
    assert progress[-1] == (1000, 1000) and progress == sorted(progress)
    db = open_database(live)
    assert db.execute_sql("SELECT COUNT(*) FROM customers").fetchone()[0] == 300
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    close_database()
    again = restore(good_backup, live, now=NOW)  # the same minute: another name, never overwritten
    assert again.previous == live.with_name("wallet-crm.sqlite3.2026-12-02-1530-2.bak")


def test_restore_over_a_damaged_database_keeps_its_bytes(good_backup: Path, tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    path = folder / "wallet-crm.sqlite3"
    damaged = random.Random(3).randbytes(20_000)
    path.write_bytes(damaged)
    result = restore(good_backup, path, now=NOW)
    assert result.previous is not None and result.previous.read_bytes() == damaged
    assert count(path) == 300 and integrity(path) == ["ok"]


def test_restore_into_a_new_place(good_backup: Path, tmp_path: Path) -> None:
    path = tmp_path / "new" / "crm.sqlite3"
    result = restore(good_backup, path)
    assert result.previous is None and count(path) == 300
    assert sorted(item.name for item in path.parent.iterdir()) == ["crm.sqlite3"]


def test_the_journal_of_a_deleted_database_is_not_replayed_onto_the_restored_one(live: Path, good_backup: Path) -> None:
    subprocess.run([sys.executable, "-c", KILLED_AFTER_WRITING, str(live)], check=True, timeout=30)
    live.unlink()  # the file went (deleted by hand, say); its -wal, with a commit in it, stayed
    assert Path(f"{live}-wal").stat().st_size > 0
    restore(good_backup, live)
    open_database(live)
    close_database()
    assert integrity(live) == ["ok"] and count(live) == 300


def test_an_older_backup_is_restored_and_migrated_when_opened(live: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    v1 = SqliteDatabase(str(old))  # a version-1 database, made by the app's own first migration
    with v1.atomic():
        apply_migrations(v1, 0, 1)
    v1.close()
    assert restore(old, live, now=NOW).schema_version == 1
    db = open_database(live)
    assert db.execute_sql("SELECT version FROM schema_info").fetchone()[0] == LATEST_VERSION
    close_database()


# --- daily backups ----------------------------------------------------------------------------------------
def test_the_prune_rule_keeps_seven_days_and_four_weeks() -> None:
    today = dt.date(2026, 12, 2)  # a Wednesday
    days = [today - dt.timedelta(days=n) for n in range(60)]
    kept = sorted(days_to_keep(days), reverse=True)
    assert kept[:7] == days[:7]  # 2 Dec back to 26 Nov
    assert kept[7:] == [dt.date(2026, 11, 22), dt.date(2026, 11, 15), dt.date(2026, 11, 8), dt.date(2026, 11, 1)]
    assert all(day.isoweekday() == 7 for day in kept[7:])  # the Sunday: the newest of its week
    assert len({day.isocalendar()[:2] for day in kept[7:]}) == 4
    sparse = [dt.date(2026, 12, 2), dt.date(2026, 11, 2), dt.date(2026, 10, 2)]
    assert days_to_keep(sparse) == set(sparse)  # fewer than seven: every one is kept
    gaps = [today - dt.timedelta(days=3 * n) for n in range(30)]  # a backup every third day
    kept_gaps = sorted(days_to_keep(gaps), reverse=True)
    assert kept_gaps[:7] == gaps[:7] and len(kept_gaps) == 11
    weeks = [day.isocalendar()[:2] for day in kept_gaps[7:]]
    assert len(set(weeks)) == 4 and not set(weeks) & {day.isocalendar()[:2] for day in kept_gaps[:7]}


def test_auto_backup_makes_one_a_day_and_prunes_to_seven_daily_and_four_weekly(live: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    today = dt.date(2026, 12, 2)
    template = backup(live, tmp_path / "template.sqlite3").path
    for n in range(1, 45):  # 44 earlier days of backups, and files that are not backups of this database
        shutil.copyfile(template, folder / backup_name(live, today - dt.timedelta(days=n)))
    (folder / "wallet-crm-demo-2026-11-01.sqlite3").write_bytes(b"another database's")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    add_customers(live, 3, "today")

    result = auto_backup(live, folder, today)

    assert result.made and result.path == folder / "wallet-crm-2026-12-02.sqlite3"
    assert count(result.path) == 303 and integrity(result.path) == ["ok"]
    kept_days = sorted(daily_backups(folder, "wallet-crm"), reverse=True)
    assert len(kept_days) == 11 and len(result.kept) == 11 and len(result.pruned) == 45 - 11
    assert kept_days[:7] == [today - dt.timedelta(days=n) for n in range(7)]
    assert kept_days[7:] == [dt.date(2026, 11, 22), dt.date(2026, 11, 15), dt.date(2026, 11, 8), dt.date(2026, 11, 1)]
    assert (folder / "notes.txt").exists() and (folder / "wallet-crm-demo-2026-11-01.sqlite3").exists()

    made_at = result.path.stat().st_mtime_ns
    add_customers(live, 1, "later")
    second = auto_backup(live, folder, today)  # a second start the same day
    assert not second.made and second.pruned == ()
    assert result.path.stat().st_mtime_ns == made_at and count(result.path) == 303


def test_auto_backup_of_postgresql_says_use_pg_dump(tmp_path: Path) -> None:
    with pytest.raises(BackupRefused, match="pg_dump"):
        auto_backup("postgresql://crm@db.example/crm", tmp_path / "backups", dt.date(2026, 12, 2))
    assert not (tmp_path / "backups").exists()


def test_the_backup_folder_is_a_preference_defaulting_to_the_data_folder(tmp_path: Path, user_folders: Path) -> None:
    assert backup_folder(Preferences()) == default_backup_dir()
    assert default_backup_dir() == user_folders / "data" / "wallet-crm" / "backups"
    path = tmp_path / "prefs.json"
    save_preferences(Preferences(language="en", backup_folder=str(tmp_path / "elsewhere")), path)
    loaded = load_preferences(path)
    assert loaded.language == "en" and backup_folder(loaded) == tmp_path / "elsewhere"
    path.write_text('{"backup_folder": 7}', encoding="utf-8")
    assert backup_folder(load_preferences(path)) == default_backup_dir()
