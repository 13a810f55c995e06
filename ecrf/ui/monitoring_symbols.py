"""The monitoring symbols every screen uses (matrix, SDV matrix, subject page, form header) and their legend:
a symbol and words, never colour alone. ☑ verified, ! changed since verified, ? open or answered queries,
✎ signed, ✎✗ signature broken, 🔒 locked (the letter L where the font has no padlock)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ecrf.services.monitoring_view import MonitoringState
from ecrf.study.status import SdvState, SignatureState

VERIFIED, CHANGED, QUERY, SIGNED, BROKEN = "☑", "!", "?", "✎", "✎✗"  # ☑, not ✓: ✓ is "complete"
PADLOCK = "\U0001F512"


def lock_symbol() -> str:
    """🔒 when the application font (or its fallback) can draw it, else L."""
    app = QApplication.instance()
    if app is None:
        return "L"
    return PADLOCK if QFontMetrics(QApplication.font()).inFontUcs4(ord(PADLOCK)) else "L"


def symbols(state: MonitoringState) -> str:
    """The compact marks of a cell: e.g. "✓ ?2 ✎ 🔒"."""
    parts = []
    if state.sdv.state is SdvState.VERIFIED:
        parts.append(VERIFIED)
    elif state.sdv.state is SdvState.CHANGED:
        parts.append(CHANGED)
    if state.queries:
        parts.append(f"{QUERY}{state.queries}")
    if state.signature is SignatureState.VALID:
        parts.append(SIGNED)
    elif state.signature is SignatureState.BROKEN:
        parts.append(BROKEN)
    if state.locked:
        parts.append(lock_symbol())
    return " ".join(parts)


def sdv_count(state: MonitoringState) -> str:
    """ "3/5" verified of required, or "" when nothing is to be verified."""
    return f"{state.sdv.verified}/{state.sdv.required}" if state.sdv.required else ""


def describe(state: MonitoringState) -> str:
    """The same in words (tooltips, the form header)."""
    translate = QCoreApplication.translate
    parts = []
    if state.sdv.required:
        parts.append(translate("Monitoring", "SDV: {0} of {1} verified").format(state.sdv.verified, state.sdv.required))
        if state.sdv.changed:
            parts.append(translate("Monitoring", "{0} changed since verified").format(state.sdv.changed))
    if state.queries:
        parts.append(queries_words(state.queries))
    if state.signature is SignatureState.VALID:
        parts.append(translate("Monitoring", "signed"))
    elif state.signature is SignatureState.BROKEN:
        parts.append(translate("Monitoring", "signature broken (data changed after signing)"))
    if state.locked:
        parts.append(translate("Monitoring", "locked"))
    return " · ".join(parts)


def queries_words(count: int) -> str:
    """The queries still open or answered, as "not closed" (the Chinese 未关闭), with a singular for one."""
    translate = QCoreApplication.translate
    if count == 1:
        return translate("Monitoring", "1 query not closed")
    return translate("Monitoring", "{0} queries not closed").format(count)


def item_symbol(state: SdvState) -> str:
    return {SdvState.VERIFIED: VERIFIED, SdvState.CHANGED: CHANGED}.get(state, "")


def item_text(state: SdvState) -> str:
    translate = QCoreApplication.translate
    return {SdvState.VERIFIED: translate("Monitoring", "verified"),
            SdvState.CHANGED: translate("Monitoring", "changed since verified"),
            SdvState.NOT_VERIFIED: translate("Monitoring", "not verified yet")}.get(state, "")


class MonitoringLegend(QLabel):
    """One line: what each monitoring symbol means."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monitoring_legend")
        self.setWordWrap(True)
        self.setText("   ".join((
            self.tr("n/m: items verified of those to verify"), f"{VERIFIED} " + self.tr("verified"),
            f"{CHANGED} " + self.tr("changed since verified"), f"{QUERY} " + self.tr("queries not closed"),
            f"{SIGNED} " + self.tr("signed"), f"{BROKEN} " + self.tr("signature broken"),
            f"{lock_symbol()} " + self.tr("locked"))))
