"""Nothing an export writes outlives it: killed (cleaned at the next start), out of disk space, or not recorded."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database

from wallet_crm.db import close_database, open_database
from wallet_crm.db.browse import TransactionQuery
from wallet_crm.errors import KnownError
from wallet_crm.exports import clean_export_leftovers
from wallet_crm.exports.service import run_export
from wallet_crm.exports.workbook import ExportCancelled, ExportDiskFull, TableWorkbook
from wallet_crm.paths import export_work_dir

# Exports the demo transactions (3,000 rows) and stops after the first 1,000 until told to go on.
PAUSED_EXPORT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from wallet_crm.db import open_database
    from wallet_crm.db.browse import TransactionQuery
    from wallet_crm.exports.service import run_export

    db = open_database(sys.argv[1], bind=False)
    def progress(done, total):
        if done < total:
            print(done, flush=True)
            sys.stdin.readline()
    print(run_export(db, "transactions", Path(sys.argv[2]), TransactionQuery(), progress=progress).rows, flush=True)
    """
)

# The same export, with no room left for any file to grow once the rows are written: the workbook's
# close (XlsxWriter zipping the sheets) fails, as on a full disk.
NO_ROOM_AT_CLOSE = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from wallet_crm.db import open_database
    from wallet_crm.db.browse import TransactionQuery
    from wallet_crm.errors import KnownError
    from wallet_crm.exports.service import run_export

    db = open_database(sys.argv[1], bind=False)
    def progress(done, total):
        if done == total:
            resource.setrlimit(resource.RLIMIT_FSIZE, (1, resource.RLIM_INFINITY))
    try:
        run_export(db, "transactions", Path(sys.argv[2]), TransactionQuery(), progress=progress)
    except KnownError as error:
        print(type(error).__name__, error, flush=True)
    """
)


def leftovers() -> list[str]:
    """Everything in the folder of exports in progress."""
    root = export_work_dir()
    return sorted(str(path.relative_to(root)) for path in root.rglob("*")) if root.exists() else []


def exports_recorded(db_path: Path) -> int:
    db = open_database(db_path, bind=False)
    try:
        return int(db.execute_sql("SELECT COUNT(*) FROM export_log").fetchone()[0])
    finally:
        db.close()


@pytest.fixture
def paused_export(demo_path: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A child process a third of the way through exporting to out/t.xlsx, waiting on its stdin."""
    target = tmp_path / "out" / "t.xlsx"
    command = [sys.executable, "-c", PAUSED_EXPORT, str(demo_path), str(target)]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "1000"
        yield child, target
        if child.poll() is None:
            child.kill()
        child.wait(timeout=60)


def test_an_export_killed_mid_write_leaves_files_the_next_start_removes(
    paused_export: tuple[subprocess.Popen[str], Path],
) -> None:
    child, target = paused_export
    (partial,) = target.parent.iterdir()  # the half-written workbook, beside the target
    assert partial.name.startswith(".t.xlsx.") and partial.name.endswith(".partial")
    (folder,) = export_work_dir().iterdir()
    assert folder.name.startswith(f"{child.pid}-")
    temporary = [path for path in folder.iterdir() if path.name not in ("export.json", "export.lock")]
    assert temporary and sum(path.stat().st_size for path in temporary) > 0  # XlsxWriter's rows so far

    assert clean_export_leftovers() == 0  # it is still running: left alone
    assert partial.exists() and folder.exists()

    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert partial.exists() and folder.exists()  # a killed process cleans up nothing

    assert clean_export_leftovers() == 1
    assert list(target.parent.iterdir()) == []
    assert leftovers() == []


def test_an_export_left_alone_by_a_cleanup_finishes_and_leaves_only_its_file(
    paused_export: tuple[subprocess.Popen[str], Path], demo_path: Path
) -> None:
    child, target = paused_export
    assert clean_export_leftovers() == 0
    out, _err = child.communicate("\n\n\n", timeout=60)
    assert child.returncode == 0 and out.split()[-1] == "3000"
    assert [path.name for path in target.parent.iterdir()] == ["t.xlsx"]
    assert leftovers() == []
    assert exports_recorded(demo_path) == 1


def test_the_next_export_and_the_next_app_start_clean_up_after_a_killed_export(
    paused_export: tuple[subprocess.Popen[str], Path], demo_path: Path, tmp_path: Path
) -> None:
    child, target = paused_export
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert leftovers() != []

    command = [sys.executable, "-m", "wallet_crm", "--db", str(demo_path)]
    exported = subprocess.run(
        [*command, "export", "report", "-o", str(tmp_path / "r.xlsx")], capture_output=True, text=True, timeout=120
    )
    assert exported.returncode == 0, exported.stderr
    assert list(target.parent.iterdir()) == [] and leftovers() == []

    again = [sys.executable, "-c", PAUSED_EXPORT, str(demo_path), str(target)]
    with subprocess.Popen(again, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as second:
        assert second.stdout is not None and second.stdout.readline().strip() == "1000"
        second.kill()
    assert leftovers() != []
    started = subprocess.run([*command, "--quit-after", "100"], capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    assert list(target.parent.iterdir()) == [] and leftovers() == []


def test_a_cleanup_leaves_this_process_s_own_export_alone(demo_db: Database, tmp_path: Path) -> None:
    book = TableWorkbook(tmp_path / "mine.xlsx")
    assert clean_export_leftovers() == 0
    assert book.partial.exists() and len(leftovers()) == 3  # its folder, its record and its lock
    book.discard()
    assert list(tmp_path.glob("*mine*")) == [] and leftovers() == []


def test_a_cancelled_export_leaves_no_temporary_files(demo_db: Database, tmp_path: Path) -> None:
    cancel = threading.Event()
    with pytest.raises(ExportCancelled):
        run_export(
            demo_db,
            "transactions",
            tmp_path / "out" / "c.xlsx",
            TransactionQuery(),
            progress=lambda *_: cancel.set(),
            cancel=cancel,
        )
    assert list((tmp_path / "out").iterdir()) == [] and leftovers() == []


def _limit_file_size(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))


def test_an_export_with_no_room_to_write_gives_one_clear_error_and_leaves_nothing(
    demo_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "t.xlsx"
    # No file may grow past 200 kB: the rows (about 1 MB of sheet XML) can't be written.
    command = [sys.executable, "-m", "wallet_crm", "--lang", "en", "--db", str(demo_path)]
    result = subprocess.run(
        [*command, "export", "transactions", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: _limit_file_size(200_000),
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"wallet-crm: error: Can't write {target}: the disk is full (or the file is larger than it allows). "
        "Nothing was saved; free some space and export again."
    ]
    assert list(target.parent.iterdir()) == [] and leftovers() == []
    assert exports_recorded(demo_path) == 0


def test_no_room_while_the_workbook_is_zipped_leaves_no_partial_file(demo_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "t.xlsx"
    result = subprocess.run(
        [sys.executable, "-c", NO_ROOM_AT_CLOSE, str(demo_path), str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stderr == ""  # nor a word from the zip writer left behind
    assert result.stdout.startswith(f"{ExportDiskFull.__name__} Can't write {target}: the disk is full")
    assert list(target.parent.iterdir()) == [] and leftovers() == []
    assert exports_recorded(demo_path) == 0


def test_an_export_that_can_not_be_recorded_leaves_no_file(demo_path: Path, tmp_path: Path) -> None:
    db = open_database(demo_path)
    try:
        db.execute_sql("PRAGMA query_only = 1")  # the database takes no writes: the record fails
        with pytest.raises(Exception, match="readonly"):
            run_export(db, "transactions", tmp_path / "t.xlsx", TransactionQuery(), full_phone=True)
        db.execute_sql("PRAGMA query_only = 0")
    finally:
        close_database()
    assert list(tmp_path.glob("*t.xlsx*")) == [] and leftovers() == []
    assert exports_recorded(demo_path) == 0


def test_an_export_that_can_not_take_its_name_withdraws_its_record(demo_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    (target / "inside").mkdir(parents=True)  # a folder of that name is in the way of the rename
    db = open_database(demo_path)
    try:
        with pytest.raises(KnownError, match=f"Can't write {target}"):
            run_export(db, "transactions", target, TransactionQuery(), full_phone=True)
    finally:
        close_database()
    assert sorted(path.name for path in tmp_path.glob("*t.xlsx*")) == ["t.xlsx"] and target.is_dir()
    assert leftovers() == []
    assert exports_recorded(demo_path) == 0


def test_what_a_dead_process_left_while_starting_is_removed_and_a_live_one_s_is_not(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    root = export_work_dir()
    for owner in (int(dead.stdout), os.getpid()):  # killed between making its folder and taking its lock
        (root / f"{owner}-0000").mkdir(parents=True)
        (root / f"{owner}-0000" / "tmpabc123").write_text("<row/>")
    assert clean_export_leftovers() == 1
    assert leftovers() == [f"{os.getpid()}-0000", f"{os.getpid()}-0000/tmpabc123"]
