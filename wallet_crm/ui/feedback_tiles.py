"""A KPI tile: the figure's name, its value, the previous period's value, and the definition as tooltip.

Tiles are focusable and clickable (mouse, Enter or Space), so the numbers behind a figure are one
action away with or without the mouse.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from wallet_crm.feedback.definitions import format_figure
from wallet_crm.feedback.kpis import KPIS

GOOD, BAD, NEUTRAL = "#1e7b34", "#b00020", "#555555"


def change_text(key: str, now: float | int | None, before: float | int | None) -> tuple[str, str]:
    """The change from the previous period (`▲ 2.1`), and its colour (by which way is good for the figure);
    empty when either side is missing."""
    if now is None or before is None or now == before:
        return ("", NEUTRAL) if now is None or before is None else ("＝", NEUTRAL)
    kpi = KPIS[key]
    delta = now - before
    arrow = "▲" if delta > 0 else "▼"
    direction = kpi.better * (1 if delta > 0 else -1)
    return f"{arrow} {kpi.change(delta)}", GOOD if direction > 0 else BAD if direction < 0 else NEUTRAL


class KpiTile(QFrame):
    activated = Signal(str)

    def __init__(self, key: str, name: str, definition: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("kpiTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(definition)
        self.setAccessibleName(name)
        self.setAccessibleDescription(definition)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.name_label = QLabel(name)
        self.name_label.setObjectName("kpiName")
        self._value_text = "…"
        self.value_label = QLabel(self._value_text)
        self.value_label.setObjectName("kpiValue")
        self.value_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("kpiDetail")
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        # On a narrow window (1024 px: six tiles of ~130 px) the detail line wraps instead of being cut:
        # a cut "free 510" read "free 51". Names and values stay on one line (the tooltip has the rest).
        self.detail_label.setWordWrap(True)
        for label in (self.name_label, self.value_label, self.detail_label):
            label.setMinimumWidth(0)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.name_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.detail_label)

    def show_value(
        self, value: float | int | None, previous_text: str, change: tuple[str, str], note: str = ""
    ) -> None:
        """`previous_text` reads like "上期 1,040"; `note` is a small addition such as the number of answers."""
        self._value_text = format_figure(self.key, value)
        shown = self._value_text
        if note:
            shown += f' <span style="font-size:9pt; font-weight:normal; color:#666">{html.escape(note)}</span>'
        self.value_label.setText(shown)
        text, colour = change
        detail = html.escape(previous_text)
        if text:
            detail += f' <span style="color:{colour}">{text}</span>'
        self.detail_label.setText(detail)

    def value_text(self) -> str:
        """The figure as shown, without the note."""
        return self._value_text

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit(self.key)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.key)
            return
        super().keyPressEvent(event)
