"""One customer's story on one panel: transactions, follow-up tasks, contacts and feedback, newest first,
with the do-not-contact switch. Used beside the Customers table and reached from the call panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from wallet_crm.followup.customers import set_do_not_contact
from wallet_crm.followup.timeline import customer_card, customer_timeline
from wallet_crm.ui.session import Session, Topic

KIND_MARKS = {"transaction": "¥", "task_opened": "▶", "task_closed": "■", "attempt": "☎"}


class CustomerTimeline(QWidget):
    changed = Signal()
    finished = Signal()  # the do-not-contact switch has its answer (stored or refused)

    def __init__(
        self,
        session: Session,
        language: str,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.language = language
        self.clock = clock or session.now
        self.customer_id: int | None = None
        self.title = QLabel(self.tr("Select a customer to see their timeline"))
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.do_not_contact = QCheckBox(self.tr("&Do not contact"))  # short: the panel beside a table is narrow
        self.do_not_contact.setToolTip(self.tr("Never queued again; open tasks are cancelled."))
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
        db = self.session.db
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
        """Store the switch in the background (greyed out meanwhile); refused, it flips back."""
        if self.customer_id is None:
            return
        customer_id, now = self.customer_id, self.clock()
        self.do_not_contact.setEnabled(False)

        def done(cancelled: Any) -> None:
            if self.customer_id == customer_id:
                self.show_customer(customer_id)
                if cancelled:
                    self.title.setText(
                        self.title.text() + "  " + self.tr("(%1 open tasks cancelled)").replace("%1", str(cancelled))
                    )
            self.changed.emit()
            self.finished.emit()

        def failed(_error: BaseException) -> None:
            if self.customer_id == customer_id:
                self.do_not_contact.blockSignals(True)
                self.do_not_contact.setChecked(not value)
                self.do_not_contact.blockSignals(False)
                self.do_not_contact.setEnabled(True)
            self.finished.emit()  # then the default handling: a busy database is a notice, not a crash

        self.session.write(
            self.tr("Do not contact"),
            lambda db, _p, _c: set_do_not_contact(db, customer_id, value, now),
            done,
            changes=(Topic.TASKS,),
            failed=failed,
        )
