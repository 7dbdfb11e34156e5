"""Back up the SQLite database, restore a backup over it, and keep automatic daily copies.

`backup` copies with SQLite's online backup API from a connection that holds one read transaction: the
copy is one committed state even while another process writes (in WAL mode a reader never blocks a
writer, and a pinned snapshot never makes the copy start over). It goes to a hidden temporary name
beside the target, is checked with `PRAGMA integrity_check` and only then takes the target's name.

`restore` first copies the source the same way to a temporary name beside the database and checks that
copy: a SQLite file, integrity ok, wallet-crm's tables, a schema version this app knows. Only then does it
touch the current database: the write lock (busy: `DatabaseBusy`), no other connection (switching the
file out of WAL folds the -wal into it and removes -wal and -shm, which SQLite allows only to the last
connection), a copy of it kept as `NAME.YYYY-MM-DD-HHMM.bak`, and `os.replace` of the checked copy under
an exclusive lock. A refused or failed restore leaves the database as it was.

A PostgreSQL database is backed up with the server's own tools (pg_dump); both functions say so.
Progress goes out as `(done, total)`: pages for `backup`, thousandths for `restore`; a set `cancel` event
stops either before anything is replaced (`OperationCancelled`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from wallet_crm.db.checkpoint import wait_for_checkpoints
from wallet_crm.db.connection import SQLITE_HEADER, busy_timeout_ms, tables_and_version
from wallet_crm.db.errors import DatabaseBusy, NewerSchema, NotADatabase, classify_database_error, is_busy
from wallet_crm.db.migrations import LATEST_VERSION, read_version
from wallet_crm.db.target import describe_target, is_postgres_url
from wallet_crm.errors import DatabaseError, KnownError, OperationCancelled
from wallet_crm.paths import check_local_path

log = logging.getLogger(__name__)
ProgressCallback = Callable[[int, int], None]

PAGES_PER_STEP = 1024  # 4 MB a step with SQLite's default 4 KiB pages: progress and Cancel stay responsive
DAILY_KEPT = 7
WEEKLY_KEPT = 4
SIDECARS = ("-wal", "-shm", "-journal")
STALE_PART_SECONDS = 24 * 3600  # a temporary file this old in the backup folder was left by a killed backup
DATA_VERSION_TRIES = 3
RESTORE_SCALE = 1000  # restore reports thousandths: half for reading the backup, half for keeping the old file


class BackupRefused(KnownError):
    """A backup or restore that can't be done as asked (PostgreSQL, missing file, a target that isn't ours)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int  # bytes
    pages: int
    schema_version: int


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    source: Path
    previous: Path | None  # the database as it was, kept beside it (None: there was none)
    schema_version: int


@dataclass(frozen=True)
class AutoBackupResult:
    path: Path  # today's backup
    made: bool  # False: it was already there
    pruned: tuple[Path, ...]
    kept: tuple[Path, ...]


def sqlite_file(db_target: str | Path) -> Path:
    """The SQLite file behind `db_target`; a PostgreSQL URL is refused with what to use instead."""
    text = str(db_target)
    if is_postgres_url(text):
        raise BackupRefused(code="backup.postgres", database=describe_target(text))
    return Path(text).expanduser()


# --- backup ------------------------------------------------------------------------------------------------
def backup(
    db_target: str | Path,
    target: str | Path,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    pages_per_step: int = PAGES_PER_STEP,
) -> BackupResult:
    """Copy the database at `db_target` to `target` (replaced when it is an older backup)."""
    path = sqlite_file(db_target)
    target = Path(target).expanduser()
    if not path.is_file():
        raise BackupRefused(code="backup.nothing", path=str(path))
    _require_sqlite_header(path, code="backup.database_not_sqlite", path=str(path))
    if target.is_dir():
        raise BackupRefused(code="backup.target_folder", target=str(target), example=str(target / backup_name(path)))
    own_files = [path.resolve(), *(Path(f"{path.resolve()}{suffix}") for suffix in SIDECARS)]
    if target.resolve() in own_files or (target.exists() and _same_file(target, path)):
        raise BackupRefused(code="backup.target_is_database", target=str(target))
    if target.exists() and not _has_sqlite_header(target):
        raise BackupRefused(code="backup.target_not_backup", target=str(target))
    _make_folder(target.parent)
    part = _part_name(target)
    try:
        with closing(_connect_read_only(path)) as source:
            try:
                pages, version = _snapshot_copy(source, part, progress, cancel, pages_per_step)
            except sqlite3.Error as exc:
                raise _known(exc, path, target) from exc
        _check_integrity(part, code="backup.database_damaged", path=str(path))
        _finish_file(part, target)
    except OSError as exc:
        _remove_with_sidecars(part)
        raise BackupRefused(code="backup.cant_write", target=str(target), reason=exc.strerror or str(exc)) from exc
    except BaseException:
        _remove_with_sidecars(part)
        raise
    size = target.stat().st_size
    log.info("backed up the database (%d pages, schema v%d) to %s", pages, version, target.name)
    return BackupResult(path=target, size=size, pages=pages, schema_version=version)


def backup_name(db_path: Path, day: dt.date | None = None, at: dt.datetime | None = None) -> str:
    """`wallet-crm-2026-12-02.sqlite3` (a daily backup) or `wallet-crm-2026-12-02-1530.sqlite3` (one made by hand)."""
    if at is not None:
        return f"{db_path.stem}-{at:%Y-%m-%d-%H%M}.sqlite3"
    return f"{db_path.stem}-{(day or dt.date.today()):%Y-%m-%d}.sqlite3"


# --- restore -----------------------------------------------------------------------------------------------
def restore(
    source: str | Path,
    db_target: str | Path,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    now: dt.datetime | None = None,
    pages_per_step: int = PAGES_PER_STEP,
) -> RestoreResult:
    """Put the backup `source` in place of the database at `db_target`, keeping the current file as a .bak."""
    path = sqlite_file(db_target)
    source = Path(source).expanduser()
    if not source.is_file():
        raise BackupRefused(code="backup.no_source", source=str(source))
    if path.exists() and _same_file(source, path):
        raise BackupRefused(code="backup.source_is_database", source=str(source))
    _require_sqlite_header(source, code="backup.source_not_sqlite", source=str(source))
    check_local_path(path)
    _make_folder(path.parent)
    part = _part_name(path)
    try:
        try:
            with closing(_connect_read_only(source)) as reader:
                _snapshot_copy(reader, part, _scaled(progress, 0, RESTORE_SCALE // 2), cancel, pages_per_step)
        except sqlite3.Error as exc:
            known = _known(exc, source, path)
            if isinstance(known, NotADatabase):
                raise NotADatabase(code="backup.not_a_backup", source=str(source), detail=str(exc)) from exc
            raise known from exc
        version = _check_restorable(part, source)
        _check_cancel(cancel)
        previous = _put_in_place(part, path, now or dt.datetime.now(), progress, cancel, pages_per_step)
    except OSError as exc:
        raise BackupRefused(code="backup.cant_restore", path=str(path), reason=exc.strerror or str(exc)) from exc
    finally:
        _remove_with_sidecars(part)
    if progress is not None:
        progress(RESTORE_SCALE, RESTORE_SCALE)
    log.info("restored a schema v%d backup over the database; the old one is kept as %s", version, previous)
    return RestoreResult(database=path, source=source, previous=previous, schema_version=version)


def _check_restorable(part: Path, source: Path) -> int:
    """The schema version of the copy of `source`, after checking it is whole and is ours."""
    _check_integrity(part, code="backup.source_damaged", source=str(source))
    copy = SqliteDatabase(str(part))
    try:
        version = read_version(copy)
        tables = set(copy.get_tables())
    except sqlite3.Error as exc:
        raise NotADatabase(code="backup.not_a_backup", source=str(source), detail=str(exc)) from exc
    finally:
        copy.close()
    if version < 1 or not {"customers", "transactions"} <= tables:
        raise NotADatabase(code="backup.no_tables", source=str(source))
    if version > LATEST_VERSION:
        raise NewerSchema(code="backup.newer_schema", source=str(source), found=version, known=LATEST_VERSION)
    return version


def _put_in_place(
    part: Path,
    path: Path,
    now: dt.datetime,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    pages_per_step: int,
) -> Path | None:
    """Replace `path` by the checked copy `part`; the old file is kept as a dated .bak (its name returned)."""
    wait_for_checkpoints()  # this process's background checkpoint must not hold the file being replaced
    _sync(part)
    if not path.exists():
        for suffix in SIDECARS:  # journals of a file that is gone: never replayed onto the copy
            with suppress(FileNotFoundError):
                os.remove(f"{path}{suffix}")
        os.replace(part, path)
        _sync_folder(path.parent)
        return None
    bak = _bak_name(path, now)
    connection = sqlite3.connect(path, timeout=busy_timeout_ms() / 1000, isolation_level=None)
    try:
        try:
            connection.execute("BEGIN IMMEDIATE")  # waits for a writer as long as any write would
            connection.execute("ROLLBACK")
        except sqlite3.DatabaseError as exc:
            known = classify_database_error(exc, str(path))
            if not isinstance(known, NotADatabase):
                raise (known or DatabaseError(code="db.cant_use", database=str(path), detail=str(exc))) from exc
            connection.close()  # the current file is damaged itself: no one can be using it
            _keep_damaged(path, bak)
            os.replace(part, path)
            return bak
        _leave_wal(connection, path)
        replaced = False
        try:
            _keep_locked_copy(connection, path, bak, progress, cancel, pages_per_step)
            for suffix in SIDECARS:  # none is left after leaving WAL under the lock; never replay one onto the copy
                with suppress(FileNotFoundError):
                    os.remove(f"{path}{suffix}")
            try:
                os.replace(part, path)  # under the exclusive lock: no one reads or writes in between
            except PermissionError:  # Windows: a file open here can't be replaced; let go of it first
                connection.execute("ROLLBACK")
                connection.close()
                os.replace(part, path)
            replaced = True
        finally:
            if not replaced:
                _back_to_wal(connection)
    except sqlite3.Error as exc:
        known = classify_database_error(exc, str(path))
        raise (known or DatabaseError(code="db.cant_use", database=str(path), detail=str(exc))) from exc
    finally:
        connection.close()
    _sync_folder(path.parent)
    return bak


def _leave_wal(connection: sqlite3.Connection, path: Path) -> None:
    """Fold the -wal into the file and remove -wal and -shm; SQLite does this only for the last connection,
    so another program that has the database open (another window, an import) makes it fail."""
    deadline = time.monotonic() + busy_timeout_ms() / 1000
    while True:
        try:
            mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            mode = None
        if mode == "delete":
            return
        if time.monotonic() >= deadline:
            raise DatabaseBusy(code="backup.database_in_use", path=str(path))
        time.sleep(0.1)


def _back_to_wal(connection: sqlite3.Connection) -> None:
    """Leave the database in WAL mode, as the app keeps it (after a refused or failed restore)."""
    with suppress(sqlite3.Error):
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        connection.execute("PRAGMA journal_mode=WAL")


def _keep_locked_copy(
    connection: sqlite3.Connection,
    path: Path,
    bak: Path,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    pages_per_step: int,
) -> None:
    """Copy the current database to `bak`, then hold the exclusive lock, with nothing written in between.

    The backup API can't read through a connection that holds the write lock, so the copy is made under a
    read transaction and `PRAGMA data_version` tells whether another connection wrote before the lock."""
    bak_part = _part_name(bak)
    try:
        for _ in range(DATA_VERSION_TRIES):
            connection.execute("BEGIN")
            seen = connection.execute("PRAGMA data_version").fetchone()[0]
            _snapshot_copy(
                connection, bak_part, _scaled(progress, RESTORE_SCALE // 2, RESTORE_SCALE), cancel, pages_per_step
            )
            connection.execute("COMMIT")
            connection.execute("BEGIN EXCLUSIVE")
            if connection.execute("PRAGMA data_version").fetchone()[0] == seen:
                _finish_file(bak_part, bak)
                return
            connection.execute("ROLLBACK")
        raise DatabaseBusy(code="backup.kept_changing", path=str(path))
    finally:
        _remove_with_sidecars(bak_part)


def _keep_damaged(path: Path, bak: Path) -> None:
    """A current file SQLite can't read is kept byte for byte, and its journals are set aside with it."""
    bak_part = _part_name(bak)
    try:
        with path.open("rb") as source, bak_part.open("wb") as copy:
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        _finish_file(bak_part, bak)
    finally:
        _remove_with_sidecars(bak_part)
    for suffix in SIDECARS:
        with suppress(FileNotFoundError):
            os.replace(f"{path}{suffix}", f"{bak}{suffix}")


def _bak_name(path: Path, now: dt.datetime) -> Path:
    """`wallet-crm.sqlite3.2026-12-02-1530.bak` beside the database (`-2`, `-3`... when taken)."""
    stamp = f"{now:%Y-%m-%d-%H%M}"
    candidate = path.with_name(f"{path.name}.{stamp}.bak")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{stamp}-{number}.bak")
        number += 1
    return candidate


# --- automatic daily backups --------------------------------------------------------------------------------
def auto_backup(
    db_target: str | Path,
    folder: str | Path,
    today: dt.date,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> AutoBackupResult:
    """Today's backup of the database in `folder` (made unless it is there), then the old ones pruned."""
    path = sqlite_file(db_target)
    folder = Path(folder).expanduser()
    target = folder / backup_name(path, today)
    made = not target.exists()
    if made:
        backup(path, target, progress, cancel)
    _remove_stale_parts(folder, path.stem)
    pruned, kept = prune_backups(folder, path.stem)
    return AutoBackupResult(path=target, made=made, pruned=pruned, kept=kept)


def daily_backups(folder: Path, stem: str) -> dict[dt.date, Path]:
    """The daily backups of the database named `stem` in `folder`, by day."""
    pattern = re.compile(rf"{re.escape(stem)}-(\d{{4}}-\d{{2}}-\d{{2}})\.sqlite3")
    found: dict[dt.date, Path] = {}
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = pattern.fullmatch(entry.name)
        if match and entry.is_file():
            with suppress(ValueError):
                found[dt.date.fromisoformat(match.group(1))] = entry
    return found


def days_to_keep(days: Iterable[dt.date], daily: int = DAILY_KEPT, weekly: int = WEEKLY_KEPT) -> set[dt.date]:
    """The `daily` newest days, and besides them the newest day of each of the `weekly` most recent ISO
    weeks that have none of those daily ones."""
    newest_first = sorted(set(days), reverse=True)
    keep = set(newest_first[:daily])
    daily_weeks = {day.isocalendar()[:2] for day in keep}
    weeks: set[tuple[int, int]] = set()
    for day in newest_first[daily:]:
        week = day.isocalendar()[:2]
        if week in daily_weeks or week in weeks:
            continue  # not the newest of its week
        if len(weeks) == weekly:
            break
        weeks.add(week)
        keep.add(day)
    return keep


def prune_backups(folder: Path, stem: str) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Remove the daily backups `days_to_keep` does not keep; (removed, kept), newest first."""
    found = daily_backups(folder, stem)
    keep = days_to_keep(found)
    removed: list[Path] = []
    for day in sorted(found, reverse=True):
        if day not in keep:
            try:
                found[day].unlink()
                removed.append(found[day])
            except FileNotFoundError:  # another window pruned it first
                pass
            except OSError as exc:
                log.warning("could not remove the old backup %s: %s", found[day].name, exc.strerror)
    kept = tuple(found[day] for day in sorted(keep, reverse=True))
    if removed:
        log.info("removed %d old backups, kept %d", len(removed), len(kept))
    return tuple(removed), kept


def _remove_stale_parts(folder: Path, stem: str) -> None:
    cutoff = time.time() - STALE_PART_SECONDS
    for entry in folder.glob(f".{stem}-*.part"):
        with suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()


# --- shared steps --------------------------------------------------------------------------------------------
def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms() / 1000, isolation_level=None
    )


def _snapshot_copy(
    source: sqlite3.Connection,
    part: Path,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    pages_per_step: int,
) -> tuple[int, int]:
    """Copy what `source` sees to the new file `part`, in steps, all from one read transaction (one
    committed state, however long it takes); (pages, schema version). The copy is left a single file."""
    _check_cancel(cancel)
    began = not source.in_transaction
    if began:
        source.execute("BEGIN")
    try:
        _tables, version = tables_and_version(source)

        def step(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)
            _check_cancel(cancel)  # raising here makes SQLite abandon the copy

        with closing(sqlite3.connect(part, isolation_level=None)) as copy:
            source.backup(copy, pages=max(1, pages_per_step), progress=step)
            copy.execute("PRAGMA journal_mode=DELETE")  # the source's WAL flag came along; one self-contained file
            pages = int(copy.execute("PRAGMA page_count").fetchone()[0])
    finally:
        if began and source.in_transaction:
            source.execute("COMMIT")
    return pages, version


def _check_integrity(part: Path, /, *, code: str, **names: str) -> None:
    """Refuse a copy SQLite finds damaged: `code` says so (naming the file by `names`), the check's first
    complaint is its detail."""
    try:
        with closing(sqlite3.connect(part)) as copy:
            rows = [str(row[0]) for row in copy.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows != ["ok"]:
        first = rows[0] if rows else "no answer"
        raise NotADatabase(code=code, detail=first[:120], **names)


def _finish_file(part: Path, target: Path) -> None:
    """Make the finished temporary file `target`, on disk before its name is."""
    _sync(part)
    os.replace(part, target)
    _sync_folder(target.parent)


def _sync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _part_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")


def _remove_with_sidecars(part: Path) -> None:
    for name in (str(part), *(f"{part}{suffix}" for suffix in SIDECARS)):
        with suppress(FileNotFoundError):
            os.remove(name)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupRefused(code="backup.cant_make_folder", folder=str(folder), reason=exc.strerror) from exc


def _has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _require_sqlite_header(file: Path, /, *, code: str, **names: str) -> None:
    if not _has_sqlite_header(file):
        raise NotADatabase(code=code, **names)


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise OperationCancelled(code="cancelled.backup")


def _scaled(progress: ProgressCallback | None, start: int, end: int) -> ProgressCallback | None:
    """`progress` for one part of a longer job, reported as thousandths of the whole."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        share = done / total if total else 1.0
        progress(start + int((end - start) * share), RESTORE_SCALE)

    return report


def _known(error: sqlite3.Error, source: Path, target: Path) -> DatabaseError:
    """A failure while copying, naming the file it concerns: a full disk or a read-only folder is the target's."""
    known = classify_database_error(error, str(source))
    if known is not None and known.code in ("disk_full", "read_only"):
        known = classify_database_error(error, str(target))
    return known or DatabaseError(code="backup.cant_copy", source=str(source), detail=str(error))
