"""The call panel: why this customer, what to say, their history, and the outcome form.

Everything works from the keyboard: Tab moves through the form, Ctrl+Enter saves, Ctrl+Shift+Enter
saves and takes the next customer, Esc skips this one (the page gives it back to the queue). The
phone number stays masked until "show number", which is recorded. A closed task, or one another
agent holds, shows read-only. The panel calls the follow-up services; it never touches the database.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from peewee import Database
from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wallet_crm.followup.customers import reveal_phone
from wallet_crm.followup.settings import load_settings
from wallet_crm.followup.timeline import TaskDetail, task_detail
from wallet_crm.followup.vocabulary import CATEGORIES, CHANNELS, DISPOSITIONS, disposition_label, label
from wallet_crm.followup.work import Outcome, OutcomeResult, log_outcome
from wallet_crm.ui.operations import ProgressCallback
from wallet_crm.ui.session import Session, Topic


class CallPanel(QWidget):
    saved = Signal(object)  # OutcomeResult
    saveAndNext = Signal()
    skipRequested = Signal(int)  # task id
    showCustomer = Signal(int, str)

    def __init__(self, session: Session, clock: Callable[[], dt.datetime], language: str) -> None:
        super().__init__()
        self.session = session
        self.clock = clock
        self.language = language
        self.detail: TaskDetail | None = None
        self.agent_id: int | None = None
        self.read_only = False
        self.next_after_save = False
        self.saving = False  # an outcome is being written in the background
        self.revealing = False

        self.title = QLabel(self.tr("No customer selected"))
        self.title.setObjectName("sectionTitle")
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setStyleSheet("background: #fff4d6; color: #5a4500; border-radius: 3px; padding: 4px 8px;")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setObjectName("explanation")
        self.phone = QLabel()
        self.reveal_button = QPushButton(self.tr("Show number"))
        self.reveal_button.setToolTip(self.tr("Showing the full number is recorded"))
        self.reveal_button.clicked.connect(self.reveal)
        phone_row = QHBoxLayout()
        phone_row.addWidget(self.phone)
        phone_row.addWidget(self.reveal_button)
        phone_row.addStretch(1)
        self.timeline_button = QPushButton(self.tr("Customer timeline…"))
        self.timeline_button.clicked.connect(self._show_customer)
        phone_row.addWidget(self.timeline_button)
        self.script = QLabel()
        self.script.setWordWrap(True)
        self.script.setObjectName("script")
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.PlainText)

        self.channel = QComboBox()
        for code in CHANNELS:
            self.channel.addItem(label(code, language), code)
        self.disposition = QComboBox()
        for code in DISPOSITIONS:
            self.disposition.addItem(disposition_label(code, language), code)
        self.csat = QComboBox()
        self.csat.addItem("—", None)
        for score in range(5, 0, -1):
            self.csat.addItem(str(score), score)
        self.nps = QComboBox()
        self.nps.addItem("—", None)
        for score in range(10, -1, -1):
            self.nps.addItem(str(score), score)
        self.category = QComboBox()
        self.category.addItem("—", None)
        for code in CATEGORIES:
            self.category.addItem(label(code, language), code)
        self.topics = QListWidget()
        self.topics.setMaximumHeight(96)
        self.topics.setFlow(QListWidget.Flow.LeftToRight)
        self.topics.setWrapping(True)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(70)
        self.has_callback = QCheckBox(self.tr("Call back at"))
        self.callback_at = QDateTimeEdit()
        self.callback_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.callback_at.setCalendarPopup(True)
        self.callback_at.setEnabled(False)
        self.has_callback.toggled.connect(self.callback_at.setEnabled)
        callback_row = QHBoxLayout()
        callback_row.addWidget(self.has_callback)
        callback_row.addWidget(self.callback_at, 1)

        self.save_button = QPushButton(self.tr("Save (Ctrl+Enter)"))
        self.save_button.clicked.connect(lambda: self.save(then_next=False))
        self.save_next_button = QPushButton(self.tr("Save and next (Ctrl+Shift+Enter)"))
        self.save_next_button.setDefault(True)
        self.save_next_button.clicked.connect(lambda: self.save(then_next=True))
        for keys, then_next in (
            ("Ctrl+Return", False),
            ("Ctrl+Enter", False),
            ("Ctrl+Shift+Return", True),
            ("Ctrl+Shift+Enter", True),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=then_next: self.save(then_next=n))
        self.skip_button = QPushButton(self.tr("Skip (Esc)"))
        self.skip_button.setToolTip(self.tr("Give this customer back to the queue and take the next one"))
        self.skip_button.clicked.connect(self.skip)
        skip_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        skip_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        skip_shortcut.activated.connect(self.skip)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)

        self.form_box = form_box = QGroupBox(self.tr("Outcome"))
        form = QFormLayout(form_box)
        form.addRow(self.tr("&Channel"), self.channel)
        form.addRow(self.tr("&Result"), self.disposition)
        form.addRow(self.tr("&Satisfaction (1–5)"), self.csat)
        form.addRow(self.tr("&NPS (0–10)"), self.nps)
        form.addRow(self.tr("Feedback &type"), self.category)
        form.addRow(self.tr("Topics"), self.topics)
        form.addRow(self.tr("N&otes"), self.notes)
        form.addRow(callback_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.save_next_button)

        body = QWidget()
        layout = QVBoxLayout(body)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.skip_button)
        layout.addLayout(title_row)
        layout.addWidget(self.notice)
        layout.addWidget(self.explanation)
        layout.addLayout(phone_row)
        script_box = QGroupBox(self.tr("What to say"))
        QVBoxLayout(script_box).addWidget(self.script)
        layout.addWidget(script_box)
        history_box = QGroupBox(self.tr("Recent transactions and contacts"))
        QVBoxLayout(history_box).addWidget(self.history)
        layout.addWidget(history_box)
        layout.addWidget(form_box)
        layout.addStretch(1)
        # The details scroll (up and down only); the message and the Save buttons stay in sight below
        # them, however small the window (at 1366×768 they were below the fold).
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        scrollbar = scroll.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(body.minimumSizeHint().width() + scrollbar + 2 * scroll.frameWidth())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        footer = QVBoxLayout()
        footer.setContentsMargins(9, 0, 9, 0)
        footer.addWidget(self.message)
        footer.addLayout(buttons)
        outer.addLayout(footer)
        self.setEnabled(False)

    def set_topics(self, topics: tuple[str, ...]) -> None:
        self.topics.clear()
        for topic in topics:
            item = QListWidgetItem(topic)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.topics.addItem(item)

    def show_task(
        self, task_id: int, agent_id: int | None, agent_name: str | None, read_only: str | None = None
    ) -> None:
        """Show the task to work it; with `read_only` (why, in a sentence) only to read it."""
        db = self.session.db
        self.agent_id = agent_id
        self.set_topics(load_settings(db).topics)
        detail = task_detail(db, task_id, self.clock(), self.language, agent_name)
        self.detail = detail
        customer = detail.customer
        name = customer.name or self.tr("(no name)")
        self.title.setText(f"{name} · {customer.external_id or ''}".strip(" ·"))
        status = self.tr("at most %1 attempts").replace("%1", str(detail.max_attempts))
        due = self.tr("due %1").replace("%1", f"{detail.due_at:%m-%d %H:%M}")
        self.explanation.setText(
            f"{detail.explanation}\n{status} · {due}" + (" · " + self.tr("overdue") if detail.overdue else "")
        )
        self.phone.setText(customer.phone_masked if customer.has_phone else self.tr("no phone number"))
        self.reveal_button.setEnabled(customer.has_phone and not customer.phone_invalid)
        self.script.setText(detail.script)
        lang = self.language
        lines = [
            f"{t.occurred_at:%m-%d %H:%M}  {label(t.txn_type, lang)}  {label(t.status, lang)}  {t.amount_text}"
            for t in detail.transactions[:5]
        ]
        for attempt in detail.contacts[:5]:
            extra = f"  CSAT {attempt.csat}" if attempt.csat else ""
            result = disposition_label(attempt.disposition, lang)
            notes = f"  {attempt.notes}" if attempt.notes else ""
            lines.append(f"{attempt.attempted_at:%m-%d %H:%M}  {attempt.agent}  {result}{extra}{notes}")
        self.history.setText("\n".join(lines) or self.tr("Nothing yet."))
        self.reset_form()
        if detail.status != "open":
            read_only = self.tr("This task is closed (%1).").replace("%1", label(detail.status, lang))
        self._set_read_only(read_only)
        self.setEnabled(True)
        if read_only is None:
            self.disposition.setFocus()

    def _set_read_only(self, reason: str | None) -> None:
        self.read_only = reason is not None
        self.notice.setText(reason or "")
        self.notice.setVisible(reason is not None)
        for widget in (self.form_box, self.save_button, self.save_next_button, self.skip_button):
            widget.setEnabled(reason is None)
        if reason is not None:
            self.reveal_button.setEnabled(False)

    def _show_customer(self) -> None:
        if self.detail is not None:
            self.showCustomer.emit(self.detail.customer.id, self.detail.customer.external_id or "")

    def reset_form(self) -> None:
        """Every answer back to its default, so no answer of one customer is ever shown with another."""
        for combo in (self.channel, self.disposition, self.csat, self.nps, self.category):
            combo.setCurrentIndex(0)
        for row in range(self.topics.count()):
            self.topics.item(row).setCheckState(Qt.CheckState.Unchecked)
        self.notes.clear()
        self.has_callback.setChecked(False)
        self.callback_at.setDateTime(QDateTime(self.clock() + dt.timedelta(days=1)))
        self.message.clear()

    def clear(self) -> None:
        self.detail = None
        self.title.setText(self.tr("No customer selected"))
        for widget in (self.explanation, self.phone, self.script, self.history, self.message):
            widget.clear()
        self.reset_form()  # the saved answers must not stay on show in the empty form
        self._set_read_only(None)
        self.setEnabled(False)

    def skip(self) -> None:
        """Ask the page to give this task back and take the next customer; nothing is logged."""
        if self.detail is not None and not self.read_only and not self.saving:
            self.skipRequested.emit(self.detail.task_id)

    def reveal(self) -> None:
        """Show the full number; the reveal is recorded in the background, the number shows once it is."""
        if self.read_only or self.revealing:
            return
        if self.detail is None or self.agent_id is None:
            self.message.setText(self.tr("Choose who is working first."))
            return
        customer_id, agent_id, task_id, now = self.detail.customer.id, self.agent_id, self.detail.task_id, self.clock()
        self.revealing = True
        self.reveal_button.setEnabled(False)

        def work(db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> str:
            return reveal_phone(db, customer_id, agent_id, now, task_id)

        def done(number: Any) -> None:
            self.revealing = False
            if self.detail is None or self.detail.task_id != task_id:
                return  # another customer shows now
            self.phone.setText(str(number))
            self.phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        def failed(_error: BaseException) -> None:
            self.revealing = False
            if self.detail is not None and self.detail.task_id == task_id and not self.read_only:
                self.reveal_button.setEnabled(True)

        # A known error (a busy or read-only database...) is said under the form; a bug is the crash dialog.
        self.session.write(self.tr("Show number"), work, done, failed=failed, say=self.message.setText)

    def outcome(self) -> Outcome:
        assert self.detail is not None and self.agent_id is not None
        topics = [
            self.topics.item(row).text()
            for row in range(self.topics.count())
            if self.topics.item(row).checkState() == Qt.CheckState.Checked
        ]
        callback = self.callback_at.dateTime().toPython() if self.has_callback.isChecked() else None
        return Outcome(
            task_id=self.detail.task_id,
            agent_id=self.agent_id,
            disposition=str(self.disposition.currentData()),
            channel=str(self.channel.currentData()),
            csat=self.csat.currentData(),
            nps=self.nps.currentData(),
            category=self.category.currentData(),
            topics=topics,
            notes=self.notes.toPlainText(),
            callback_at=callback.replace(second=0, microsecond=0) if isinstance(callback, dt.datetime) else None,
        )

    def save(self, then_next: bool) -> None:
        """Write the outcome in the background; the form stays as typed until the answer arrives, and
        stays so when the write fails (bad input, a busy database) with the reason shown under it."""
        if self.detail is None or self.read_only or self.saving:
            return
        if self.agent_id is None:
            self.message.setText(self.tr("Choose who is working first."))
            return
        outcome, now = self.outcome(), self.clock()
        self._set_saving(True)
        self.message.setText(self.tr("Saving…"))

        def work(db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> OutcomeResult:
            return log_outcome(db, outcome, now)

        def done(result: Any) -> None:
            self._set_saving(False)
            if self.detail is not None and self.detail.task_id == outcome.task_id:
                self.clear()
            self.saved.emit(result)
            if then_next:
                self.saveAndNext.emit()

        def failed(_error: BaseException) -> None:
            self._set_saving(False)
            self.message.clear()  # then the reason (bad input, a busy database: nothing was written)

        self.session.write(
            self.tr("Saving the outcome"),
            work,
            done,
            changes=(Topic.OUTCOMES,),
            failed=failed,
            say=self.message.setText,
        )

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        enabled = not saving and not self.read_only
        for widget in (self.save_button, self.save_next_button, self.skip_button):
            widget.setEnabled(enabled)
