"""The monitor's SDV progress matrix: subject x visit, "n of m verified" with the monitoring symbols, a filter
for what changed since it was verified (what the monitor must look at again), and a double-click that opens
the subject."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import monitoring_view, sdv
from ecrf.services.monitoring_view import MonitoringState
from ecrf.services.session import SiteSession
from ecrf.study.status import SdvState
from ecrf.ui import dialogs
from ecrf.ui.i18n import text_lang
from ecrf.ui.monitoring_symbols import MonitoringLegend, describe, sdv_count, symbols
from ecrf.ui.page import Page

LOGS = ""  # the column of the log entries (adverse events, medications)
BACKGROUND = {SdvState.VERIFIED: "#e8f5e9", SdvState.CHANGED: "#ffebee", SdvState.NOT_VERIFIED: "#fff8e1"}


class SdvMatrixPage(Page):
    subjectActivated = Signal(str)

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.lang = text_lang()
        self.states: dict[tuple[str, str], MonitoringState] = {}
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Source data verification progress"))
        heading.setObjectName("sdv_heading")
        heading.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.summary = QLabel()
        self.summary.setObjectName("sdv_summary")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        self.changed_only = QCheckBox(self.tr("Only subjects with data changed since verified"))
        self.changed_only.setObjectName("changed_only")
        self.changed_only.toggled.connect(self._filter)
        top.addWidget(self.changed_only)
        self.verify_visit_button = QPushButton(self.tr("Verify the selected visit"))
        self.verify_visit_button.setObjectName("verify_visit")
        self.verify_visit_button.setToolTip(self.tr(
            "Verify every item to verify on the completed forms of the chosen subject and visit"))
        self.verify_visit_button.clicked.connect(self.verify_selected_visit)
        top.addWidget(self.verify_visit_button)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        self.table = QTableWidget()
        self.table.setObjectName("sdv_table")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.cellDoubleClicked.connect(self._open)
        layout.addWidget(self.table, 1)
        layout.addWidget(MonitoringLegend())
        self.refresh()

    def title(self) -> str:
        return self.tr("SDV progress")

    def refresh(self) -> None:
        try:
            self.states = monitoring_view.matrix_states(self.session)
        except Exception as exc:  # noqa: BLE001 - the page says why it is empty
            self.summary.setText(dialogs.error_text(exc))
            return
        self._fill()

    def _columns(self) -> list[tuple[str, str]]:
        visits = [(v.code, v.code) for v in self.session.study.visits]
        return [*visits, (LOGS, self.tr("Logs")), ("*", self.tr("Subject"))]

    def _fill(self) -> None:
        columns = self._columns()
        totals = monitoring_view.subject_totals(self.states)
        subjects = sorted(totals)
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels([name for _, name in columns])
        self.table.setRowCount(len(subjects))
        self.table.setVerticalHeaderLabels(subjects)
        for row, label in enumerate(subjects):
            for column, (visit, _) in enumerate(columns):
                state = totals[label] if visit == "*" else self.states.get((label, visit))
                if state is not None:
                    self.table.setItem(row, column, self._cell(state))
        self.table.resizeColumnsToContents()
        site = monitoring_view.roll_up_states(totals.values())
        self.summary.setText(self.tr("{0} subjects · {1} of {2} items verified · {3} changed since verified").format(
            len(subjects), site.sdv.verified, site.sdv.required, site.sdv.changed))
        self._filter()

    @staticmethod
    def _cell(state: MonitoringState) -> QTableWidgetItem:
        item = QTableWidgetItem(f"{sdv_count(state)} {symbols(state)}".strip())
        item.setToolTip(describe(state))
        item.setData(Qt.ItemDataRole.UserRole, state.sdv.state.value)
        if state.sdv.state in BACKGROUND:
            item.setBackground(QBrush(QColor(BACKGROUND[state.sdv.state])))
        return item

    def _filter(self) -> None:
        only_changed = self.changed_only.isChecked()
        changed_column = self.table.columnCount() - 1
        for row in range(self.table.rowCount()):
            total = self.table.item(row, changed_column)
            changed = total is not None and total.data(Qt.ItemDataRole.UserRole) == SdvState.CHANGED.value
            self.table.setRowHidden(row, only_changed and not changed)

    def visible_subjects(self) -> list[str]:
        return [self.table.verticalHeaderItem(row).text() for row in range(self.table.rowCount())
                if not self.table.isRowHidden(row)]

    def selected_place(self) -> tuple[str, str] | None:
        """(subject, visit) of the current cell, when it is a visit's cell."""
        row, column = self.table.currentRow(), self.table.currentColumn()
        columns = self._columns()
        if row < 0 or not 0 <= column < len(columns) or columns[column][0] in (LOGS, "*"):
            return None
        return self.table.verticalHeaderItem(row).text(), columns[column][0]

    def verify_selected_visit(self) -> None:
        place = self.selected_place()
        if place is None:
            dialogs.show_info(self, self.tr("Verify visit"), self.tr("Choose a subject's visit in the table first."))
            return
        label, visit = place
        try:
            done = sdv.verify_visit(self.session, label, visit)
        except Exception as exc:  # noqa: BLE001 - refusals (forms not complete, site locked) are shown
            dialogs.show_error(self, self.tr("Verify visit"), dialogs.error_text(exc))
            return
        text = self.tr("{0} item(s) verified at {1} {2}.").format(done.items, label, visit)
        if done.not_complete:
            text += " " + self.tr("Not complete yet, so not verified: {0}.").format(", ".join(done.not_complete))
        dialogs.show_info(self, self.tr("Verify visit"), text)
        self.refresh()

    def _open(self, row: int, _column: int) -> None:
        self.subjectActivated.emit(self.table.verticalHeaderItem(row).text())
