"""The monitoring visit report dialog: the period of the visit (from the monitor's first login today until now,
unless changed), what the report will say, and "Save PDF…". Reading only; the PDF is made by the service
`ecrf.services.visit_report`. Every message goes through `ecrf.ui.dialogs`."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDateTime, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecrf.errors import EcrfError
from ecrf.services import visit_report
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs
from ecrf.ui.file_dialogs import ask_save_file, start_folder

DATE_TIME_FORMAT = "yyyy-MM-dd HH:mm"


def ask_file(parent: QWidget, suggested: str) -> str | None:
    """Where to save the PDF; None when cancelled (tests replace this function)."""
    title = QCoreApplication.translate("VisitReportDialog", "Save the monitoring visit report")
    chosen = ask_save_file(parent, "export", title, Path(suggested).name, "PDF (*.pdf)")
    return str(chosen) if chosen else None


def to_qt(utc_text: str) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(visit_report.moment_of(utc_text).timestamp()))


def from_qt(moment: QDateTime) -> str:
    return visit_report.utc_of(datetime.fromtimestamp(moment.toSecsSinceEpoch(), UTC))


class VisitReportDialog(QDialog):
    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.saved: Path | None = None
        self.setWindowTitle(self.tr("Monitoring visit report"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "The report lists what you verified during this visit, the queries raised, answered and closed in it, "
            "and what is still open: open queries and forms whose source data verification is not done or must "
            "be redone. Print it or send it at the end of the visit."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self._period())
        self.summary = QLabel()
        self.summary.setObjectName("report_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        unsigned = QLabel(self.tr(
            "The report is not signed: monitors hold no site signing key. The next export bundle carries the same "
            "facts, signed by the site."))
        unsigned.setWordWrap(True)
        layout.addWidget(unsigned)
        layout.addStretch(1)
        layout.addWidget(self._buttons())
        self.refresh()

    def _period(self) -> QFormLayout:
        form = QFormLayout()
        try:
            period = visit_report.default_period(self.session)
            since, until = to_qt(period.since), to_qt(period.until)
        except EcrfError as exc:
            dialogs.show_error(self, self.windowTitle(), dialogs.error_text(exc))
            since = until = QDateTime.currentDateTime()
        self.since = self._edit(since, "report_since")
        self.until = self._edit(until, "report_until")
        form.addRow(self.tr("From (local time)"), self.since)
        form.addRow(self.tr("To (local time)"), self.until)
        return form

    def _edit(self, moment: QDateTime, name: str) -> QDateTimeEdit:
        edit = QDateTimeEdit(moment)
        edit.setObjectName(name)
        edit.setDisplayFormat(DATE_TIME_FORMAT)
        edit.setCalendarPopup(True)
        edit.editingFinished.connect(self.refresh)
        return edit

    def _buttons(self) -> QDialogButtonBox:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton(self.tr("Save PDF…"))
        self.save_button.setObjectName("report_save")
        self.save_button.setDefault(True)
        box.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        box.rejected.connect(self.reject)
        return box

    def _bounds(self) -> tuple[str, str]:
        # The minute shown is what the user chose: take the whole of the last minute.
        return from_qt(self.since.dateTime()), from_qt(self.until.dateTime().addSecs(59))

    def refresh(self) -> None:
        """What the report will say for the period shown."""
        try:
            report = visit_report.visit_report(self.session, *self._bounds())
        except EcrfError as exc:
            self.summary.setText(dialogs.error_text(exc))
            self.save_button.setEnabled(False)
            return
        self.save_button.setEnabled(True)
        self.summary.setText(self.tr(
            "In this visit: {0} items on {1} forms verified; {2} queries raised, {3} answered, {4} closed or "
            "cancelled.\nStill open: {5} queries; {6} forms to verify.").format(
            report.items_verified, len(report.verified), len(report.raised), len(report.answered),
            len(report.closed), len(report.open_queries), len(report.outstanding)))

    def save(self) -> None:
        day = self.until.date().toString("yyyyMMdd")
        suggested = str(start_folder("export") / f"visit_report_{self.session.site_code}_{day}.pdf")
        chosen = ask_file(self, suggested)
        if chosen is None:
            return
        path = Path(chosen) if chosen.lower().endswith(".pdf") else Path(chosen + ".pdf")
        try:
            visit_report.write_visit_report(self.session, path, *self._bounds())
        except EcrfError as exc:
            dialogs.show_error(self, self.windowTitle(), dialogs.error_text(exc))
            return
        self.saved = path
        dialogs.show_info(self, self.windowTitle(), self.tr("The visit report was saved to {0}.").format(path))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.save_button.hasFocus():
            self.refresh()  # Enter in a date field updates the summary rather than opening the file dialog
            return
        super().keyPressEvent(event)
