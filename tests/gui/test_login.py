"""Log-in and roles in the window: the log-in dialog, what each role sees, the agent working as themselves,
the idle lock, signing out, and the Users settings (the first admin on an empty database)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import AS_OF
from tests.gui.conftest import LOAD_TIMEOUT_MS, RecordedDialogs
from wallet_crm.accounts.users import add_user, authenticate, list_users, users_exist
from wallet_crm.db import close_database, current_database, open_database
from wallet_crm.exports.record import list_exports
from wallet_crm.preferences import Preferences
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.export_dialog import ExportChoice
from wallet_crm.ui.i18n import install_language
from wallet_crm.ui.login_dialog import LoginDialog
from wallet_crm.ui.main_window import NAV_KEYS, MainWindow
from wallet_crm.ui.operations import TaskRunner
from wallet_crm.ui.pages.users_settings import UserDialog
from wallet_crm.ui.session import Session

PASSWORD = "correct horse"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(scope="session")
def users_template(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo database with an admin, a supervisor and an agent (the demo's 小李), made once a run:
    each password hash takes a moment."""
    path = tmp_path_factory.mktemp("users") / "team.sqlite3"
    path.write_bytes(demo_template.read_bytes())
    db = open_database(path, bind=False)
    admin = add_user(db, "老张", "admin", PASSWORD, AS_OF, by=None)
    add_user(db, "王主管", "supervisor", PASSWORD, AS_OF, by=admin)
    add_user(db, "小李", "agent", PASSWORD, AS_OF, by=admin)
    db.close()
    return path


@pytest.fixture
def users_path(users_template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "team.sqlite3"
    copy.write_bytes(users_template.read_bytes())
    return copy


@pytest.fixture
def window(qtbot: QtBot, english: None, users_path: Path, dialogs: RecordedDialogs) -> Iterator[MainWindow]:
    """The window over the team database, started as the app starts it: the log-in is on screen."""
    main = MainWindow(str(users_path), Preferences(), CrashHandler(show=dialogs), open_database(users_path))
    main.queue.clock = lambda: AS_OF
    qtbot.addWidget(main)
    main.start()
    yield main
    main.close()
    close_database()


def login(qtbot: QtBot, dialog: LoginDialog, name: str, password: str) -> None:
    """Type the name, Enter, the password, Enter, as at the keyboard, and wait for the answer. (A Chinese name
    comes in whole, as an input method commits it: QTest types Latin-1 only.)"""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)  # the keyboard reaches the active window only
    dialog.name_edit.setFocus()
    dialog.name_edit.clear()
    dialog.name_edit.insert(name)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, password)
    with qtbot.waitSignal(dialog.checked, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def sign_in(qtbot: QtBot, window: MainWindow, name: str) -> None:
    dialog = window.login_dialog
    assert dialog is not None and dialog.isVisible()
    login(qtbot, dialog, name, PASSWORD)
    qtbot.waitUntil(window.isVisible, timeout=LOAD_TIMEOUT_MS)
    assert window.user is not None and window.user.name == name


def nav_enabled(window: MainWindow) -> dict[str, bool]:
    return {key: bool(window.nav.item(row).flags() & Qt.ItemFlag.ItemIsEnabled) for row, key in enumerate(NAV_KEYS)}


def shown(widget: QWidget, window: MainWindow) -> bool:
    """Whether a part of Settings shows when the page does."""
    return widget.isVisibleTo(window.settings)


def test_a_database_without_users_opens_without_a_log_in(
    qtbot: QtBot, english: None, db_path: Path, dialogs: RecordedDialogs
) -> None:
    window = MainWindow(str(db_path), Preferences(), CrashHandler(show=dialogs), open_database(db_path))
    qtbot.addWidget(window)
    ready: list[bool] = []
    window.start(None, lambda: ready.append(True))
    try:
        assert ready == [True] and window.isVisible()
        assert window.login_dialog is None and window.user is None
        assert window.current_page_key() == "welcome"
        assert all(nav_enabled(window).values()) and window.backup_action.isEnabled()
        assert not window.sign_out_action.isEnabled() and not window.user_label.isVisible()
        assert not window.idle.running  # nobody to lock for
        users = window.settings.users
        assert shown(users, window) and shown(users.first_admin_button, window)
        assert not shown(users.add_button, window)
    finally:
        window.close()
        close_database()


def test_the_log_in_refuses_a_wrong_password_and_accepts_the_right_one(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.login_dialog
    assert dialog is not None and dialog.isVisible() and not window.isVisible()
    assert [dialog.name.itemText(i) for i in range(dialog.name.count())] == ["小李", "王主管", "老张"]
    assert "team.sqlite3" in dialog.intro.text()
    login(qtbot, dialog, "老张", "correct horse!")
    assert dialog.error.text() == "Wrong user name or password."
    assert dialog.isVisible() and not window.isVisible() and window.user is None
    assert dialog.password.text() == "" and QApplication.focusWidget() is dialog.password
    login(qtbot, dialog, "nobody", PASSWORD)  # a wrong name gets the same line
    assert dialog.error.text() == "Wrong user name or password."
    login(qtbot, dialog, "老张", PASSWORD)
    qtbot.waitUntil(window.isVisible, timeout=LOAD_TIMEOUT_MS)
    assert window.user is not None and (window.user.name, window.user.role) == ("老张", "admin")
    assert window.login_dialog is None and window.user_label.text() == "Signed in: 老张 (admin)"


def test_the_log_in_speaks_chinese(qtbot: QtBot, qapp: QApplication, users_path: Path) -> None:
    assert install_language(qapp, "zh_CN"), "run `make translations` to build the .qm"
    db = open_database(users_path, bind=False)
    try:
        session = Session(TaskRunner(), CrashHandler(show=RecordedDialogs()))
        dialog = LoginDialog(None, db, "team.sqlite3", ["老张"], session)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.windowTitle() == "登录 — wallet-crm" and dialog.cancel_button.text() == "退出"
        login(qtbot, dialog, "老张", "wrong password")
        assert dialog.error.text() == "用户名或密码错误。"
    finally:
        install_language(qapp, "en")
        db.close()


def test_esc_at_the_log_in_ends_the_app_before_anything_shows(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.login_dialog
    assert dialog is not None
    with qtbot.waitSignal(window.signInCancelled, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Escape)
    assert not window.isVisible() and window.user is None and window.status is None  # no page ever loaded


def test_an_agent_works_the_queue_as_themselves_and_sees_no_import_feedback_or_admin_settings(
    qtbot: QtBot, window: MainWindow, dialogs: RecordedDialogs
) -> None:
    sign_in(qtbot, window, "小李")
    page = window.queue
    assert window.current_page_key() == "queue"  # an agent's work
    assert nav_enabled(window) == {
        "import": False,
        "queue": True,
        "customers": True,
        "transactions": True,
        "feedback": False,
        "settings": True,
    }
    assert window.nav.item(NAV_KEYS.index("import")).toolTip() == "Needs the supervisor role (Ctrl+1)"
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)  # the shortcut to Import
    assert window.current_page_key() == "queue"
    assert window.statusBar().currentMessage() == (
        "Importing transactions needs the supervisor role; 小李 is signed in as agent."
    )
    # The agent is fixed to them; rebuilding, assigning and exports are a supervisor's.
    qtbot.waitUntil(lambda: page.current_agent() is not None, timeout=LOAD_TIMEOUT_MS)
    assert page.agent.currentText() == "小李" and not page.agent.isEnabled()
    assert "Signed in as 小李" in page.agent.toolTip()
    for control in (page.build_button, page.assign_button, page.spread_button, page.export_button):
        assert not control.isEnabled() and control.toolTip() == "Needs the supervisor role"
    assert not page.add_agent_button.isEnabled() and page.add_agent_button.toolTip() == "Needs the admin role"
    assert not window.transactions.export_button.isEnabled()
    assert not window.backup_action.isEnabled() and not window.restore_action.isEnabled()
    page.rebuild()  # asked for anyway: refused with the service's sentence, not the crash dialog
    assert page.next_message.text() == "Rebuilding the queue needs the supervisor role; 小李 is signed in as agent."
    assert dialogs.shown == []
    # The next customer is held for 小李.
    with qtbot.waitSignal(page.nextDone, timeout=LOAD_TIMEOUT_MS):
        page.take_next()
    assert page.panel.detail is not None and page.panel.agent_id == window.user.id  # type: ignore[union-attr]
    # Settings: the language, not what an admin changes.
    window.show_page("settings")
    settings = window.settings
    for panel in (settings.followup, settings.imports, settings.users, settings.backups, settings.team):
        assert not shown(panel, window)
    assert shown(settings.role_note, window) and "Signed in as 小李 (agent)" in settings.role_note.text()
    assert shown(settings.language, window)


def test_a_supervisor_sees_import_and_may_work_for_others_but_not_the_users_settings(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, "王主管")
    assert nav_enabled(window) == dict.fromkeys(NAV_KEYS, True)
    window.show_page("import")
    assert window.current_page_key() == "import"
    page = window.queue
    window.show_page("queue")
    qtbot.waitUntil(lambda: page.current_agent() is not None, timeout=LOAD_TIMEOUT_MS)
    assert page.agent.currentText() == "王主管" and page.agent.isEnabled()  # may work on behalf of others
    assert page.build_button.isEnabled() and page.assign_button.isEnabled() and page.export_button.isEnabled()
    assert not page.add_agent_button.isEnabled()
    assert not window.backup_action.isEnabled()
    window.show_page("settings")
    assert not shown(window.settings.users, window) and not shown(window.settings.followup, window)


def test_an_export_in_the_window_is_recorded_as_the_signed_in_users(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    sign_in(qtbot, window, "王主管")
    assert window.session.user is not None and window.session.user.name == "王主管"
    page = window.queue
    window.show_page("queue")
    qtbot.waitUntil(lambda: page.current_agent() is not None, timeout=LOAD_TIMEOUT_MS)
    page.ask_export = lambda *_args: ExportChoice(tmp_path / "queue.xlsx", full_phone=False)
    with qtbot.waitSignal(page.exported, timeout=LOAD_TIMEOUT_MS):
        page.export_button.click()
    assert [entry.exported_by for entry in list_exports(window.session.db)] == ["王主管"]


def test_the_admin_sees_everything_and_adds_a_user(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "老张")
    assert nav_enabled(window) == dict.fromkeys(NAV_KEYS, True)
    assert window.backup_action.isEnabled() and window.sign_out_action.isEnabled()
    window.show_page("settings")
    settings = window.settings
    for panel in (settings.followup, settings.imports, settings.users, settings.backups, settings.team):
        assert shown(panel, window)
    assert not shown(settings.role_note, window)
    panel = settings.users
    assert [panel.model.cell(row, 0) for row in panel.model.items] == ["小李", "王主管", "老张"]
    assert shown(panel.add_button, window) and not shown(panel.first_admin_button, window)

    with qtbot.waitSignal(panel.dialogOpened) as opened:
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, UserDialog)
    dialog.name.insert("小赵")
    dialog.role.setCurrentIndex(dialog.role.findData("supervisor"))
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.again, "short")
    dialog.ok_button.click()
    assert dialog.error.text() == "A password needs at least 8 characters." and dialog.isVisible()
    dialog.password.setText("another secret")
    dialog.again.setText("another secret")
    dialog.name.setText("老张")  # taken: the service's refusal shows in the dialog, which keeps what was typed
    with qtbot.waitSignal(dialog.answered, timeout=LOAD_TIMEOUT_MS):
        dialog.ok_button.click()
    assert dialog.error.text() == "There is already a user named 老张." and dialog.isVisible()
    assert dialog.password.text() == "another secret"
    dialog.name.setText("小赵")
    with qtbot.waitSignal(dialog.answered, timeout=LOAD_TIMEOUT_MS):
        dialog.ok_button.click()
    assert panel.message.text() == "Added 小赵 (supervisor)."
    assert [(row.name, row.role) for row in list_users(current_database())] == [
        ("小李", "agent"),
        ("小赵", "supervisor"),
        ("王主管", "supervisor"),
        ("老张", "admin"),
    ]
    assert "小赵" in [window.queue.agent.itemText(i) for i in range(window.queue.agent.count())]

    # Change role: 小李 becomes a supervisor.
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.dialogOpened) as opened:
        qtbot.mouseClick(panel.role_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    dialog.role.setCurrentIndex(dialog.role.findData("supervisor"))
    with qtbot.waitSignal(dialog.answered, timeout=LOAD_TIMEOUT_MS):
        dialog.ok_button.click()
    assert panel.model.cell(panel.model.items[0], 1) == "supervisor"
    assert panel.message.text() == "小李 is now supervisor."


def test_the_idle_lock_keeps_what_was_typed_and_opens_only_with_the_right_password(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, "小李")
    page = window.queue
    qtbot.waitUntil(lambda: page.current_agent() is not None, timeout=LOAD_TIMEOUT_MS)
    with qtbot.waitSignal(page.nextDone, timeout=LOAD_TIMEOUT_MS):
        page.take_next()
    panel = page.panel
    assert panel.detail is not None
    task_id = panel.detail.task_id
    panel.disposition.setCurrentIndex(1)
    panel.notes.setFocus()
    panel.notes.insertPlainText("客户说下周再打")  # an outcome half filled
    window.idle.set_timeout_ms(150)
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    dialog = window.login_dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.ApplicationModal
    assert window.root.currentWidget() is window.cover and not panel.notes.isVisible()  # nothing on show
    assert dialog.name.currentText() == "小李" and not dialog.name.isEnabled()
    qtbot.keyClick(dialog.password, Qt.Key.Key_Escape)  # the lock can't be dismissed
    assert dialog.isVisible() and window.locked

    qtbot.keyClicks(dialog.password, "not it at all")
    with qtbot.waitSignal(dialog.checked, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.error.text() == "Wrong user name or password." and window.locked
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.checked, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=LOAD_TIMEOUT_MS)
    assert window.root.currentWidget() is window.content and panel.notes.isVisible()
    assert panel.notes.toPlainText() == "客户说下周再打" and panel.disposition.currentIndex() == 1
    assert panel.detail is not None and panel.detail.task_id == task_id
    assert window.idle.timer.isActive()  # counting again


def test_sign_out_covers_the_window_and_the_next_user_gets_their_own_role(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "老张")
    window.sign_out_action.trigger()
    assert window.signed_out and window.root.currentWidget() is window.cover
    dialog = window.login_dialog
    assert dialog is not None and dialog.isVisible()
    login(qtbot, dialog, "小李", PASSWORD)
    qtbot.waitUntil(lambda: not window.signed_out, timeout=LOAD_TIMEOUT_MS)
    assert window.user is not None and window.user.name == "小李"
    assert window.root.currentWidget() is window.content
    assert not nav_enabled(window)["import"] and not window.backup_action.isEnabled()


def test_opening_a_database_with_users_asks_again_and_cancel_keeps_the_one_shown(
    qtbot: QtBot, empty_window: MainWindow, db_path: Path, users_path: Path
) -> None:
    empty_window.switch_database(str(users_path))
    dialog = empty_window.login_dialog
    assert dialog is not None and dialog.cancel_button.text() == "Cancel"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert empty_window.db_target == str(db_path) and empty_window.user is None
    assert empty_window.login_dialog is None

    empty_window.switch_database(str(users_path))
    dialog = empty_window.login_dialog
    assert dialog is not None
    login(qtbot, dialog, "王主管", PASSWORD)
    qtbot.waitUntil(lambda: empty_window.db_target == str(users_path), timeout=LOAD_TIMEOUT_MS)
    assert empty_window.user is not None and empty_window.user.role == "supervisor"
    assert nav_enabled(empty_window)["import"]  # a supervisor imports


def test_the_first_admin_is_created_from_the_users_settings_of_an_empty_database(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    empty_window.show_page("settings")
    panel = empty_window.settings.users
    assert "Nobody signs in yet" in panel.intro.text()
    with qtbot.waitSignal(panel.dialogOpened) as opened:
        qtbot.mouseClick(panel.first_admin_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, UserDialog) and dialog.windowTitle() == "Create the first admin"
    dialog.name.insert("老张")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.again, PASSWORD + "!")
    dialog.ok_button.click()
    assert dialog.error.text() == "The two passwords differ." and not users_exist(current_database())
    dialog.again.setText(PASSWORD)
    with qtbot.waitSignal(dialog.answered, timeout=LOAD_TIMEOUT_MS):
        dialog.ok_button.click()
    db = current_database()
    assert users_exist(db) and authenticate(db, "老张", PASSWORD).role == "admin"
    user = empty_window.user
    assert user is not None and (user.name, user.role) == ("老张", "admin")  # signed in from now on
    assert empty_window.sign_out_action.isEnabled() and empty_window.idle.running
    assert shown(panel.add_button, empty_window) and not shown(panel.first_admin_button, empty_window)
    assert [row.name for row in panel.model.items] == ["老张"]
