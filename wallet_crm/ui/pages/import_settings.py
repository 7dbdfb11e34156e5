"""Settings for imports, kept with the data: the operator's time zone and the plausibility limit.

Nothing is stored until "Save"; a zone we don't know is refused (in the interface language) while
the form keeps what was typed.
"""

from __future__ import annotations

import threading
from typing import Any

from peewee import Database
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
)

from wallet_crm.imports.settings import LIMIT_RANGE, ImportSettings, load_import_settings, save_import_settings
from wallet_crm.imports.zones import DEFAULT_ZONE, zone_for
from wallet_crm.ui.operations import ProgressCallback
from wallet_crm.ui.session import Session, Topic

COMMON_ZONES = (
    DEFAULT_ZONE,
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Macau",
    "Asia/Singapore",
    "Asia/Kuala_Lumpur",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Manila",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
    "UTC",
)
SPIN_MAX = 2**31 - 1  # a QSpinBox holds a 32-bit int: two billion is limit enough


class ImportSettingsPanel(QGroupBox):
    saveDone = Signal()  # "save" has its answer, stored or refused

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setTitle(self.tr("Import"))
        self.session = session
        self.saving = False  # the settings are being written in the background
        self.settings = ImportSettings()
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.addItems(list(COMMON_ZONES))
        self.zone.setMinimumWidth(220)
        self.zone.setToolTip(self.tr("An IANA name such as Asia/Shanghai, or an offset such as UTC+8"))
        self.limit = QSpinBox()
        self.limit.setRange(LIMIT_RANGE[0], min(LIMIT_RANGE[1], SPIN_MAX))
        self.limit.setGroupSeparatorShown(True)
        self.limit.setMinimumWidth(160)
        self.save_button = QPushButton(self.tr("Save import settings"))
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        zone_hint = QLabel(
            self.tr("Times a file writes in another zone (a UTC column, PayPal's PDT) are converted to this one.")
        )
        zone_hint.setObjectName("hint")
        zone_hint.setWordWrap(True)
        limit_hint = QLabel(
            self.tr("An amount above this (in yuan, or the major unit of its currency) goes in with a warning.")
        )
        limit_hint.setObjectName("hint")
        limit_hint.setWordWrap(True)
        for hint in (zone_hint, limit_hint):
            hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)  # the hints, not the boxes
        form.addRow(self.tr("Operator's time zone"), self.zone)
        form.addRow("", zone_hint)
        form.addRow(self.tr("Plausible amount at most"), self.limit)
        form.addRow("", limit_hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)

    def load(self) -> None:
        try:
            self.settings = load_import_settings(self.session.db)
        except Exception as error:  # the database went away: say so, keep the form usable
            self.session.report(error, self.tr("Import settings"))
            return
        self.zone.setCurrentText(self.settings.timezone)
        self.limit.setValue(min(self.settings.max_plausible, self.limit.maximum()))
        self.message.clear()

    def form_settings(self) -> ImportSettings:
        return ImportSettings(timezone=self.zone.currentText().strip(), max_plausible=self.limit.value())

    def save(self) -> None:
        """Check the form, then write it in the background, the save button disabled meanwhile."""
        if self.saving:
            return
        settings = self.form_settings()
        if zone_for(settings.timezone) is None:
            self.message.setText(
                self.tr("Unknown time zone “%1”: use a name like Asia/Shanghai, or UTC+8.").replace(
                    "%1", settings.timezone
                )
            )
            return
        self._set_saving(True)

        def work(db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> ImportSettings:
            save_import_settings(db, settings)
            return load_import_settings(db)

        def done(result: Any) -> None:
            self._set_saving(False)
            self.settings = result
            self.message.setText(self.tr("Saved. The next import uses these settings."))
            self.saveDone.emit()

        def failed(error: BaseException) -> bool:
            self._set_saving(False)
            self.message.clear()
            # Bad input, a busy or read-only database: said beside the form, which keeps what was typed.
            self.session.report(error, self.tr("Import settings"), self.message.setText)
            self.saveDone.emit()
            return True

        self.session.write(self.tr("Import settings"), work, done, changes=(Topic.SETTINGS,), failed=failed)

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.save_button.setEnabled(not saving)
        if saving:
            self.message.setText(self.tr("Saving…"))
