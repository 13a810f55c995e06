"""The audit trail as a page of its own, for the roles that may read the trail but have no administration page
(monitors, investigators, study nurses): the same screen as the administration's audit tab (the check, the
filters, the table and the CSV export), with that tab's rules: reading only; recording a reason for a finding
stays with the site administrator."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ecrf.services.integrity import Integrity
from ecrf.services.session import SiteSession
from ecrf.ui.admin.audit_tab import AuditTab
from ecrf.ui.page import Page


class AuditTrailPage(Page):
    trailChecked = Signal(object)  # a check made here (an Integrity): the window's banner follows

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("audit_trail_page")
        heading = QLabel(self.tr("Audit trail"))
        heading.setObjectName("audit_title")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        self.audit = AuditTab(session)
        self.audit.trailChecked.connect(self.trailChecked)
        inner = self.audit.layout()
        assert inner is not None
        inner.setContentsMargins(0, 0, 0, 0)  # the page has its margins already
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.audit, 1)

    def title(self) -> str:
        return self.tr("Audit trail")

    def refresh(self) -> None:
        self.audit.refresh()

    def show_trail_check(self, found: Integrity) -> None:
        """The window's banner checked the trail: a report shown here follows it (as on the administration page)."""
        if self.audit.found not in (None, found):
            self.audit.show_found(found)
