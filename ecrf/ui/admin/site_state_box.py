"""The site's state in the administration's site tab: open, frozen (no data entry; queries are answered and
data verified, e.g. before the final export) or locked (nothing but reading and export), changed with a reason."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ecrf.services import locks
from ecrf.services.session import SiteSession
from ecrf.study.status import SiteState
from ecrf.ui import dialogs


class SiteStateBox(QGroupBox):
    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Freeze or lock the site"), parent)
        self.session = session
        column = QVBoxLayout(self)
        text = QLabel(self.tr(
            "Frozen: no data can be entered or changed, but queries are still answered and the monitor still "
            "verifies (before the final export). Locked: nothing but reading and export. Each change needs a "
            "reason and is in the audit trail."))
        text.setWordWrap(True)
        self.state_label = QLabel()
        self.state_label.setObjectName("site_state")
        self.state_label.setStyleSheet("font-weight: bold;")
        row = QHBoxLayout()
        self.buttons: dict[SiteState, QPushButton] = {}
        for state, label, call in ((SiteState.FROZEN, self.tr("Freeze…"), locks.freeze_site),
                                   (SiteState.LOCKED, self.tr("Lock site…"), locks.lock_site),
                                   (SiteState.OPEN, self.tr("Reopen…"), locks.reopen_site)):
            button = QPushButton(label)
            button.setObjectName(f"site_{state.value}")
            button.clicked.connect(lambda _c=False, s=state, f=call: self.change(s, f))
            self.buttons[state] = button
            row.addWidget(button)
        row.addStretch(1)
        for widget in (text, self.state_label):
            column.addWidget(widget)
        column.addLayout(row)
        self.refresh()

    def state_names(self) -> dict[SiteState, str]:
        return {SiteState.OPEN: self.tr("open: data entry as usual"),
                SiteState.FROZEN: self.tr("frozen: no data entry; queries and verification go on"),
                SiteState.LOCKED: self.tr("locked: reading and export only")}

    def refresh(self) -> None:
        try:
            state = locks.current_site_state(self.session)
        except Exception as exc:  # noqa: BLE001
            self.state_label.setText(dialogs.error_text(exc))
            return
        self.state_label.setText(self.tr("The site is {0}.").format(self.state_names()[state]))
        for target, button in self.buttons.items():
            button.setEnabled(target is not state)

    def change(self, state: SiteState, call: Callable[[SiteSession, str], None]) -> bool:
        reason = dialogs.ask_reason(self, self.tr("Site state"), self.tr(
            "Why is the site to be {0}?").format(self.state_names()[state]))
        if reason is None:
            return False
        try:
            call(self.session, reason)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, self.tr("Site state"), dialogs.error_text(exc))
            return False
        self.refresh()
        return True
