"""Reading the audit trail on screen: the filter bar, a caption with the count, the table (read page by page as
it scrolls) and the export of the filtered view to CSV (on a worker: a site's whole trail can be large)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import audit_trail, audit_trail_export
from ecrf.services.audit_trail import TrailFilter
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs
from ecrf.ui.admin import audit_events
from ecrf.ui.admin.audit_events import AuditModel, export_header, export_row
from ecrf.ui.admin.audit_filter import FilterBar
from ecrf.ui.background import Operation
from ecrf.ui.file_dialogs import ask_save_file
from ecrf.ui.read_only_table import read_only_rows

# Widest a column gets from its contents; longer texts are elided ("…") and the tooltip shows them whole. With
# these caps every column but the stretching last one (Reason) fits a 1366 px screen in English and Chinese.
CAPPED = {audit_events.USER: 110, audit_events.ROLE: 130, audit_events.ACTION: 170, audit_events.WORKSTATION: 100,
          audit_events.WHERE: 190, audit_events.CHANGE: 170}


def ask_export_target(parent: QWidget, suggested: str) -> Path | None:
    """Where to write the CSV; None when cancelled (tests replace this function)."""
    name = ask_save_file(parent, "export", QCoreApplication.translate("AuditBrowser", "Export the audit trail as"),
                         suggested, QCoreApplication.translate("AuditBrowser", "CSV for Excel (*.csv)"))
    if name is None:
        return None
    return name if name.suffix else name.with_suffix(".csv")


class AuditBrowser(QWidget):
    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operation: Operation | None = None
        self.where = TrailFilter()
        self.total = 0
        self.filters = FilterBar(session.clock.now().date())
        self.filters.changed.connect(self.apply)
        self.export_button = QPushButton(self.tr("Export to CSV…"))
        self.export_button.setObjectName("export_csv")
        self.export_button.setToolTip(self.tr("Saves the events of the filter set here, for Excel (UTF-8). The "
                                              "export is recorded in the audit trail."))
        self.export_button.clicked.connect(lambda _c=False: self.export())
        self.caption = QLabel()
        self.caption.setObjectName("caption")
        self.model = AuditModel(session)
        self.model.failed.connect(self._read_failed)
        self.model.rowsInserted.connect(lambda *_a: self._show_caption())
        self.table = self._make_table()
        top = QHBoxLayout()
        top.addWidget(self.filters, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("events")
        table.setModel(self.model)
        read_only_rows(table, single=False)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        return table

    def refresh(self) -> None:
        """Read the lists and the first page again (the trail grows while the screen is open)."""
        try:
            self.filters.set_choices(audit_trail.choices(self.session))
        except Exception as exc:  # noqa: BLE001 - e.g. the session is locked
            self._read_failed(exc)
            return
        self.apply()

    def apply(self) -> None:
        where = self.filters.value()
        try:
            self.total = audit_trail.count(self.session, where)
        except Exception as exc:  # noqa: BLE001
            self._read_failed(exc)
            return
        self.where = where
        self.model.start(lambda before: audit_trail.page(self.session, where, before))
        self.table.scrollToTop()  # newest first: a new filter starts at its newest events, not where the last one was
        self._fit_columns()
        self._show_caption()

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()
        for column, widest in CAPPED.items():
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))

    def _show_caption(self) -> None:
        shown = self.model.rowCount()
        if self.total == 0:
            text = self.tr("No event matches this filter.") if not self.where.empty else self.tr("No events yet.")
        elif shown < self.total:
            text = self.tr("{0} of {1} events, newest first; scroll down for more.").format(shown, self.total)
        else:
            text = self.tr("{0} events, newest first.").format(self.total)
        self.caption.setText(text)
        self.export_button.setEnabled(self.total > 0)

    def _read_failed(self, exc: BaseException) -> None:
        dialogs.show_error(self, self.tr("Audit trail"), dialogs.error_text(exc))

    def export(self) -> None:
        stamp = self.session.clock.now().strftime("%Y%m%d-%H%M")  # clock: a file name, not a shown time
        target = ask_export_target(self, f"audit-trail-{self.session.site_code}-{stamp}.csv")
        if target is None:
            return
        where, words, session = self.where, self.filters.words(), self.session
        header = export_header()
        self.export_button.setEnabled(False)

        def work(_progress: object) -> int:
            return audit_trail_export.export_csv(session, where, target, header, lambda e: export_row(session, e),
                                                 words)

        def done(written: int) -> None:
            self.refresh()  # the export is an event now
            dialogs.show_info(self, self.tr("Audit trail exported"),
                              self.tr("{0} events were saved to {1}.").format(written, target))

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            dialogs.show_error(self, self.tr("Export the audit trail"), dialogs.error_text(exc))

        self.operation = dialogs.run_with_progress(self, self.tr("Exporting the audit trail…"), work, done,
                                                   on_failure=failed)
