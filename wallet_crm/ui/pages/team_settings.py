"""Settings → Team database: the PostgreSQL server this PC uses instead of its local file.

The parts are typed once per PC and kept in the preferences (a per-person file, like the language): the
choice takes effect at the next start, as `--db` and `WALLET_CRM_DB` still come first. The password is
only used to test the connection and is never saved: PostgreSQL's own password file keeps it (see
`db/team.py`). The test runs off the GUI thread: a server that doesn't answer takes seconds to say so.
"""

from __future__ import annotations

import threading
from urllib.parse import unquote, urlparse

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox

from wallet_crm.db.migrations import LATEST_VERSION
from wallet_crm.db.team import TeamCheck, TeamServer, check_team_server
from wallet_crm.preferences import Preferences, save_preferences
from wallet_crm.ui.operations import ProgressCallback
from wallet_crm.ui.session import Session

DEFAULT_PORT = 5432


class TeamDatabasePanel(QGroupBox):
    def __init__(self, preferences: Preferences, session: Session) -> None:
        super().__init__()
        self.preferences = preferences
        self.session = session
        self.setTitle(self.tr("Team database (PostgreSQL)"))
        self.host = QLineEdit()
        self.host.setPlaceholderText("192.168.1.10")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit()
        self.database.setPlaceholderText("wallet_crm")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setToolTip(
            self.tr("Only for the test, never saved: keep it in PostgreSQL's password file (~/.pgpass).")
        )
        self.test_button = QPushButton(self.tr("&Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.use_button = QPushButton(self.tr("Use on this PC"))
        self.use_button.clicked.connect(self.use_team_database)
        self.local_button = QPushButton(self.tr("Use the local file"))
        self.local_button.clicked.connect(self.use_local_file)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.test_button, self.use_button, self.local_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.tr("Server"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Database"), self.database)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(buttons)
        form.addRow(self.status)
        self._fill(preferences.team_database)
        self._show_choice()

    def _fill(self, url: str) -> None:
        """The fields from the saved URL, so the choice can be seen and changed."""
        if not url:
            return
        parts = urlparse(url)
        self.host.setText(parts.hostname or "")
        self.port.setValue(parts.port or DEFAULT_PORT)
        self.database.setText(unquote(parts.path.lstrip("/")))
        self.user.setText(unquote(parts.username or ""))

    def server(self) -> TeamServer:
        return TeamServer(self.host.text().strip(), self.port.value(), self.database.text().strip(), self.user.text())

    def test_connection(self) -> None:
        server, password = self.server(), self.password.text()
        self.test_button.setEnabled(False)
        self.status.setText(self.tr("Connecting to %1…").replace("%1", server.url()))

        def work(_progress: ProgressCallback, _cancel: threading.Event) -> TeamCheck:
            return check_team_server(server, password)

        def done(check: object) -> None:
            self.test_button.setEnabled(True)
            assert isinstance(check, TeamCheck)
            self.status.setText(self._describe(check))

        def failed(_error: BaseException) -> None:
            self.test_button.setEnabled(True)
            self.status.clear()  # then why, from the default handling (a bug: the crash dialog)

        # Another server than the one open: no database of the session's.
        self.session.run(self.tr("Testing the team database"), work, done, failed=failed, say=self.status.setText)

    def _describe(self, check: TeamCheck) -> str:
        if check.schema_version == 0:
            found = self.tr("an empty database: the first start creates the tables")
        elif check.schema_version > LATEST_VERSION:
            found = self.tr("a database from a newer wallet-crm: update this PC first")
        else:
            found = self.tr("wallet-crm data (schema version %1)").replace("%1", str(check.schema_version))
        return self.tr("Connected: PostgreSQL %1, %2.").replace("%1", check.server_version).replace("%2", found)

    def use_team_database(self) -> None:
        server = self.server()
        if not (server.host and server.database):
            self.status.setText(self.tr("Give the server and the database first."))
            return
        self.preferences.team_database = server.url()
        save_preferences(self.preferences)
        self._show_choice(self.tr("Saved. This PC opens the team database from the next start."))

    def use_local_file(self) -> None:
        self.preferences.team_database = ""
        save_preferences(self.preferences)
        self._show_choice(self.tr("Saved. This PC opens its local file from the next start."))

    def _show_choice(self, saved: str = "") -> None:
        chosen = self.preferences.team_database
        now = (
            self.tr("This PC uses the team database %1.").replace("%1", chosen)
            if chosen
            else self.tr("This PC uses its local database file.")
        )
        self.status.setText(f"{saved} {now}".strip())
