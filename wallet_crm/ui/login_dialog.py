"""The log-in dialog: a name and a password before the window shows a database that has users, and the
same dialog, with the name fixed, to unlock a window the idle lock covered.

The password is checked off the GUI thread (argon2 takes a moment, a busy database longer). A wrong name
and a wrong password get the same one line; the password field is emptied for the next try. In the
log-in, Esc or the cancel button (Quit at start, Cancel when switching databases) gives up; the unlock
can't be dismissed, only answered or turned into a sign-out.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from peewee import Database
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wallet_crm.accounts.users import LoginRefused, User, authenticate, role_label
from wallet_crm.ui.export_dialog import interface_language
from wallet_crm.ui.operations import ProgressCallback
from wallet_crm.ui.session import Session


class LoginDialog(QDialog):
    """`user` holds who signed in once the dialog is accepted."""

    signOutRequested = Signal()  # the unlock's "Sign out"
    checked = Signal()  # a password check has its answer (accepted or refused): for tests

    def __init__(
        self,
        parent: QWidget | None,
        db: Database,
        database_name: str,
        names: Sequence[str],
        session: Session,
        locked_user: User | None = None,
        cancel_text: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db  # the database to sign in to: the one shown, or the one about to be (not the session's yet)
        self.session = session
        self.locked_user = locked_user
        self.user: User | None = None
        self._checking = False
        self._generation = 0
        unlock = locked_user is not None
        self.setObjectName("unlockDialog" if unlock else "loginDialog")
        self.setWindowTitle(self.tr("Locked — wallet-crm") if unlock else self.tr("Sign in — wallet-crm"))
        self.setMinimumWidth(420)

        heading = QLabel(self.tr("wallet-crm is locked") if unlock else self.tr("Sign in to wallet-crm"))
        heading.setObjectName("sectionTitle")
        intro = QLabel()
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        if locked_user is not None:
            intro.setText(
                self.tr("%1 (%2) is signed in. Type the password to go on: nothing typed on the pages is lost.")
                .replace("%1", locked_user.name)
                .replace("%2", role_label(locked_user.role, interface_language()))
            )
        else:
            intro.setText(self.tr("Database: %1").replace("%1", database_name))
        self.intro = intro

        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.addItems(list(names))
        self.name.setCurrentIndex(-1)
        self.name.setMinimumWidth(220)
        line = self.name.lineEdit()
        assert line is not None  # an editable combo has one
        self.name_edit = line
        line.setPlaceholderText(self.tr("Your user name"))
        if locked_user is not None:
            self.name.setEditText(locked_user.name)
            self.name.setEnabled(False)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMinimumWidth(220)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Sign-in message"))

        form = QFormLayout()
        name_label = QLabel(self.tr("&User name"))
        name_label.setBuddy(self.name)
        password_label = QLabel(self.tr("&Password"))
        password_label.setBuddy(self.password)
        form.addRow(name_label, self.name)
        form.addRow(password_label, self.password)

        self.buttons = QDialogButtonBox()
        self.ok_button = QPushButton(self.tr("Unlock") if unlock else self.tr("Sign in"))
        self.ok_button.setDefault(True)
        self.ok_button.setAutoDefault(True)
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.clicked.connect(self.submit)
        if unlock:
            self.cancel_button = QPushButton(self.tr("Sign out"))
            self.cancel_button.setToolTip(self.tr("Another person can sign in; what was typed on the pages is dropped"))
            self.cancel_button.clicked.connect(self._sign_out)
            self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        else:
            self.cancel_button = QPushButton(cancel_text or self.tr("Quit"))
            self.cancel_button.clicked.connect(self.reject)
        self.cancel_button.setAutoDefault(False)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if unlock else self.name).setFocus()

    # --- answering -------------------------------------------------------------------------
    def _name_entered(self) -> None:
        """Enter in the name field: on to the password, or sign in when it is typed already."""
        if self.password.text():
            self.submit()
        else:
            self.password.setFocus()

    def submit(self) -> None:
        """Check the name and password in the background; accept with `user` set, or say why not."""
        if self._checking:
            return
        name = self.name.currentText().strip()
        password = self.password.text()
        if not name:
            self.error.setText(self.tr("Type your user name."))
            self.name.setFocus()
            return
        if not password:
            self.error.setText(self.tr("Type your password."))
            self.password.setFocus()
            return
        self._set_checking(True)
        self._generation += 1
        generation = self._generation
        db = self.db

        def work(_progress: ProgressCallback, _cancel: threading.Event) -> User:
            try:
                return authenticate(db, name, password)
            finally:
                db.close()  # this worker thread's connection: a database given up on must not stay open

        def done(user: User) -> None:
            if generation != self._generation:
                return
            self._set_checking(False)
            if self.locked_user is not None and user.id != self.locked_user.id:
                self._refuse(self.tr("Wrong user name or password."))
                return
            self.user = user
            self.password.clear()
            self.error.clear()
            self.checked.emit()
            self.accept()

        def failed(error: BaseException) -> bool:
            if generation != self._generation:
                return True
            self._set_checking(False)
            if isinstance(error, LoginRefused):
                self._refuse(self.tr("Wrong user name or password."))
                return True
            if self.session.report(error, self.tr("Sign in"), self._refuse):
                self._refuse("")  # a bug: the crash dialog said what happened
            return True

        self.session.run(self.tr("Sign in"), work, done, failed=failed)

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.password.clear()
        self.password.setFocus()
        self.checked.emit()

    def _set_checking(self, checking: bool) -> None:
        self._checking = checking
        self.ok_button.setEnabled(not checking)
        self.password.setEnabled(not checking)
        self.name.setEnabled(not checking and self.locked_user is None)
        if checking:
            self.error.setText(self.tr("Checking…"))

    # --- leaving -----------------------------------------------------------------------------
    def _sign_out(self) -> None:
        self._generation += 1  # an answer still on its way is not shown
        self.signOutRequested.emit()
        super().reject()

    def reject(self) -> None:
        """Esc, the close button or Cancel/Quit; the unlock stays until it is answered."""
        if self.locked_user is not None:
            return
        self._generation += 1
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the name goes on to the password (or signs in when it is typed); in the password, signs in."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            if self.name.hasFocus() or self.name_edit.hasFocus():
                self._name_entered()
                return
            if self.password.hasFocus():
                self.submit()
                return
        super().keyPressEvent(event)
