"""The screening panel of a subject not yet allocated: the eligibility verdict with every reason, and the
way on: open the eligibility form, allocate (from the list, or manually), or record a screen failure."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecrf.services.permissions import Do, may
from ecrf.study.eligibility import Eligibility
from ecrf.ui.i18n import text_lang

VERDICT_STYLE = {True: "background: #d4ecd6; color: #1b5e20;", False: "background: #f7c9c4; color: #8e1c12;",
                 None: "background: #ffedb3; color: #5d4300;"}


class ScreeningPanel(QGroupBox):
    eligibilityFormRequested = Signal()
    allocateRequested = Signal()
    manualAllocationRequested = Signal()
    screenFailureRequested = Signal()

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Screening: eligibility and allocation"))
        self.setObjectName("screening")
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.reasons = QLabel()
        self.reasons.setObjectName("reasons")
        self.reasons.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, signal, allowed in (
                ("eligibility_form", self.tr("Open eligibility form"), self.eligibilityFormRequested, True),
                ("allocate", self.tr("Allocate…"), self.allocateRequested, may(role, Do.ALLOCATE)),
                ("manual_allocation", self.tr("Manual allocation…"), self.manualAllocationRequested,
                 may(role, Do.ALLOCATE_MANUALLY)),
                ("screen_failure", self.tr("Record screen failure…"), self.screenFailureRequested,
                 may(role, Do.END_PARTICIPATION))):
            if not allowed:
                continue  # a role never sees a button it may not use
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button)
            self.buttons[name] = button
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.reasons)
        layout.addLayout(buttons)

    def show_eligibility(self, verdict: Eligibility) -> None:
        lang = text_lang()
        if verdict.eligible is True:
            text = self.tr("✓ Eligible: every criterion is met. The subject can be allocated.")
        elif verdict.eligible is False:
            text = self.tr("✗ Not eligible: {0} criteria not met.").format(len(verdict.reasons))
        else:
            text = self.tr("? Eligibility not decided yet: {0} criteria still open.").format(len(verdict.open))
        self.verdict.setText(text)
        self.verdict.setStyleSheet(VERDICT_STYLE[verdict.eligible] + "padding: 4px 8px; font-weight: bold;")
        lines = [f"✗ {r.text.get(lang)}" for r in verdict.reasons] + [f"? {r.text.get(lang)}" for r in verdict.open]
        self.reasons.setText("\n".join(lines))
        self.reasons.setVisible(bool(lines))
        for name in ("allocate", "manual_allocation"):
            if name in self.buttons:
                self.buttons[name].setEnabled(verdict.eligible is True)
                self.buttons[name].setToolTip("" if verdict.eligible is True else self.tr(
                    "Allocation needs every eligibility criterion met."))
