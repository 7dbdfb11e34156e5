"""The main window's size: the size it had when last closed, else one that fits the screen it opens on.

A fixed 1200×760 hung off a 1024×768 laptop screen and left a 1920×1080 one mostly empty. The saved
geometry (Qt's own bytes, base64 in the preferences file) is used only while it still fits the
screen: a window closed on a big monitor opens on a laptop fitted to it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1366, 820)  # enough for the queue table beside the call panel, the outcome form included


def place_window(window: QWidget, saved: str) -> None:
    """Restore `saved` (from `saved_geometry`) when its size still fits the available screen (or the
    window's minimum, on a screen smaller than that); else fit the screen. Either way on screen."""
    available = _available(window)
    restored = bool(saved) and window.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))
    if available.isNull():
        if not restored:
            window.resize(PREFERRED)
        return
    limit = available.size().expandedTo(window.minimumSize())
    if not (restored and window.width() <= limit.width() and window.height() <= limit.height()):
        window.resize(PREFERRED.boundedTo(available.size()).expandedTo(window.minimumSize()))
    elif available.contains(window.frameGeometry().topLeft()):
        return
    frame = window.frameGeometry()
    frame.moveCenter(available.center())
    window.move(frame.topLeft())


def saved_geometry(window: QWidget) -> str:
    """The window's geometry as text for the preferences file."""
    return bytes(window.saveGeometry().toBase64().data()).decode("ascii")


def _available(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect()
