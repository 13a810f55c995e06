"""The home screen: every subject of the site against the visit schedule, with filters and a search."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import monitoring_view, overview, subjects
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.study.status import SubjectStatus
from ecrf.ui import dialogs
from ecrf.ui.flow_layout import FlowLayout
from ecrf.ui.i18n import text_lang
from ecrf.ui.matrix.legend import Legend
from ecrf.ui.matrix.model import (
    COL_ARM,
    COL_DAY0,
    COL_STATUS,
    COL_SUBJECT,
    LabelRole,
    SubjectMatrixModel,
)
from ecrf.ui.matrix.proxy import ACTIVE, SubjectFilterProxy
from ecrf.ui.matrix.view import FrozenColumnTable
from ecrf.ui.monitoring_symbols import MonitoringLegend
from ecrf.ui.page import Page


class MatrixPage(Page):
    subjectActivated = Signal(str)

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = SubjectMatrixModel(session.study, self)
        self.proxy = SubjectFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        layout.addWidget(self._filter_bar())
        layout.addWidget(self._table(), 1)
        layout.addLayout(self._footer())
        for signal in (self.proxy.modelReset, self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.layoutChanged):
            signal.connect(self._update_count)
        self.refresh()
        self.search.setFocus()

    def title(self) -> str:
        return self.tr("Subjects")

    # -- building ---------------------------------------------------------------------------

    def _filter_bar(self) -> QWidget:
        """Search, filters, count and the screening button in rows that wrap on a narrow window."""
        holder = QWidget()
        holder.setObjectName("filter_bar")
        bar = FlowLayout(holder)
        self.count = QLabel()
        self.count.setObjectName("count")
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Find subject (id or screening no.)"))
        self.search.setToolTip(self.tr("Type part of a subject id, screening number or allocation number; "
                                       "Enter opens the subject when only one is left."))
        self.search.setMinimumWidth(230)
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.textChanged.connect(self._fit_subject_column)
        self.search.returnPressed.connect(self._open_found)
        self.arm = QComboBox()
        self.arm.setObjectName("arm")
        self.arm.addItem(self.tr("All arms"), "")
        for arm in self.session.study.arms:
            self.arm.addItem(arm.code, arm.code)
            self.arm.setItemData(self.arm.count() - 1, arm.label.get(text_lang()), Qt.ItemDataRole.ToolTipRole)
        self.arm.currentIndexChanged.connect(lambda _i: self.proxy.set_arm(self.arm.currentData()))
        self.status = QComboBox()
        self.status.setObjectName("status")
        self.status.addItem(self.tr("All statuses"), "")
        self.status.addItem(self.tr("Active (screening or enrolled)"), ACTIVE)
        for status in SubjectStatus:
            self.status.addItem(self.model.status_names[status], status.value)
        self.status.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status.setMinimumContentsLength(14)
        self.status.currentIndexChanged.connect(lambda _i: self.proxy.set_status(self.status.currentData()))
        self.overdue = QCheckBox(self.tr("Overdue visits only"))
        self.overdue.setObjectName("overdue")
        self.overdue.toggled.connect(self.proxy.set_overdue_only)
        self.attention = QCheckBox(self.tr("Needs attention only"))
        self.attention.setObjectName("attention")
        self.attention.toggled.connect(self.proxy.set_attention_only)
        for widget in (self.search, self.arm, self.status, self.overdue, self.attention):
            bar.addWidget(widget)
        bar.addWidget(self.count)
        if may(self.session.actor.role, Do.SCREEN):
            self.screen_button = QPushButton(self.tr("Screen a new subject…"))
            self.screen_button.setObjectName("screen")
            self.screen_button.clicked.connect(self.screen_new)
            bar.addWidget(self.screen_button)
        return holder

    def _table(self) -> FrozenColumnTable:
        self.table = FrozenColumnTable()
        self.table.setObjectName("matrix")
        self.table.setModel(self.proxy)
        # Newest first: subjects in screening (screening numbers) and recent ones are the day's work.
        self.table.horizontalHeader().setSortIndicator(COL_SUBJECT, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        metrics = self.fontMetrics()
        widths = {COL_SUBJECT: metrics.horizontalAdvance("DEMO-S0000") + 28,
                  COL_ARM: metrics.horizontalAdvance("CTRL") + 32,
                  COL_STATUS: metrics.horizontalAdvance(self.model.status_names[SubjectStatus.SCREEN_FAILURE]) + 28,
                  COL_DAY0: metrics.horizontalAdvance("2026-12-31") + 28}
        visit_width = max(metrics.horizontalAdvance("! 10/10 " + self.model.late_text), 64) + 16
        for column in range(self.model.columnCount()):
            if self.model.is_visit_column(column):
                width = max(visit_width, *(metrics.horizontalAdvance(line) + 20
                                           for line in self.model.header_text(column).splitlines()))
            else:
                width = widths.get(column, metrics.horizontalAdvance("000") + 36)
            self.table.setColumnWidth(column, width)
        self._subject_width = widths[COL_SUBJECT]
        self.table.update_frozen_columns()
        self.table.activated.connect(self._activated)
        return self.table

    def _footer(self) -> QVBoxLayout:
        footer = QVBoxLayout()
        footer.addWidget(Legend())  # wraps its chips to a second row rather than widening the window
        footer.addWidget(MonitoringLegend())
        return footer

    # -- behaviour --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every subject (one read of the whole site) and keep the selected subject selected."""
        selected = self.selected_label()
        try:
            rows = overview.subject_rows(self.session)
        except Exception as exc:  # noqa: BLE001 - the page stays, empty, and says why
            dialogs.show_error(self, self.tr("Cannot show the subjects"), dialogs.error_text(exc))
            rows = []
        self.model.set_rows(rows)
        try:
            self.model.set_monitoring(monitoring_view.matrix_states(self.session))
        except Exception as exc:  # noqa: BLE001 - the matrix still shows entry progress
            dialogs.show_error(self, self.tr("Cannot show the monitoring states"), dialogs.error_text(exc))
        if selected:
            self.select_label(selected)
        self._update_count()

    def selected_label(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(LabelRole) if rows else None

    def select_label(self, label: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(LabelRole) == label:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def _fit_subject_column(self) -> None:
        """Room for "DEMO-015 · screening no. DEMO-S017" while a search finds subjects by another number;
        back to the label's width when it does not."""
        metrics = self.table.fontMetrics()
        widest = self.model.widest_subject_text(metrics.horizontalAdvance)
        width = max(self._subject_width, widest + 28)
        if width != self.table.columnWidth(COL_SUBJECT):
            self.table.setColumnWidth(COL_SUBJECT, width)
        self.table.viewport().update()
        self.table.frozen.viewport().update()

    def _update_count(self) -> None:
        self.count.setText(self.tr("{0} of {1} subjects").format(self.proxy.rowCount(), self.model.rowCount()))

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self.subjectActivated.emit(index.data(LabelRole))

    def _open_found(self) -> None:
        """Enter in the search box opens the subject typed, or the only one left by the filters."""
        typed = self.search.text().strip().casefold()
        rows = [self.proxy.row_at(n) for n in range(self.proxy.rowCount())]
        exact = [r for r in rows if typed in {(n or "").casefold() for n in (r.label, r.screening_no, r.subject_id)}]
        found = exact or rows
        if typed and len(found) == 1:
            self.subjectActivated.emit(found[0].label)

    def screen_new(self) -> None:
        if not dialogs.ask_yes_no(self, self.tr("Screen a new subject"), self.tr(
                "Register a new subject in screening? The next screening number is given to the subject "
                "now and stays in the records.")):
            return
        try:
            label = subjects.screen_subject(self.session)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, self.tr("Screen a new subject"), dialogs.error_text(exc))
            return
        self.refresh()
        self.subjectActivated.emit(label)

