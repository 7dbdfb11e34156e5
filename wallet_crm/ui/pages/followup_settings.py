"""Settings for the follow-up work: rules on/off and their numbers, the contact policy, call scripts,
feedback topics and the team's agents. Nothing is stored until "Save", and a bad value is refused
with the service's sentence while the form keeps what was typed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from peewee import Database
from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from wallet_crm.errors import KnownError
from wallet_crm.followup.agents import add_agent, list_agents, set_agent_active
from wallet_crm.followup.registry import MAX_DUE_HOURS, RULE_ENTRIES, RULES_BY_CODE, Param
from wallet_crm.followup.settings import FollowupSettings, load_settings, save_settings
from wallet_crm.followup.vocabulary import REASONS, label
from wallet_crm.ui.operations import ProgressCallback
from wallet_crm.ui.session import DbWork, Session, Topic

PARAMS_PER_LINE = 2
MAX_SPIN = 10**9  # a QSpinBox holds an int32: a bound above it is out of reach of typing anyway
TOPIC_SEPARATORS = ("、", ",", "，", ";", "；")


class FollowupSettingsPanel(QWidget):
    finished = Signal()  # a save, or a change to the agents, has its answer (done or refused)

    def __init__(self, session: Session, language: str) -> None:
        super().__init__()
        self.session = session
        self.language = language
        self.settings = FollowupSettings()
        self.rule_widgets: dict[str, tuple[QCheckBox, QSpinBox, dict[str, QSpinBox]]] = {}

        rules_box = QGroupBox(self.tr("Follow-up rules"))
        grid = QGridLayout(rules_box)
        for column, text in enumerate((self.tr("Rule"), self.tr("Due within (hours)"), self.tr("Numbers"))):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, column)
        # Number boxes as wide as seven digits, not as their range (10^8 asked for ~110 px each): the survey
        # row's three boxes ran off a 1024 px window in English.
        number_width = self.fontMetrics().horizontalAdvance("0000000") + 32
        for row, entry in enumerate(RULE_ENTRIES, start=1):
            code = entry.code
            enabled = QCheckBox(label(code, language))
            due = QSpinBox()
            due.setRange(0, MAX_DUE_HOURS)
            due.setMaximumWidth(number_width)
            params: dict[str, QSpinBox] = {}
            line = QGridLayout()  # two numbers a line: a third goes under them (the survey's three ran off 1024 px)
            for index, param in enumerate(entry.params):
                spin = QSpinBox()  # the entry's bounds, in the unit shown (an amount in yuan, stored in fen)
                per = param.shown_per_stored
                spin.setRange(-(-param.low // per), min(param.high // per, MAX_SPIN))
                spin.setMaximumWidth(number_width)
                params[param.name] = spin
                place, column = divmod(index, PARAMS_PER_LINE)
                line.addWidget(QLabel(param.names[language]), place, 2 * column)
                line.addWidget(spin, place, 2 * column + 1)
            line.setColumnStretch(2 * PARAMS_PER_LINE, 1)
            grid.addWidget(enabled, row, 0)
            grid.addWidget(due, row, 1)
            grid.addLayout(line, row, 2)
            self.rule_widgets[code] = (enabled, due, params)

        policy_box = QGroupBox(self.tr("Contact policy"))
        policy = QFormLayout(policy_box)
        policy.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.calling_start = QTimeEdit()
        self.calling_end = QTimeEdit()
        hours = QHBoxLayout()
        hours.addWidget(self.calling_start)
        hours.addWidget(QLabel("–"))
        hours.addWidget(self.calling_end)
        hours.addStretch(1)
        self.max_attempts = QSpinBox()
        self.max_attempts.setRange(1, 20)
        self.cooldown_days = QSpinBox()
        self.cooldown_days.setRange(0, 365)
        self.window_days = QSpinBox()
        self.window_days.setRange(1, 365)
        policy.addRow(self.tr("Calling hours"), hours)
        policy.addRow(self.tr("Attempts per task at most"), self.max_attempts)
        policy.addRow(self.tr("Not again within (days) after reaching a customer"), self.cooldown_days)
        policy.addRow(self.tr("Rules look back (days)"), self.window_days)

        script_box = QGroupBox(self.tr("Call scripts and topics"))
        scripts = QFormLayout(script_box)
        self.script_reason = QComboBox()
        for code in REASONS:
            self.script_reason.addItem(label(code, language), code)
        self.script = QPlainTextEdit()
        self.script.setMaximumHeight(80)
        self.script.setTabChangesFocus(True)
        self.script.setToolTip(self.tr("Placeholders: {name} {agent} {time} {amount} {remark}"))
        self._script_texts: dict[str, str] = {}
        self._shown_script: str | None = None
        self.script_reason.currentIndexChanged.connect(self._script_reason_changed)
        self.topics = QLineEdit()
        scripts.addRow(self.tr("Script for"), self.script_reason)
        scripts.addRow("", self.script)
        scripts.addRow(self.tr("Feedback topics (separated by 、)"), self.topics)

        self.save_button = QPushButton(self.tr("Save follow-up settings"))
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)

        agents_box = QGroupBox(self.tr("Agents"))
        agents = QVBoxLayout(agents_box)
        self.agent_list = QListWidget()
        self.agent_list.setMaximumHeight(110)
        self.agent_name = QLineEdit()
        self.agent_name.setPlaceholderText(self.tr("New agent's name"))
        self.agent_name.returnPressed.connect(self.add_agent)
        self.add_button = add_button = QPushButton(self.tr("Add"))
        add_button.clicked.connect(self.add_agent)
        self.toggle_button = QPushButton(self.tr("Deactivate / reactivate"))
        self.toggle_button.clicked.connect(self.toggle_agent)
        agent_row = QHBoxLayout()
        agent_row.addWidget(self.agent_name, 1)
        agent_row.addWidget(add_button)
        agent_row.addWidget(self.toggle_button)
        agents.addWidget(self.agent_list)
        agents.addLayout(agent_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(agents_box)
        layout.addWidget(rules_box)
        layout.addWidget(policy_box)
        layout.addWidget(script_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

    # --- load and save --------------------------------------------------------------------
    def load(self) -> None:
        db = self.session.db
        self.settings = load_settings(db)
        s = self.settings
        for code, (enabled, due, params) in self.rule_widgets.items():
            rule = s.rule(code)
            enabled.setChecked(rule.enabled)
            due.setValue(rule.due_hours)
            for name, spin in params.items():
                spin.setValue(rule.param(name) // _param(code, name).shown_per_stored)
        self.calling_start.setTime(QTime(s.policy.calling_start.hour, s.policy.calling_start.minute))
        self.calling_end.setTime(QTime(s.policy.calling_end.hour, s.policy.calling_end.minute))
        self.max_attempts.setValue(s.policy.max_attempts)
        self.cooldown_days.setValue(s.policy.cooldown_days)
        self.window_days.setValue(s.window_days)
        self._script_texts = dict(s.templates)
        self._shown_script = None
        self._script_reason_changed()
        self.topics.setText("、".join(s.topics))
        self.message.clear()
        self.refresh_agents()

    def _script_reason_changed(self) -> None:
        if self._shown_script is not None:
            self._script_texts[self._shown_script] = self.script.toPlainText()
        code = str(self.script_reason.currentData())
        self._shown_script = code
        self.script.setPlainText(self._script_texts.get(code, ""))

    def form_settings(self) -> FollowupSettings:
        s = self.settings
        for code, (enabled, due, params) in self.rule_widgets.items():
            values = {name: spin.value() * _param(code, name).shown_per_stored for name, spin in params.items()}
            s = s.with_rule(code, enabled=enabled.isChecked(), due_hours=due.value(), params=values)
        start, end = self.calling_start.time(), self.calling_end.time()
        s = s.with_policy(
            calling_start=dt.time(start.hour(), start.minute()),
            calling_end=dt.time(end.hour(), end.minute()),
            max_attempts=self.max_attempts.value(),
            cooldown_days=self.cooldown_days.value(),
        )
        if self._shown_script is not None:
            self._script_texts[self._shown_script] = self.script.toPlainText()
        text = self.topics.text()
        for separator in TOPIC_SEPARATORS:
            text = text.replace(separator, "、")
        topics = tuple(topic.strip() for topic in text.split("、") if topic.strip())
        return dataclasses.replace(
            s, window_days=self.window_days.value(), templates=dict(self._script_texts), topics=topics
        )

    def save(self) -> None:
        """Store the form in the background; it stays as typed, and a refusal is shown beside it."""
        try:
            settings = self.form_settings()
        except KnownError as error:
            self.message.setText(error.text(self.language))
            return

        def work(db: Database, _progress: ProgressCallback, _cancel: threading.Event) -> FollowupSettings:
            save_settings(db, settings)
            return load_settings(db)

        def done(saved: Any) -> None:
            self.settings = saved
            self.message.setText(self.tr("Saved. The next queue build uses these settings."))

        self._write(work, done, self.tr("Saving the follow-up settings"), Topic.SETTINGS)

    def _write(self, work: DbWork, done: Callable[[Any], None], what: str, change: Topic) -> None:
        """Run one write in the background with the buttons off; known errors show as the message."""
        buttons = (self.save_button, self.add_button, self.toggle_button)
        if not self.save_button.isEnabled():
            return  # one write at a time
        for button in buttons:
            button.setEnabled(False)

        def succeeded(result: Any) -> None:
            for button in buttons:
                button.setEnabled(True)
            done(result)
            self.finished.emit()

        def failed(error: BaseException) -> bool:
            for button in buttons:
                button.setEnabled(True)
            self.session.report(error, what, self.message.setText)
            self.finished.emit()
            return True

        self.session.write(what, work, succeeded, changes=(change,), failed=failed)

    # --- agents -----------------------------------------------------------------------------
    def refresh_agents(self) -> None:
        self.agent_list.clear()
        for agent in list_agents(self.session.db, include_inactive=True):
            text = agent.name if agent.active else self.tr("%1 (inactive)").replace("%1", agent.name)
            self.agent_list.addItem(text)
            self.agent_list.item(self.agent_list.count() - 1).setData(256, (agent.id, agent.active))

    def add_agent(self) -> None:
        name = self.agent_name.text().strip()
        if not name:
            return
        now = dt.datetime.now()

        def done(_result: Any) -> None:
            if self.agent_name.text().strip() == name:
                self.agent_name.clear()
            self.refresh_agents()  # the session tells the window (and so the queue) that agents changed

        self._write(lambda db, _p, _c: add_agent(db, name, now), done, self.tr("Add agent"), Topic.AGENTS)

    def toggle_agent(self) -> None:
        item = self.agent_list.currentItem()
        if item is None:
            return
        agent_id, active = item.data(256)

        def done(_result: Any) -> None:
            self.refresh_agents()  # the session tells the window (and so the queue) that agents changed

        self._write(
            lambda db, _p, _c: set_agent_active(db, int(agent_id), not bool(active)),
            done,
            self.tr("Deactivate / reactivate"),
            Topic.AGENTS,
        )


def _param(code: str, name: str) -> Param:
    param = RULES_BY_CODE[code].param(name)
    assert param is not None, f"{code} has no number {name}"  # the panel made its boxes from the entry
    return param
