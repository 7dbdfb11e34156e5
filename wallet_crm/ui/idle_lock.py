"""The idle lock's clock: `idle` fires after a stretch with no keyboard or mouse input anywhere in the app.

An application-wide event filter restarts a single-shot timer on each input event. It is installed
only while the clock runs (a signed-in user, a lock time above 0), so a database without users pays
nothing for it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.InputMethod,  # typing Chinese through an input method
    }
)


class IdleWatcher(QObject):
    """`start()` after signing in, `stop()` while locked or signed out; `set_timeout_ms(0)` never fires."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.timeout_ms = 0
        self.running = False
        self._filtering = False

    def set_timeout_ms(self, milliseconds: int) -> None:
        self.timeout_ms = max(0, milliseconds)
        if self.running:
            self.start()

    def set_minutes(self, minutes: int) -> None:
        self.set_timeout_ms(minutes * 60_000)

    def start(self) -> None:
        """Count from now (again); does nothing with a time of 0 but remember to run when one is set."""
        self.running = True
        if self.timeout_ms <= 0:
            self._filter(False)
            self.timer.stop()
            return
        self.timer.setInterval(self.timeout_ms)
        self._filter(True)
        self.timer.start()

    def stop(self) -> None:
        self.running = False
        self.timer.stop()
        self._filter(False)

    def _filter(self, on: bool) -> None:
        app = QCoreApplication.instance()
        if app is None or on == self._filtering:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._filtering = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()  # from the top
        return False
