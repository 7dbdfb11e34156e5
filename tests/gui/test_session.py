"""The window's session: the one way pages reach the database, one writer, default failure handling, and
what a write changed."""

from __future__ import annotations

import ast
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from peewee import Database
from pytestqt.qtbot import QtBot

from tests.gui.conftest import RecordedDialogs
from wallet_crm.db import open_database
from wallet_crm.errors import KnownError
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.operations import ProgressCallback, TaskRunner
from wallet_crm.ui.session import NoDatabaseOpen, Session, Topic

WAIT_MS = 10_000
UI = Path(__file__).resolve().parents[2] / "wallet_crm" / "ui"


@pytest.fixture
def session(qtbot: QtBot, tmp_path: Path, dialogs: RecordedDialogs) -> Session:
    made = Session(TaskRunner(), CrashHandler(show=dialogs))
    made.set_database(open_database(tmp_path / "session.sqlite3", bind=False))
    return made


def test_a_write_gets_the_database_shown_and_tells_what_it_changed(qtbot: QtBot, session: Session) -> None:
    seen: dict[str, Any] = {}
    changes: list[frozenset[Topic]] = []
    session.changed.connect(changes.append)

    def work(db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> int:
        seen["db"] = db
        db.execute_sql("CREATE TABLE IF NOT EXISTS scratch (n INTEGER)")
        db.execute_sql("INSERT INTO scratch VALUES (7)")
        return int(db.execute_sql("SELECT SUM(n) FROM scratch").fetchone()[0])

    shown = session.db
    session.write("Writing", work, lambda result: seen.setdefault("result", result), changes=(Topic.OUTCOMES,))
    qtbot.waitUntil(lambda: "result" in seen, timeout=WAIT_MS)
    assert seen["db"] is shown and seen["result"] == 7
    assert changes == [frozenset({Topic.OUTCOMES})]


def test_writes_run_one_at_a_time_in_the_order_asked(qtbot: QtBot, session: Session) -> None:
    events: list[str] = []
    lock = threading.Lock()

    def slow(name: str) -> Any:
        def work(_db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> str:
            with lock:
                events.append(f"start {name}")
            time.sleep(0.15)
            with lock:
                events.append(f"end {name}")
            return name

        return work

    done: list[str] = []
    for name in ("a", "b", "c"):
        session.write("Writing", slow(name), done.append)
    qtbot.waitUntil(lambda: len(done) == 3, timeout=WAIT_MS)
    assert events == ["start a", "end a", "start b", "end b", "start c", "end c"]
    assert done == ["a", "b", "c"]


def test_a_read_runs_beside_a_write(qtbot: QtBot, session: Session) -> None:
    release = threading.Event()
    order: list[str] = []

    def blocking_write(_db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> None:
        release.wait(WAIT_MS / 1000)
        order.append("write")

    def read(_db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> None:
        order.append("read")
        release.set()

    finished: list[str] = []
    session.write("Writing", blocking_write, lambda _r: finished.append("write"))
    session.read("Reading", read, lambda _r: finished.append("read"))
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=WAIT_MS)
    assert order == ["read", "write"]  # the read did not wait behind the write


def test_a_known_error_is_said_on_the_page_and_a_bug_goes_to_the_crash_dialog(
    qtbot: QtBot, session: Session, dialogs: RecordedDialogs
) -> None:
    said: list[str] = []
    put_back: list[BaseException] = []
    changes: list[frozenset[Topic]] = []
    session.changed.connect(changes.append)

    def refused(_db: Database, _p: ProgressCallback, _c: threading.Event) -> None:
        raise KnownError("The amount is not a number.")

    def broken(_db: Database, _p: ProgressCallback, _c: threading.Event) -> None:
        raise ZeroDivisionError("division by zero")

    session.write(
        "Saving", refused, lambda _r: None, changes=(Topic.OUTCOMES,), say=said.append, failed=put_back.append
    )
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT_MS)
    assert said == ["The amount is not a number."] and dialogs.shown == []
    assert put_back and isinstance(put_back[0], KnownError)  # the page's own step ran first
    session.write("Saving", broken, lambda _r: None, say=said.append)
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=WAIT_MS)
    [(_title, text, is_bug)] = dialogs.shown
    assert is_bug and "Saving failed because of an unexpected error (ZeroDivisionError)" in text
    assert said == ["The amount is not a number."]  # a bug is not said on the page's line
    assert changes == []  # nothing changed: a failed write tells nobody


def test_a_busy_database_is_a_notice_naming_the_database(
    qtbot: QtBot, session: Session, dialogs: RecordedDialogs, tmp_path: Path
) -> None:
    def busy(_db: Database, _p: ProgressCallback, _c: threading.Event) -> None:
        raise sqlite3.OperationalError("database is locked")

    session.read("Counting", busy, lambda _r: None)
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=WAIT_MS)
    [(title, text, is_bug)] = dialogs.shown
    assert not is_bug and title == "Counting"
    assert "session.sqlite3" in text and "busy" in text


def test_a_page_that_deals_with_its_failure_gets_no_second_message(
    qtbot: QtBot, session: Session, dialogs: RecordedDialogs
) -> None:
    handled: list[BaseException] = []

    def broken(_db: Database, _p: ProgressCallback, _c: threading.Event) -> None:
        raise RuntimeError("stale answer")

    def failed(error: BaseException) -> bool:
        handled.append(error)
        return True  # e.g. the answer of a query a newer one replaced

    session.read("Loading", broken, lambda _r: None, failed=failed)
    qtbot.waitUntil(lambda: bool(handled), timeout=WAIT_MS)
    assert session.wait(WAIT_MS)
    qtbot.wait(50)  # any message would have been delivered by now
    assert dialogs.shown == []


def test_work_keeps_the_database_it_was_asked_on_after_a_switch(qtbot: QtBot, session: Session, tmp_path: Path) -> None:
    first = session.db
    gate = threading.Event()
    seen: list[Database] = []

    def work(db: Database, _p: ProgressCallback, _c: threading.Event) -> None:
        gate.wait(WAIT_MS / 1000)
        seen.append(db)

    session.write("Writing", work, lambda _r: None)
    session.set_database(open_database(tmp_path / "other.sqlite3", bind=False))
    gate.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen == [first] and session.db is not first


def test_work_asked_with_no_database_open_fails_like_any_work(qtbot: QtBot, dialogs: RecordedDialogs) -> None:
    """No database (a reopen that failed): the page's `failed` runs and puts it back, the notice says why."""
    empty = Session(TaskRunner(), CrashHandler(show=dialogs))
    put_back: list[BaseException] = []
    said: list[str] = []
    empty.write("Saving", lambda db, _p, _c: None, lambda _r: None, failed=put_back.append, say=said.append)
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT_MS)
    assert isinstance(put_back[0], NoDatabaseOpen) and isinstance(put_back[0], KnownError)
    assert said == ["No database is open."] and dialogs.shown == []
    with pytest.raises(NoDatabaseOpen):
        empty.db  # noqa: B018 (the property raises)


def test_no_window_code_finds_a_database_but_through_its_session() -> None:
    """The pages, panels and dialogs reach the database only through their session: none imports the
    global database (`current_database`, `close_database`, the models' proxy)."""
    forbidden = {"current_database", "close_database", "database_proxy"}
    found: list[str] = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = {alias.name for alias in node.names}
                found += [f"{path.relative_to(UI)}: {name}" for name in sorted(names & forbidden)]
            elif isinstance(node, ast.Attribute) and node.attr in forbidden:
                found.append(f"{path.relative_to(UI)}: .{node.attr}")
    assert len(list(UI.rglob("*.py"))) > 20  # the scan saw the window's code
    assert found == []
