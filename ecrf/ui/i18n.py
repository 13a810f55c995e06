"""Switching the interface language: our own .qm plus Qt's qtbase_*.qm (standard buttons, dialogs).

Form labels come from the study definition (`Text.get(lang)`); `text_lang()` maps the UI language to
the definition's language key. Numbers and dates are shown the same way in both languages (ISO dates,
'.' as decimal point), so the C locale is used for formatting whatever the language.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ecrf.paths import ShippedDataMissing, resource_path

_installed: list[QTranslator] = []
_current = "en"


def install_language(language: str) -> bool:
    """Install the translators of `language` ('en' or 'zh_CN'); False when our .qm is missing."""
    global _current
    app = QCoreApplication.instance()
    assert app is not None
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _current = language
    QLocale.setDefault(QLocale.c())
    if language == "en":
        return True
    ours, qt = QTranslator(app), QTranslator(app)
    try:
        found = ours.load(str(resource_path("translations", f"ecrf_{language}.qm")))
    except ShippedDataMissing:  # an incomplete install: the app stays in English rather than not starting
        found = False
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    if found:
        app.installTranslator(ours)
        _installed.append(ours)
    return found


def calendar_locale() -> QLocale:
    """The locale for month and weekday names in calendars (only there: numbers and dates stay C/ISO)."""
    return QLocale(QLocale.Language.Chinese, QLocale.Country.China) if _current.startswith("zh") else QLocale.c()


def current_language() -> str:
    return _current


def text_lang() -> str:
    """The study definition's language key for the current UI language ('en' or 'zh')."""
    return "zh" if _current.startswith("zh") else "en"
