"""Settings for the automatic daily backups: the folder they go to (a per-person preference, like the
language: the folder is on this PC). The choice is saved at once and used from the next backup on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from wallet_crm.db.backup import DAILY_KEPT, WEEKLY_KEPT
from wallet_crm.preferences import Preferences, backup_folder, save_preferences


def pick_folder(parent: QWidget, start: Path) -> Path | None:
    name = QFileDialog.getExistingDirectory(
        parent, QCoreApplication.translate("BackupSettingsPanel", "Folder for the daily backups"), str(start)
    )
    return Path(name) if name else None


class BackupSettingsPanel(QGroupBox):
    def __init__(self, preferences: Preferences) -> None:
        super().__init__()
        self.preferences = preferences
        self.setTitle(self.tr("Backups"))
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_button = QPushButton(self.tr("&Change…"))
        self.change_button.clicked.connect(self.choose_folder)
        self.default_button = QPushButton(self.tr("Use the &default"))
        self.default_button.clicked.connect(self.use_default)
        self.open_button = QPushButton(self.tr("Open the folder"))
        self.open_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        for button in (self.change_button, self.default_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        hint = QLabel(
            self.tr(
                "A copy of the database is made at the first start of each day. The %1 newest daily copies "
                "and one copy from each of the %2 weeks before them are kept."
            )
            .replace("%1", str(DAILY_KEPT))
            .replace("%2", str(WEEKLY_KEPT))
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Folder"), self.folder)
        form.addRow("", buttons)
        form.addRow("", hint)
        self._show()

    def _show(self) -> None:
        self.folder.setText(str(backup_folder(self.preferences)))
        self.default_button.setEnabled(bool(self.preferences.backup_folder))

    def choose_folder(self) -> None:
        chosen = pick_folder(self, backup_folder(self.preferences))
        if chosen is not None:
            self._save(str(chosen))

    def use_default(self) -> None:
        self._save("")

    def _save(self, folder: str) -> None:
        self.preferences.backup_folder = folder
        save_preferences(self.preferences)
        self._show()

    def open_folder(self) -> None:
        folder = backup_folder(self.preferences)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
