"""The app's icon (resources/icons: drawn from wallet-crm.svg by packaging/make_icons.py)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from wallet_crm.resources import resources_dir

WINDOW_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The icon at every size we ship as PNG (Qt picks the nearest; files load when first drawn).

    PNGs rather than the SVG: drawing an SVG needs the QtSvg library and image plugin at run time."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in WINDOW_ICON_SIZES:
        path = folder / f"wallet-crm-{size}.png"
        if path.exists():
            icon.addFile(str(path), QSize(size, size))
    return icon
