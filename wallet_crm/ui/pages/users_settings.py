"""Settings → Users and log-in (an admin's): who signs in and with which role, new users, another role,
a new password; and on a database without users, the first admin, which turns log-in on.

Also the idle lock: minutes without input before the window locks (a preference of this PC).
The panel calls the accounts services through the session (a password hash takes a moment); a refusal
(a name taken, a short password, the last admin) is shown in the dialog, which keeps what was typed.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import Database
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wallet_crm.accounts.passwords import MIN_PASSWORD_LENGTH
from wallet_crm.accounts.roles import ROLES
from wallet_crm.accounts.users import (
    User,
    UserRow,
    add_user,
    list_users,
    role_label,
    set_password,
    set_role,
)
from wallet_crm.preferences import MAX_IDLE_LOCK_MINUTES, Preferences, save_preferences
from wallet_crm.ui.access import refused
from wallet_crm.ui.list_model import ListTableModel
from wallet_crm.ui.operations import ProgressCallback
from wallet_crm.ui.session import Session, Topic

ADD, FIRST_ADMIN, ROLE, PASSWORD = "add", "first_admin", "role", "password"


@dataclass(frozen=True)
class UserForm:
    name: str
    role: str
    password: str


class UserDialog(QDialog):
    """Add a user (or the first admin), give one another role, or a new password; `submit(form)` runs on a
    worker and the dialog closes when it succeeds, else says why and keeps what was typed."""

    answered = Signal()  # the submit has its answer (accepted or refused): for tests

    def __init__(
        self,
        parent: QWidget,
        mode: str,
        session: Session,
        language: str,
        submit: Callable[[Database, UserForm], object],
        name: str = "",
        role: str = "agent",
    ) -> None:
        super().__init__(parent)
        self.mode = mode
        self.session = session
        self.language = language
        self.submit = submit
        self.result_value: object = None
        self._working = False
        titles = {
            ADD: self.tr("Add user"),
            FIRST_ADMIN: self.tr("Create the first admin"),
            ROLE: self.tr("Change role"),
            PASSWORD: self.tr("Reset password"),
        }
        self.setWindowTitle(titles[mode])
        self.setMinimumWidth(440)
        form = QFormLayout()
        self.name = QLineEdit(name)
        self.name.setMaxLength(100)
        self.role = QComboBox()
        for code in ROLES:
            self.role.addItem(role_label(code, language), code)
        self.role.setCurrentIndex(max(0, self.role.findData(role)))
        self.password = QLineEdit()
        self.again = QLineEdit()
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("at least %1 characters").replace("%1", str(MIN_PASSWORD_LENGTH)))
        if mode in (ADD, FIRST_ADMIN):
            form.addRow(self.tr("&Name"), self.name)
        else:
            shown = QLabel(name)
            shown.setObjectName("sectionTitle")
            form.addRow(self.tr("User"), shown)
        if mode in (ADD, ROLE):
            form.addRow(self.tr("&Role"), self.role)
        elif mode == FIRST_ADMIN:
            form.addRow(self.tr("Role"), QLabel(role_label("admin", language)))
        if mode != ROLE:
            form.addRow(self.tr("&Password"), self.password)
            form.addRow(self.tr("Password &again"), self.again)
        note = QLabel()
        note.setObjectName("hint")
        note.setWordWrap(True)
        if mode == FIRST_ADMIN:
            note.setText(
                self.tr(
                    "Once there is an admin, everybody signs in with a name and password and sees what their role "
                    "may use. The admin adds the others here."
                )
            )
        elif mode == ADD:
            note.setText(
                self.tr(
                    "Agent: the queue and the call panel, customers and transactions. Supervisor: also import, "
                    "undo, feedback, exports, assigning and rebuilding the queue. Admin: also settings, users "
                    "and backups."
                )
            )
        note.setVisible(bool(note.text()))
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(
            {
                ADD: self.tr("Add"),
                FIRST_ADMIN: self.tr("Create"),
                ROLE: self.tr("Change"),
                PASSWORD: self.tr("Set password"),
            }[mode]
        )
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.name if mode in (ADD, FIRST_ADMIN) else self.role if mode == ROLE else self.password).setFocus()

    def form(self) -> UserForm:
        return UserForm(" ".join(self.name.text().split()), str(self.role.currentData()), self.password.text())

    def problem(self) -> str | None:
        """What is wrong with the form before it goes to the service (which checks again)."""
        form = self.form()
        if self.mode in (ADD, FIRST_ADMIN) and not form.name:
            return self.tr("Type the user's name.")
        if self.mode != ROLE:
            if len(form.password) < MIN_PASSWORD_LENGTH:
                return self.tr("A password needs at least %1 characters.").replace("%1", str(MIN_PASSWORD_LENGTH))
            if form.password != self.again.text():
                return self.tr("The two passwords differ.")
        return None

    def run(self) -> None:
        if self._working:
            return
        problem = self.problem()
        if problem is not None:
            self.error.setText(problem)
            self.answered.emit()
            return
        form = self.form()
        self._set_working(True)

        def work(db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> object:
            return self.submit(db, form)

        def done(result: Any) -> None:
            self._set_working(False)
            self.result_value = result
            self.answered.emit()
            self.accept()

        def failed(error: BaseException) -> bool:
            self._set_working(False)
            self.session.report(error, self.windowTitle(), self.error.setText)  # a bug: the crash dialog
            self.answered.emit()
            return True

        # Users are the agents who call: the queue's list of them changes too (not with a new password).
        changes = () if self.mode == PASSWORD else (Topic.AGENTS,)
        self.session.write(self.windowTitle(), work, done, changes=changes, failed=failed)

    def _set_working(self, working: bool) -> None:
        self._working = working
        self.ok_button.setEnabled(not working)
        self.error.setText(self.tr("Saving…") if working else "")


class UsersPanel(QGroupBox):
    signedIn = Signal(object)  # User: the first admin was created, or the signed-in user's role changed
    idleMinutesChanged = Signal(int)
    dialogOpened = Signal(object)  # UserDialog: for tests

    def __init__(
        self,
        preferences: Preferences,
        session: Session,
        language: str,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__()
        self.preferences = preferences
        self.session = session
        self.language = language
        self.clock = clock
        self.user: User | None = None
        self.users: list[UserRow] = []
        self.dialog: UserDialog | None = None
        self.setTitle(self.tr("Users and log-in"))

        self.intro = QLabel()
        self.intro.setObjectName("hint")
        self.intro.setWordWrap(True)
        self.model: ListTableModel[UserRow] = ListTableModel(
            [self.tr("Name"), self.tr("Role"), self.tr("Status")], self._cell, self
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the names get the room
        header.setStretchLastSection(False)
        self.table.setMaximumWidth(520)  # three short columns: not across a wide window
        header.setMinimumSectionSize(72)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        self.table.doubleClicked.connect(lambda _index: self.change_role())

        self.first_admin_button = QPushButton(self.tr("Create the first admin…"))
        self.first_admin_button.clicked.connect(self.create_first_admin)
        self.add_button = QPushButton(self.tr("Add user…"))
        self.add_button.clicked.connect(self.add)
        self.role_button = QPushButton(self.tr("Change role…"))
        self.role_button.clicked.connect(self.change_role)
        self.password_button = QPushButton(self.tr("Reset password…"))
        self.password_button.clicked.connect(self.reset_password)
        buttons = QHBoxLayout()
        for button in (self.first_admin_button, self.add_button, self.role_button, self.password_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()

        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(0, MAX_IDLE_LOCK_MINUTES)
        self.idle_minutes.setSpecialValueText(self.tr("Never"))
        self.idle_minutes.setSuffix(self.tr(" min"))
        self.idle_minutes.setMinimumWidth(110)
        self.idle_minutes.setValue(preferences.idle_lock_minutes)
        self.idle_minutes.setAccessibleName(self.tr("Lock after idle minutes"))
        self.idle_minutes.valueChanged.connect(self._idle_chosen)
        idle_hint = QLabel(
            self.tr(
                "While users sign in, the window locks after this many minutes without keyboard or mouse "
                "input and asks for the password again (0: never). A setting of this PC."
            )
        )
        idle_hint.setObjectName("hint")
        idle_hint.setWordWrap(True)
        idle_row = QHBoxLayout()
        idle_label = QLabel(self.tr("&Lock after"))
        idle_label.setBuddy(self.idle_minutes)
        idle_row.addWidget(idle_label)
        idle_row.addWidget(self.idle_minutes)
        idle_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addLayout(idle_row)
        layout.addWidget(idle_hint)
        self._show()

    # --- showing ---------------------------------------------------------------------------------
    def _cell(self, row: UserRow, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return role_label(row.role, self.language)
        return self.tr("active") if row.active else self.tr("inactive")

    def set_user(self, user: User | None) -> None:
        self.user = user
        self._show()

    def load(self) -> None:
        """The users of the database shown now."""
        self.users = list_users(self.session.db)
        self._say("")
        self._show()

    def _say(self, text: str) -> None:
        """What an action answered, on a line that shows only when there is something to say."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def has_users(self) -> bool:
        return any(row.active for row in self.users)

    def _show(self) -> None:
        chosen = self.selected()
        self.model.set_items(self.users)
        if chosen is not None:
            for row, user in enumerate(self.users):
                if user.name == chosen.name:
                    self.table.selectRow(row)
        has_users = self.has_users()
        if not has_users:
            self.intro.setText(
                self.tr(
                    "Nobody signs in yet: the app opens without a password and everybody may do everything. "
                    "Create the first admin to turn log-in on."
                )
            )
        elif self.user is None:
            self.intro.setText(self.tr("This database has users: sign in as an admin to manage them."))
        else:
            self.intro.setText(
                self.tr("Who signs in, and what their role lets them do. Users are also the agents who call.")
            )
        self.table.setVisible(bool(self.users))
        # As tall as its rows (up to 8; more scroll), so a team of three has no empty box under it.
        rows = min(max(len(self.users), 1), 8)
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows * 26 + frame)
        self.first_admin_button.setVisible(not has_users)
        for button in (self.add_button, self.role_button, self.password_button):
            button.setVisible(has_users)
        self._update_buttons()

    def selected(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not (0 <= rows[0].row() < len(self.model.items)):
            return None
        return self.model.items[rows[0].row()]

    def _update_buttons(self) -> None:
        may = self.user is not None and self.user.may("users")
        self.add_button.setEnabled(may)
        chosen = self.selected() is not None
        self.role_button.setEnabled(may and chosen)
        self.password_button.setEnabled(may and chosen)

    # --- actions ---------------------------------------------------------------------------------
    def _open(self, dialog: UserDialog, done: Callable[[object], None]) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: done(dialog.result_value))
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialogOpened.emit(dialog)

    def create_first_admin(self) -> None:
        """On a database without users: the first admin, who is signed in from then on."""
        now = self.clock()

        def submit(db: Database, form: UserForm) -> User:
            return add_user(db, form.name, "admin", form.password, now, by=None)

        def done(result: object) -> None:
            assert isinstance(result, User)
            self.load()
            self._say(
                self.tr("%1 is the admin. From now on everybody signs in; you are signed in as %1.").replace(
                    "%1", result.name
                )
            )
            self.signedIn.emit(result)

        self._open(UserDialog(self, FIRST_ADMIN, self.session, self.language, submit), done)

    def add(self) -> None:
        if refused(self.user, "users", self._say):
            return
        by, now = self.user, self.clock()

        def submit(db: Database, form: UserForm) -> User:
            return add_user(db, form.name, form.role, form.password, now, by=by)

        def done(result: object) -> None:
            assert isinstance(result, User)
            self.load()
            role = role_label(result.role, self.language)
            self._say(self.tr("Added %1 (%2).").replace("%1", result.name).replace("%2", role))

        self._open(UserDialog(self, ADD, self.session, self.language, submit), done)

    def change_role(self) -> None:
        chosen = self.selected()
        if chosen is None or refused(self.user, "users", self._say):
            return
        by = self.user
        assert by is not None

        def submit(db: Database, form: UserForm) -> str:
            set_role(db, chosen.name, form.role, by=by)
            return form.role

        def done(result: object) -> None:
            role = str(result)
            self.load()
            self._say(
                self.tr("%1 is now %2.").replace("%1", chosen.name).replace("%2", role_label(role, self.language))
            )
            if chosen.id == by.id:  # one's own role: the window shows what the new one allows
                self.signedIn.emit(User(by.id, by.name, role))

        dialog = UserDialog(self, ROLE, self.session, self.language, submit, chosen.name, chosen.role)
        self._open(dialog, done)

    def reset_password(self) -> None:
        chosen = self.selected()
        if chosen is None or refused(self.user, "users", self._say):
            return
        by = self.user
        assert by is not None

        def submit(db: Database, form: UserForm) -> None:
            set_password(db, chosen.name, form.password, by=by)

        def done(_result: object) -> None:
            self._say(self.tr("The password of %1 is changed.").replace("%1", chosen.name))

        self._open(UserDialog(self, PASSWORD, self.session, self.language, submit, chosen.name), done)

    def _idle_chosen(self, minutes: int) -> None:
        self.preferences.idle_lock_minutes = minutes
        save_preferences(self.preferences)
        self.idleMinutesChanged.emit(minutes)
