"""The look: a CJK font that shows Simplified-Chinese glyph shapes, and a light stylesheet."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

# Simplified-Chinese shapes first: fontconfig otherwise prefers the Japanese variant of Noto CJK.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)

STYLESHEET = """
QListWidget#nav {
    background: #1f2d3d; color: #dfe6ee; border: none; padding-top: 12px; font-size: 11pt; outline: none;
}
QListWidget#nav::item { padding: 10px 18px; }
QListWidget#nav::item:selected { background: #2f6fb3; color: white; }
QListWidget#nav::item:hover:!selected { background: #2a3b4f; }
QListWidget#nav::item:disabled { color: #7d8b99; }
QWidget#lockCover { background: #1f2d3d; }
QLabel#coverTitle { color: white; font-size: 20pt; font-weight: 600; }
QLabel#coverText { color: #c9d3dd; font-size: 11pt; }
QLabel#pageTitle { font-size: 15pt; font-weight: 600; padding: 6px 2px 8px 2px; }
QLabel#welcomeTitle { font-size: 20pt; font-weight: 600; }
QLabel#welcomeText, QLabel#placeholderText { font-size: 11pt; color: #333; }
QLabel#hint { color: #666; }
QLabel#countLabel { color: #444; padding-left: 8px; }
QLabel#demoBadge { background: #f0ad4e; color: #222; border-radius: 3px; padding: 1px 8px; }
QPushButton#bigButton { font-size: 11pt; padding: 8px 18px; }
QFrame#dropArea { border: 2px dashed #9db4cc; border-radius: 8px; background: #f7fafd; }
QLabel#sectionTitle { font-size: 12pt; font-weight: 600; }
QLabel#summary { font-size: 11pt; line-height: 150%; }
QLabel#errorText { color: #b00020; }
QFrame#kpiTile { background: #ffffff; border: 1px solid #d5dde6; border-radius: 6px; }
QFrame#kpiTile:focus { border: 2px solid #2f6fb3; }
QFrame#kpiTile:hover { background: #f3f7fb; }
QLabel#kpiName { color: #445; font-size: 9pt; }
QLabel#kpiValue { font-size: 16pt; font-weight: 600; color: #1f2d3d; }
QLabel#kpiDetail { color: #666; font-size: 8.5pt; }
"""


def apply_style(app: QApplication) -> None:
    """Chinese text (names, merchants) shows in both languages, so the CJK font is always first."""
    families = set(QFontDatabase.families())
    font = QFont(app.font())
    for family in CJK_FAMILIES:
        if family in families:
            font.setFamilies([family])
            break
    font.setPointSize(10)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
