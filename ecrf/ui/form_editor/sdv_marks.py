"""Source data verification in the form editor: beside every item the plan asks to verify, a tick for the
monitor ("verified"; un-ticking asks the reason) or, for everyone else, the state in a symbol and words; and
under the header one line with the form's monitoring state (SDV n of m, queries, signature, lock)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from ecrf.study.status import SdvState
from ecrf.ui.form_editor.findings_view import paint_text
from ecrf.ui.monitoring_symbols import item_symbol, item_text

STATE_COLOUR = {SdvState.VERIFIED: "#1b5e20", SdvState.CHANGED: "#b71c1c", SdvState.NOT_VERIFIED: "#5f6b73"}


class SdvMarker(QWidget):
    """toggled(item code, ticked): the monitor ticked or un-ticked the item."""

    toggled = Signal(str, bool)

    def __init__(self, code: str, can_verify: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.setObjectName(f"sdv_{code}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.setSpacing(4)
        self.box: QCheckBox | None = None  # the monitor's tick; nobody else gets one
        if can_verify:
            self.box = QCheckBox(self.tr("Verified"))
            self.box.setObjectName(f"sdv_tick_{code}")
            self.box.clicked.connect(lambda ticked: self.toggled.emit(self.code, ticked))
            layout.addWidget(self.box)
        self.label = QLabel()
        self.label.setObjectName(f"sdv_state_{code}")
        layout.addWidget(self.label)
        self.state = SdvState.NOT_REQUIRED

    def show_state(self, state: SdvState, complete: bool) -> None:
        """The tick is offered only on a completed form; "changed since verified" shows with the tick too."""
        self.state = state
        self.setVisible(state is not SdvState.NOT_REQUIRED)
        if self.box is not None:
            self.box.blockSignals(True)
            self.box.setChecked(state is SdvState.VERIFIED)
            self.box.setEnabled(complete)
            self.box.blockSignals(False)
        symbol = item_symbol(state)
        self.label.setText(f"{symbol} {item_text(state)}".strip())
        paint_text(self.label, STATE_COLOUR.get(state, "#5f6b73"))
