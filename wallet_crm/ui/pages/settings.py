"""Settings: the follow-up work and imports (kept with the data), the interface language (per person),
users and log-in, and facts about the open database.

Signed in, a user who is not an admin sees only the language and the database facts: the groups an admin
changes are left out, with one line saying so."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from wallet_crm.accounts.users import User, role_label
from wallet_crm.preferences import Preferences, save_preferences
from wallet_crm.ui.access import allowed
from wallet_crm.ui.pages.backup_settings import BackupSettingsPanel
from wallet_crm.ui.pages.followup_settings import FollowupSettingsPanel
from wallet_crm.ui.pages.import_settings import ImportSettingsPanel
from wallet_crm.ui.pages.team_settings import TeamDatabasePanel
from wallet_crm.ui.pages.users_settings import UsersPanel
from wallet_crm.ui.session import Session


class SettingsPage(QWidget):
    languageChanged = Signal(str)

    def __init__(self, preferences: Preferences, session: Session, language: str) -> None:
        super().__init__()
        self.preferences = preferences
        self.ui_language = language
        heading = QLabel(self.tr("Settings"))
        heading.setObjectName("pageTitle")

        self.language = QComboBox()
        for label, code in (
            (self.tr("Follow the system"), "system"),
            ("简体中文", "zh_CN"),
            ("English", "en"),
        ):
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(preferences.language)))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.language_note = QLabel()
        self.language_note.setObjectName("hint")
        appearance = QGroupBox(self.tr("Interface"))
        form = QFormLayout(appearance)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.language.setMinimumWidth(220)
        form.addRow(self.tr("&Language"), self.language)
        form.addRow("", self.language_note)
        buddy = form.labelForField(self.language)
        if isinstance(buddy, QLabel):
            buddy.setBuddy(self.language)

        self.database_box = QGroupBox(self.tr("Database"))
        self.database_form = QFormLayout(self.database_box)
        self.db_path = QLabel()
        self.db_path.setWordWrap(True)
        self.db_schema = QLabel()
        self.log_path = QLabel()
        self.log_path.setWordWrap(True)
        self.database_form.addRow(self.tr("File"), self.db_path)
        self.database_form.addRow(self.tr("Schema version"), self.db_schema)
        self.database_form.addRow(self.tr("Log file"), self.log_path)
        for field in (self.db_path, self.log_path):
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.followup = FollowupSettingsPanel(session, language)
        self.imports = ImportSettingsPanel(session)
        self.backups = BackupSettingsPanel(preferences)
        self.team = TeamDatabasePanel(preferences, session)
        self.users = UsersPanel(preferences, session, language)
        # The groups only an admin changes, and the action each needs.
        self.admin_panels: tuple[tuple[QWidget, str], ...] = (
            (self.followup, "settings"),
            (self.imports, "settings"),
            (self.users, "users"),
            (self.backups, "backup"),
            (self.team, "team"),
        )
        self.role_note = QLabel()
        self.role_note.setObjectName("hint")
        self.role_note.setWordWrap(True)
        self.role_note.hide()
        self._shown_database: str | None = None
        content = QWidget()
        self.content = content
        layout = QVBoxLayout(content)
        layout.addWidget(heading)
        layout.addWidget(self.role_note)
        layout.addWidget(self.followup)
        layout.addWidget(self.imports)
        layout.addWidget(appearance)
        layout.addWidget(self.users)
        layout.addWidget(self.backups)
        layout.addWidget(self.team)
        layout.addWidget(self.database_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        self.scroll_area = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def load(self) -> None:
        """A fresh database (or the first show): its follow-up settings and its users."""
        self.followup.load()
        self.users.load()

    def set_user(self, user: User | None) -> None:
        """Show the groups the signed-in user's role may change; the others are left out."""
        self.users.set_user(user)
        hidden = False
        for panel, action in self.admin_panels:
            ok = allowed(user, action)
            panel.setVisible(ok)
            hidden = hidden or not ok
        if user is not None and hidden:
            self.role_note.setText(
                self.tr(
                    "Signed in as %1 (%2). The follow-up rules, imports, users, backups and the team database "
                    "are changed by an admin."
                )
                .replace("%1", user.name)
                .replace("%2", role_label(user.role, self.ui_language))
            )
        self.role_note.setVisible(user is not None and hidden)

    def show_users(self) -> None:
        """Scroll Users and log-in to the top."""
        self.scroll_area.verticalScrollBar().setValue(max(0, self.users.geometry().top() - 6))

    def show_database(self, path: str, schema_version: int, log_file: str) -> None:
        if path != self._shown_database:  # another database: its own import settings
            self._shown_database = path
            self.imports.load()
        self.db_path.setText(path)
        self.db_schema.setText(str(schema_version))
        self.log_path.setText(log_file)

    def _language_chosen(self) -> None:
        self.preferences.language = str(self.language.currentData())
        save_preferences(self.preferences)
        self.language_note.setText(self.tr("Saved. The new language is used from the next start."))
        self.languageChanged.emit(self.preferences.language)
