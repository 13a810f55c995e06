"""The banner across the top of the main window that says what the audit trail check at open found.

The check (chain, seals, personal keys, replay of every value) reads the whole trail, so it runs on a worker
after the window shows and the window stays usable meanwhile. Nothing shows while the trail is sound. A finding
shows red to every user until a site administrator records a reason ("Record a reason…", offered to the
administrator only), then amber: export works again and every bundle carries the finding."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ecrf.services import integrity
from ecrf.services.integrity import Integrity
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs, trail_report
from ecrf.ui.background import Operation

# (background, text, border): white on red cannot be overlooked; amber is a standing, acknowledged fact.
STYLES = {"red": ("#b00020", "#ffffff", "#7f0016"), "amber": ("#fff4e0", "#5c3a00", "#e69500")}


class TrailBanner(QFrame):
    """`start_check()` after login; `checked(Integrity)` after every check, here or after a recorded reason."""

    checked = Signal(object)

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("trail_banner")
        self.found: Integrity | None = None
        self.operation: Operation | None = None
        self.details: trail_report.ReportDialog | None = None
        self._after_unlock = False  # the check met a locked session: it runs again once unlocked
        self.text = QLabel()
        self.text.setObjectName("trail_banner_text")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QPushButton(self.tr("Details…"))
        self.details_button.setObjectName("trail_details")
        self.details_button.clicked.connect(lambda _c=False: self.show_details())
        self.reason_button = QPushButton(self.tr("Record a reason…"))
        self.reason_button.setObjectName("trail_reason")
        self.reason_button.clicked.connect(lambda _c=False: self.record_reason())
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.text, 1)
        row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.reason_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    # -- the check --------------------------------------------------------------------------

    def start_check(self) -> None:
        """Run the whole check on a worker (a new set of problems is audited there, once)."""
        if self.is_checking():
            return
        self._after_unlock = False
        session = self.session
        self.operation = (Operation(lambda _progress: integrity.check(session))
                          .on_success(self._alive(self.show_result))
                          .on_failure(self._alive(self._check_failed)).start())

    def is_checking(self) -> bool:
        return self.operation is not None and not self.operation.done

    def resume(self) -> None:
        """The session was unlocked: run the check that the lock stopped."""
        if self._after_unlock:
            self.start_check()

    def _alive(self, slot: Callable[[Any], None]) -> Callable[[Any], None]:
        # The worker may finish after the window closed (log out, language switch): drop its result then.
        def call(value: Any) -> None:
            if shiboken6.isValid(self):
                slot(value)
        return call

    def _check_failed(self, exc: BaseException) -> None:
        if self.session.locked:
            self._after_unlock = True
            return
        self._paint("red", self.tr("The audit trail check could not run: {0}").format(dialogs.error_text(exc)))
        self.details_button.hide()
        self.reason_button.hide()

    # -- showing ----------------------------------------------------------------------------

    def show_result(self, found: Integrity) -> None:
        self.found = found
        if found.ok:
            self.hide()
        else:
            self._paint("red" if found.blocking else "amber", trail_report.banner_text(found))
            self.details_button.show()
            self.reason_button.setVisible(trail_report.may_acknowledge(self.session, found))
        self.checked.emit(found)

    def _paint(self, kind: str, text: str) -> None:
        self.setProperty("kind", kind)
        background, colour, border = STYLES[kind]
        self.setStyleSheet(f"QFrame#trail_banner {{ background: {background}; border-bottom: 2px solid {border}; }}"
                           f" QLabel#trail_banner_text {{ color: {colour}; font-weight: bold; }}")
        self.text.setText(text)
        self.show()

    def kind(self) -> str | None:
        """'red', 'amber', or None while hidden (for tests and screenshots)."""
        return None if self.isHidden() else str(self.property("kind"))

    def show_details(self) -> None:
        if self.found is None:
            return
        if self.details is not None and shiboken6.isValid(self.details):
            self.details.close()
        self.details = trail_report.ReportDialog(self.found, self.window())
        self.details.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details.open()  # window-modal without a nested event loop: the idle lock keeps running

    def record_reason(self) -> None:
        """The administrator says why the site goes on; the banner turns amber after the re-check."""
        if not trail_report.may_acknowledge(self.session, self.found):
            return

        def failed(exc: BaseException) -> None:
            dialogs.show_error(self, QCoreApplication.translate("TrailReport", "Record a reason"),
                               dialogs.error_text(exc))

        self.operation = trail_report.acknowledge(self.window(), self.session, self._alive(self.show_result),
                                                  self._alive(failed)) or self.operation
