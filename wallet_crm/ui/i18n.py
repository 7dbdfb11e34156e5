"""Install the interface language: our `.qm` and Qt's own (for standard buttons and dialogs)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from wallet_crm.resources import resources_dir

log = logging.getLogger(__name__)
_installed: list[QTranslator] = []


def install_language(app: QCoreApplication, language: str) -> bool:
    """Load translations for `language` (`zh_CN` or `en`); False when our `.qm` is missing."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China)
        if language == "zh_CN"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )
    if language == "en":
        return True
    ours = QTranslator(app)
    found = ours.load(f"wallet_crm_{language}", str(resources_dir() / "i18n"))
    if found:
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning("translation %s not found in %s; run `make translations`", language, resources_dir() / "i18n")
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    return found
