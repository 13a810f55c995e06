"""The legend under the matrix: what each colour and symbol of a visit cell means.

The cells themselves are drawn by Qt's own delegate from the model's background, foreground and text
roles. A Python `paint()` override was tried and dropped: besides being slower, with PySide6 6.12 on
Python 3.11 every void Qt call made from Python drops a reference to None, and a paint override makes
thousands of them per screen (the interpreter then aborts with "deallocating None")."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ecrf.services.overview import CellState
from ecrf.ui.flow_layout import FlowLayout
from ecrf.ui.matrix.model import (
    CANCELLED_SYMBOL,
    STATE_BACKGROUND,
    STATE_FOREGROUND,
    STATE_SYMBOL,
)


class Legend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        layout = FlowLayout(self, spacing=6)  # chips wrap to a second row on a narrow window
        entries = [(CellState.COMPLETE, STATE_SYMBOL[CellState.COMPLETE], self.tr("complete")),
                   (CellState.IN_PROGRESS, STATE_SYMBOL[CellState.IN_PROGRESS], self.tr("in progress")),
                   (CellState.NOT_STARTED, STATE_SYMBOL[CellState.NOT_STARTED], self.tr("due, not started")),
                   (CellState.ATTENTION, STATE_SYMBOL[CellState.ATTENTION], self.tr("needs attention")),
                   (CellState.NOT_DUE, STATE_SYMBOL[CellState.NOT_DUE], self.tr("not due yet")),
                   (CellState.NOT_DUE, CANCELLED_SYMBOL, self.tr("cancelled"))]
        for state, symbol, text in entries:
            layout.addWidget(self._chip(state, f"{symbol} {text}"))
        note = QLabel(self.tr("2/5: forms done · late: window closed · +3d: done 3 days after the window"))
        note.setObjectName("legend_note")
        note.setWordWrap(True)  # a narrow screen wraps the note rather than widening the window
        layout.addWidget(note)

    @staticmethod
    def _chip(state: CellState, text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet(f"background: {STATE_BACKGROUND[state].name()}; color: {STATE_FOREGROUND[state].name()};"
                            "border-radius: 3px; padding: 2px 6px;")
        return label
