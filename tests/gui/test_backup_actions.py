"""File → Back up now… and Restore from backup…, and the daily backup at start, on a real main window."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from tests.gui.conftest import RecordedDialogs, make_window
from tests.sqlite_files import count
from wallet_crm.db import close_database, current_database
from wallet_crm.db.backup import backup
from wallet_crm.paths import default_backup_dir
from wallet_crm.ui import backup_actions
from wallet_crm.ui.i18n import install_language
from wallet_crm.ui.main_window import MainWindow

WAIT_MS = 20_000


def file_state(database: Path) -> dict[str, str]:
    """The database and every file beside it named after it (-wal, .bak...), with the sha256 of its bytes."""
    return {
        item.name: "shared memory" if item.name.endswith("-shm") else hashlib.sha256(item.read_bytes()).hexdigest()
        for item in sorted(database.parent.glob(f"{database.name}*"))
    }


def idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=WAIT_MS)


class Answers:
    """Stands in for the file dialogs, the confirmation and the closing notice of the backup actions."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, chosen: Path | None, confirm: bool = True) -> None:
        self.suggested: list[Path] = []
        self.asked: list[tuple[Path, Path]] = []
        self.told: list[tuple[str, str]] = []

        def pick(_parent: object, suggested: Path) -> Path | None:
            self.suggested.append(suggested)
            return chosen

        def confirm_restore(_parent: object, source: Path, database: Path) -> bool:
            self.asked.append((source, database))
            return confirm

        monkeypatch.setattr(backup_actions, "pick_backup_file", pick)
        monkeypatch.setattr(backup_actions, "pick_restore_file", pick)
        monkeypatch.setattr(backup_actions, "confirm_restore", confirm_restore)
        monkeypatch.setattr(backup_actions, "tell", lambda _parent, title, text: self.told.append((title, text)))


@pytest.fixture
def window(qtbot: QtBot, english: None, demo_path: Path, dialogs: RecordedDialogs) -> Iterator[MainWindow]:
    shown = make_window(qtbot, demo_path, dialogs)
    idle(qtbot, shown)
    yield shown
    shown.close()
    close_database()


def test_the_file_menu_offers_backup_and_restore(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    texts = [action.text() for action in file_menu.actions()]
    assert "&Back up now…" in texts and "&Restore from backup…" in texts
    assert texts.index("&Back up now…") < texts.index("&Quit")


def test_back_up_now_writes_the_chosen_file(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialogs: RecordedDialogs
) -> None:
    target = tmp_path / "saved" / "by-hand.sqlite3"
    answers = Answers(monkeypatch, target)
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: "Backup saved" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert window.statusBar().currentMessage() == f"Backup saved: {target}"
    assert count(target) == 300 and count(target, "transactions") == 3000
    assert answers.suggested[0].parent == default_backup_dir()
    assert answers.suggested[0].name.startswith("demo-") and answers.suggested[0].suffix == ".sqlite3"
    assert dialogs.shown == []


def test_restore_asks_then_shows_the_restored_database(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = backup(demo_path, tmp_path / "saved.sqlite3").path
    now = dt.datetime(2026, 12, 1, 9, 0)
    current_database().execute_sql(
        "INSERT INTO customers (id_kind, external_id, created_at, updated_at) VALUES ('customer_id', 'new', ?, ?)",
        (now, now),
    )
    window.refresh_status()
    qtbot.waitUntil(lambda: window.status is not None and window.status.customers == 301, timeout=WAIT_MS)
    idle(qtbot, window)
    answers = Answers(monkeypatch, saved)

    window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(answers.told), timeout=WAIT_MS)

    assert answers.asked == [(saved, demo_path)]
    assert window.status is not None and window.status.customers == 300  # reopened: the backup's rows
    assert current_database().execute_sql("SELECT COUNT(*) FROM customers").fetchone()[0] == 300
    (bak,) = demo_path.parent.glob("demo.sqlite3.*.bak")
    assert count(bak) == 301
    title, text = answers.told[0]
    assert title == "Restore" and text == f"Restored from {saved}.\nThe previous database is kept as {bak}."


def test_a_declined_restore_changes_nothing(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = backup(demo_path, tmp_path / "saved.sqlite3").path
    close_database()  # so that the file's bytes can be compared: the window's connection has nothing pending
    before = file_state(demo_path)
    answers = Answers(monkeypatch, saved, confirm=False)
    window.restore_action.trigger()
    assert answers.asked == [(saved, demo_path)] and answers.told == []
    assert not window.runner.busy()
    assert file_state(demo_path) == before


def test_a_bad_backup_is_refused_and_the_window_goes_on_with_its_database(
    qtbot: QtBot,
    window: MainWindow,
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: RecordedDialogs,
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(demo_path.read_bytes()[:40_000])
    Answers(monkeypatch, bad)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=WAIT_MS)
    title, text, is_bug = dialogs.shown[0]
    assert title == "Restore" and not is_bug
    assert text.startswith(f"{bad} is damaged") and text.endswith("nothing was changed.")
    assert not list(demo_path.parent.glob("*.bak"))
    idle(qtbot, window)
    assert current_database().execute_sql("SELECT COUNT(*) FROM customers").fetchone()[0] == 300


def test_the_daily_backup_runs_at_start_but_not_for_demo_data(
    qtbot: QtBot, english: None, db_path: Path, window: MainWindow, dialogs: RecordedDialogs
) -> None:
    assert window.status is not None and window.status.is_demo
    window.start_daily_backup()
    assert not window.runner.busy() and not default_backup_dir().exists()  # demo data: no daily copies

    window.close()
    close_database()
    own = make_window(qtbot, db_path, dialogs)
    idle(qtbot, own)
    own.start_daily_backup()
    expected = default_backup_dir() / f"crm-{dt.date.today():%Y-%m-%d}.sqlite3"
    qtbot.waitUntil(lambda: "Daily backup saved" in own.statusBar().currentMessage(), timeout=WAIT_MS)
    assert own.statusBar().currentMessage() == f"Daily backup saved: {expected}"
    assert count(expected) == 0 and dialogs.shown == []
    own.close()


def test_the_menu_speaks_chinese(qtbot: QtBot, qapp: QApplication, demo_path: Path, dialogs: RecordedDialogs) -> None:
    assert install_language(qapp, "zh_CN"), "run `make translations` to build the .qm"
    try:
        window = make_window(qtbot, demo_path, dialogs)
        assert window.backup_action.text() == "立即备份(&B)…"
        assert window.restore_action.text() == "从备份恢复(&R)…"
        assert window.settings.backups.title() == "备份"
        window.close()
    finally:
        install_language(qapp, "en")
        close_database()
