"""First start on an empty database: the interface language, then two ways in: import a file or try demo data.

The language buttons are written in their own language (中文, English) so whoever sits down can find
theirs. A choice is saved in the preferences and the app starts again in it: the pages are built in
one language and are not retranslated in place.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QProcess, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from wallet_crm.accounts.users import User
from wallet_crm.preferences import Preferences, save_preferences
from wallet_crm.ui.access import gate

LANGUAGE_BUTTONS = (("zh_CN", "中文"), ("en", "English"))


def restart_app() -> None:
    """Start this program again with the same arguments, then quit this one (the window saves on close)."""
    if getattr(sys, "frozen", False):
        program, arguments = sys.executable, sys.argv[1:]
    else:
        program, arguments = sys.executable, ["-m", "wallet_crm", *sys.argv[1:]]
    QProcess.startDetached(program, arguments)
    QCoreApplication.quit()


class WelcomePage(QWidget):
    importRequested = Signal()
    demoRequested = Signal()

    def __init__(self, preferences: Preferences, language: str, restart: Callable[[], None] = restart_app) -> None:
        super().__init__()
        self.preferences = preferences
        self.language = language
        self.restart = restart
        self.language_buttons = QButtonGroup(self)
        language_row = QHBoxLayout()
        language_row.addWidget(QLabel("界面语言 / Language:"))
        for code, name in LANGUAGE_BUTTONS:
            button = QPushButton(name)
            button.setCheckable(True)
            button.setChecked(code == language)
            button.setObjectName(f"language_{code}")
            self.language_buttons.addButton(button)
            button.clicked.connect(lambda _checked=False, code=code: self.choose_language(code))
            language_row.addWidget(button)
        language_row.addStretch(1)
        title = QLabel(self.tr("Welcome to wallet-crm"))
        title.setObjectName("welcomeTitle")
        intro = QLabel(
            self.tr(
                "Follow up with your wallet customers after their transactions: win back failed payments, "
                "check in after refunds and large transfers, welcome new customers and wake dormant ones.\n\n"
                "Everything stays on this computer. Start by importing a transaction export (Excel or CSV), "
                "or look around with demo data first."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("welcomeText")
        self.import_button = QPushButton(self.tr("Import a transaction file…"))
        self.demo_button = QPushButton(self.tr("Open demo data"))
        for button in (self.import_button, self.demo_button):
            button.setObjectName("bigButton")
            button.setMinimumHeight(48)
            button.setMinimumWidth(220)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.importRequested)
        self.demo_button.clicked.connect(self.demoRequested)
        note = QLabel(self.tr("Demo data goes into a separate database and is never mixed with yours."))
        note.setObjectName("hint")

        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addLayout(language_row)
        column.addSpacing(16)
        column.addWidget(title)
        column.addSpacing(12)
        column.addWidget(intro)
        column.addSpacing(24)
        column.addLayout(buttons)
        column.addSpacing(8)
        column.addWidget(note)
        column.addStretch(2)
        box = QWidget()
        box.setMaximumWidth(720)
        box.setLayout(column)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 4, Qt.AlignmentFlag.AlignVCenter)
        layout.addStretch(1)

    def set_user(self, user: User | None) -> None:
        gate(self.import_button, user, "import")

    def choose_language(self, code: str) -> None:
        """Keep the choice; when it differs from the language on screen, start again in it."""
        self.preferences.language = code
        save_preferences(self.preferences)
        if code != self.language:
            self.restart()
