"""One customer's story on one panel: transactions, follow-up tasks, contacts and feedback, newest first,
with the do-not-contact switch. Used beside the Customers table and reached from the call panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from wallet_crm.db import current_database
from wallet_crm.followup.customers import set_do_not_contact
from wallet_crm.followup.timeline import customer_card, customer_timeline
from wallet_crm.ui.crash import CrashHandler

KIND_MARKS = {"transaction": "¥", "task_opened": "▶", "task_closed": "■", "attempt": "☎"}


class CustomerTimeline(QWidget):
    changed = Signal()

    def __init__(self, crash: CrashHandler, language: str, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        super().__init__()
        self.crash = crash
        self.language = language
        self.clock = clock
        self.customer_id: int | None = None
        self.title = QLabel(self.tr("Select a customer to see their timeline"))
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.do_not_contact = QCheckBox(self.tr("&Do not contact (never queued; open tasks are cancelled)"))
        self.do_not_contact.setEnabled(False)
        self.do_not_contact.toggled.connect(self._toggle_do_not_contact)
        self.events = QListWidget()
        self.events.setWordWrap(True)
        self.events.setAccessibleName(self.tr("Timeline"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.do_not_contact)
        layout.addWidget(self.events, 1)

    def show_customer(self, customer_id: int) -> None:
        db = current_database()
        card = customer_card(db, customer_id)
        self.customer_id = customer_id
        name = card.name or self.tr("(no name)")
        self.title.setText(" · ".join(part for part in (name, card.external_id or "", card.phone_masked) if part))
        self.do_not_contact.blockSignals(True)
        self.do_not_contact.setChecked(card.do_not_contact)
        self.do_not_contact.blockSignals(False)
        self.do_not_contact.setEnabled(True)
        self.events.clear()
        for event in customer_timeline(db, customer_id, self.language):
            mark = KIND_MARKS.get(event.kind, "·")
            text = f"{event.at:%Y-%m-%d %H:%M}  {mark} {event.title}"
            if event.detail:
                text += f"\n        {event.detail}"
            self.events.addItem(QListWidgetItem(text))

    def _toggle_do_not_contact(self, value: bool) -> None:
        if self.customer_id is None:
            return
        try:
            cancelled = set_do_not_contact(current_database(), self.customer_id, value, self.clock())
        except Exception as error:
            self.crash.report(error, self.tr("Do not contact"))
            return
        self.show_customer(self.customer_id)
        if cancelled:
            self.title.setText(
                self.title.text() + "  " + self.tr("(%1 open tasks cancelled)").replace("%1", str(cancelled))
            )
        self.changed.emit()
