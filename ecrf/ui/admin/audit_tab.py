"""Audit trail tab: run the whole trail check (on a worker) and show its report, let the administrator record a
reason for a finding, and read the trail (read-only): filtered by subject, user, action and dates, page by page,
and exported to CSV as filtered."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ecrf.services import integrity
from ecrf.services.audit_trail import ChainReport
from ecrf.services.integrity import Integrity
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs, trail_report
from ecrf.ui.admin.audit_browser import AuditBrowser
from ecrf.ui.background import Operation


class AuditTab(QWidget):
    """`trailChecked(Integrity)` after every check here, so that the main window's banner follows."""

    trailChecked = Signal(object)

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operation: Operation | None = None
        self.report: ChainReport | None = None
        self.found: Integrity | None = None
        role = session.actor.role
        row = QHBoxLayout()
        self.verify_button = QPushButton(self.tr("Verify audit trail"))
        self.verify_button.setObjectName("verify")
        self.verify_button.setEnabled(may(role, Do.VERIFY_AUDIT))
        self.verify_button.clicked.connect(lambda _c=False: self.verify())
        self.reload_button = QPushButton(self.tr("Reload"))
        self.reload_button.setObjectName("reload")
        self.reload_button.clicked.connect(lambda _c=False: self.refresh())
        self.result = QLabel(self.tr("Checks that no event was changed, removed or inserted since it was written, "
                                     "that each is sealed by its user, and that every stored value follows from "
                                     "the trail."))
        self.result.setObjectName("verify_result")
        self.result.setWordWrap(True)
        row.addWidget(self.verify_button)
        row.addWidget(self.result, 1)
        row.addWidget(self.reload_button)
        self.details = QPlainTextEdit()
        self.details.setObjectName("verify_report")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(150)
        self.details.hide()
        self.reason_button = QPushButton(self.tr("Record a reason…"))
        self.reason_button.setObjectName("record_reason")
        self.reason_button.clicked.connect(lambda _c=False: self.record_reason())
        self.reason_button.hide()
        self.browser = AuditBrowser(session)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.details)
        layout.addWidget(self.reason_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.browser, 1)
        self.readable = may(role, Do.READ_AUDIT)
        self.browser.setVisible(self.readable)
        self.reload_button.setVisible(self.readable)
        self.refresh()

    def refresh(self) -> None:
        if not self.readable or self.session.actor.must_change_password:
            return
        self.browser.refresh()

    def verify(self) -> None:
        self.verify_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            dialogs.show_error(self, self.tr("Verify audit trail"), dialogs.error_text(exc))

        # The site's own check (not only the chain): its findings are audited and it says who acknowledged them.
        self.operation = dialogs.run_with_progress(self, self.tr("Verifying the audit trail…"),
                                                   lambda _p: integrity.check(self.session), self._verified,
                                                   on_failure=failed)

    def _verified(self, found: Integrity) -> None:
        self.show_found(found)
        self.trailChecked.emit(found)

    def show_found(self, found: Integrity) -> None:
        """Show a check's result: this tab's own, or the window banner's (so the two never disagree)."""
        self.verify_button.setEnabled(True)
        self.found, self.report = found, found.report
        self.result.setText(trail_report.summary_text(found))
        colour = "#1b5e20" if found.ok else "#b00020" if found.blocking else "#7a4a00"
        self.result.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.details.setPlainText("\n".join(trail_report.report_lines(found)))
        self.details.show()
        self.reason_button.setVisible(trail_report.may_acknowledge(self.session, found))
        self.refresh()

    def record_reason(self) -> None:
        def failed(exc: BaseException) -> None:
            dialogs.show_error(self, self.tr("Record a reason"), dialogs.error_text(exc))

        self.operation = trail_report.acknowledge(self, self.session, self._verified, failed) or self.operation
