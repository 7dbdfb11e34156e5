"""First start on an empty database: two ways in, import a file or try the demo data."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomePage(QWidget):
    importRequested = Signal()
    demoRequested = Signal()

    def __init__(self) -> None:
        super().__init__()
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
