"""A big file read and checked in a child process gives what reading it in this process gives, and fails the same.

The thresholds are lowered (and the chunks made small) so small files go through the child, started before
the header is found unless a test says otherwise: each test checks a child really ran (or, started early
for the run in this process, was ended unused), and that none is left afterwards.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.import_files import numbered_rows, row, snapshot, write_csv, write_xlsx
from wallet_crm.db import open_database
from wallet_crm.errors import OperationCancelled, UnreadableFileError
from wallet_crm.imports import ImportOptions, ImportResult, UnknownWordsError, import_file, pipeline, service
from wallet_crm.imports.pipeline import ReaderStopped

AS_OF = dt.datetime(2026, 11, 20, 10, 0, 0)
OPTIONS = ImportOptions(as_of=AS_OF, imported_by="tester")
ROWS = 3_000
MANY_ROWS = 8_000  # 16 chunks: the child can't have sent them all when the test stops it after the first
CHILD = pipeline.CHILD_NAME
Progress = Callable[[int, int], None]


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of a few thousand rows go through the child, started early, in chunks of 500 (six or more a file)."""
    monkeypatch.setattr(pipeline, "CHILD_ABOVE_ROWS", 1_000)
    monkeypatch.setattr(pipeline, "EARLY_ABOVE_BYTES", 0)
    monkeypatch.setattr(service, "CHUNK_ROWS", 500)


def _import(
    db_path: Path, source: Path, child: bool, options: ImportOptions = OPTIONS, progress: Progress | None = None
) -> tuple[ImportResult, list[str]]:
    """Import `source` into the database at `db_path`, through the child or not; the result and the names
    of the child processes seen while the rows came in."""
    seen: list[str] = []

    def report(done: int, total: int) -> None:
        seen.extend(process.name for process in multiprocessing.active_children())
        if progress is not None:
            progress(done, total)

    previous = pipeline.CHILD_ABOVE_ROWS
    pipeline.CHILD_ABOVE_ROWS = previous if child else 10**9
    db = open_database(db_path, bind=False)
    try:
        return import_file(db, source, options, progress=report), seen
    finally:
        pipeline.CHILD_ABOVE_ROWS = previous
        db.close()


def _mixed_rows(count: int) -> list[tuple[object, ...]]:
    """Good rows spread over 40 customers, with rejected rows, warnings and an unknown status word among them."""
    rows = []
    for number, good in enumerate(numbered_rows(count), start=1):
        cells = list(good)
        cells[2], cells[4] = f"C{number % 40:03d}", f"1381234{number % 40:04d}"
        if number % 97 == 0:
            cells[6] = "twelve"  # rejected: not an amount
        elif number % 131 == 0:
            cells[4] = "12345"  # a warning: a phone nobody can call
        elif number % 251 == 0:
            cells[7] = "挂起"  # an unknown status word
        elif number % 113 == 0:
            cells[0] = "T00005"  # a duplicate within the file
        rows.append(tuple(cells))
    return rows


@pytest.mark.parametrize(("kind", "early"), [("csv", True), ("xlsx", False)], ids=["csv-early", "xlsx-late"])
def test_the_child_imports_exactly_what_this_process_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, early: bool
) -> None:
    if not early:  # the child started once the file is known to have the rows
        monkeypatch.setattr(pipeline, "EARLY_ABOVE_BYTES", 10**12)
    rows = numbered_rows(ROWS)
    rows[10:20] = [row(f"T{n:05d}", customer=f"C9{n:03d}", phone=f"1391234{n:04d}") for n in range(11, 21)]
    source = tmp_path / f"export.{kind}"
    if kind == "csv":
        write_csv(source, rows, "utf-8-sig")
    else:
        write_xlsx(source, rows)
    earlier = write_csv(tmp_path / "earlier.csv", numbered_rows(30, start=2_990), "utf-8")
    results = {}
    for child in (True, False):
        db_path = tmp_path / f"child-{child}.sqlite3"
        _import(db_path, earlier, child=False)  # some of the customers and rows are there already
        results[child] = (*_import(db_path, source, child), snapshot(db_path))

    (by_child, seen, child_tables), (here, not_seen, tables) = results[True], results[False]
    assert CHILD in seen and CHILD not in not_seen  # an early child for the run here was ended before the rows
    assert by_child == here
    # T02990..T03000 came in earlier; C9011..C9020 are new, C000..C004 known
    assert (here.rows_read, here.inserted, here.duplicates, here.customers_created) == (ROWS, ROWS - 11, 11, 10)
    assert child_tables == tables
    assert multiprocessing.active_children() == []


def test_rejected_rows_warnings_and_unknown_words_are_the_same_through_the_child(tmp_path: Path) -> None:
    rows = _mixed_rows(ROWS)
    rows[0] = row("T00001", when="03/04/2026 10:00")  # a date either way round: a warning says which was taken
    source = write_csv(tmp_path / "mixed.csv", rows, "gb18030")
    dry = ImportOptions(as_of=AS_OF, dry_run=True)
    by_child, seen = _import(tmp_path / "child.sqlite3", source, child=True, options=dry)
    here, _ = _import(tmp_path / "here.sqlite3", source, child=False, options=dry)

    assert CHILD in seen
    assert by_child == here
    assert (here.rejected, here.held, here.duplicates) == (30, 11, 26)
    assert here.warnings[0].code == "date_order_assumed" and len(here.warnings) == 1 + 22
    assert dict(here.unknown_words) == {"status": {"挂起": 11}}
    assert here.unknown_examples["status"]["挂起"] == (252, 503, 754)
    refusals = []
    for child in (True, False):
        db_path = tmp_path / f"real-{child}.sqlite3"
        with pytest.raises(UnknownWordsError) as refused:
            _import(db_path, source, child)
        refusals.append((str(refused.value), refused.value.words, refused.value.examples, snapshot(db_path)))
    assert refusals[0] == refusals[1]
    assert "挂起" in refusals[0][0] and refusals[0][3][1] == ()  # no transactions written


def test_an_unreadable_file_fails_the_same_through_the_child(tmp_path: Path) -> None:
    rows = numbered_rows(ROWS)
    rows[2_500] = row("T02501", remark="x" * 200_000)  # past the csv module's field limit, far below the header
    source = write_csv(tmp_path / "damaged.csv", rows, "utf-8")
    errors = []
    for child in (True, False):
        db_path = tmp_path / f"child-{child}.sqlite3"
        open_database(db_path, bind=False).close()
        before = snapshot(db_path)
        with pytest.raises(UnreadableFileError) as failed:
            _import(db_path, source, child)
        errors.append((type(failed.value), str(failed.value)))
        assert snapshot(db_path) == before
    assert errors[0] == errors[1]
    assert errors[0][1].startswith("damaged.csv, line 2502: not valid CSV")
    assert multiprocessing.active_children() == []


def test_a_file_refused_before_its_rows_ends_the_child_started_early(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "notes.csv", [("just", "some", "notes")] * ROWS, "utf-8", header=("a", "b", "c"))
    with pytest.raises(UnreadableFileError, match=r"No header row found in notes\.csv"):
        _import(tmp_path / "crm.sqlite3", source, child=True)
    assert multiprocessing.active_children() == []


def test_an_error_travels_back_as_its_own_class_or_as_a_bug_with_the_child_traceback() -> None:
    def raised(error: Exception) -> Exception:
        try:
            raise error
        except Exception as exc:
            return pipeline._rebuilt_error(("error", *pipeline._describe(exc)))

    known = raised(UnreadableFileError("bill.xlsx is damaged and can't be read."))
    assert type(known) is UnreadableFileError and str(known) == "bill.xlsx is damaged and can't be read."
    bug = raised(KeyError("amount"))  # KeyError's message can't make a KeyError again: a bug, named
    assert type(bug) is RuntimeError and str(bug) == "KeyError: 'amount'"
    assert "in raised" in str(bug.__cause__) and "KeyError: 'amount'" in str(bug.__cause__)


def test_cancel_through_the_child_writes_nothing_and_ends_the_child(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "export.csv", numbered_rows(MANY_ROWS), "utf-8")
    db_path = tmp_path / "crm.sqlite3"
    open_database(db_path, bind=False).close()
    before = snapshot(db_path)
    cancel = threading.Event()
    options = ImportOptions(as_of=AS_OF)
    db = open_database(db_path, bind=False)
    alive: list[str] = []

    def progress(done: int, total: int) -> None:
        alive.extend(process.name for process in multiprocessing.active_children())
        cancel.set()  # after the first chunk is written

    started = time.monotonic()
    try:
        with pytest.raises(OperationCancelled, match="cancelled; nothing was written"):
            import_file(db, source, options, progress, cancel)
    finally:
        db.close()
    assert time.monotonic() - started < pipeline.JOIN_SECONDS  # the child was ended, not waited for
    assert alive == [CHILD]
    assert multiprocessing.active_children() == []
    assert snapshot(db_path) == before


def test_a_child_killed_mid_import_stops_it_with_nothing_written(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "export.csv", numbered_rows(MANY_ROWS), "utf-8")
    db_path = tmp_path / "crm.sqlite3"
    open_database(db_path, bind=False).close()
    before = snapshot(db_path)
    killed: list[int | None] = []

    def kill_the_child(done: int, total: int) -> None:
        for process in multiprocessing.active_children()[: 1 - len(killed)]:  # once: it may not be reaped yet
            killed.append(process.pid)
            process.kill()

    started = time.monotonic()
    with pytest.raises(ReaderStopped, match="stopped: the process reading the file ended unexpectedly") as stopped:
        _import(db_path, source, child=True, progress=kill_the_child)
    assert len(killed) == 1 and f"exit code {-signal.SIGKILL}" in str(stopped.value)
    assert "nothing was written" in str(stopped.value)
    assert time.monotonic() - started < pipeline.JOIN_SECONDS  # noticed at once, not after a timeout
    assert multiprocessing.active_children() == []
    assert snapshot(db_path) == before


KILLED_PARENT = textwrap.dedent(
    """
    import multiprocessing, sys
    from pathlib import Path
    from wallet_crm.db import open_database
    from wallet_crm.imports import import_file, pipeline, service

    pipeline.CHILD_ABOVE_ROWS, service.CHUNK_ROWS = 1_000, 500
    def report(done, total):
        print(*(process.pid for process in multiprocessing.active_children()), flush=True)
        sys.stdin.readline()  # wait here until the test has killed this process
    import_file(open_database(sys.argv[1]), Path(sys.argv[2]), progress=report)
    """
)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the child's state in /proc")
def test_the_child_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "export.csv", numbered_rows(MANY_ROWS), "utf-8")
    command = [sys.executable, "-c", KILLED_PARENT, str(tmp_path / "crm.sqlite3"), str(source)]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert _running(child)
        parent.kill()
        parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


def _running(pid: int) -> bool:
    """Whether `pid` is a process that still runs (a zombie waiting for its reaper has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except FileNotFoundError:
        return False
    state = next((line.split()[1] for line in status.splitlines() if line.startswith("State:")), "")
    return state != "Z"
