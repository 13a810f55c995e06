"""The subject's visit schedule: each visit with its target date, window, visit date and state, and under
it the forms of the visit; activating a form asks for it to be opened (a FormRef). The row chosen stays chosen
when the schedule is read anew, and the page learns which visit it is in (the visit's queries show for it)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ecrf.services.monitoring_view import MonitoringState, SubjectMonitoring
from ecrf.services.overview import CellState, FormCell, SubjectRow, VisitCell
from ecrf.services.subject_data import FormRef
from ecrf.study.model import Study
from ecrf.ui.i18n import text_lang
from ecrf.ui.matrix.model import (
    STATE_BACKGROUND,
    STATE_FOREGROUND,
    SubjectMatrixModel,
    form_symbol,
)
from ecrf.ui.monitoring_symbols import MonitoringLegend, describe, sdv_count, symbols

RefRole = Qt.ItemDataRole.UserRole + 1
COLUMNS = 7
NAME_WIDTH = 300  # the first column (visit / form) at least
# Visits with work open now start unfolded; done, cancelled and future ones stay folded.
OPEN_STATES = frozenset({CellState.ATTENTION, CellState.IN_PROGRESS, CellState.NOT_STARTED})


class ScheduleTab(QWidget):
    """visitChanged(code): the row chosen is in another visit ('' for none); visitQueryRequested(code): the
    row's menu asked to raise a query on the visit (offered when `can_raise_query` is set)."""

    formRequested = Signal(object)
    visitChanged = Signal(str)
    visitQueryRequested = Signal(str)

    def __init__(self, study: Study, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.study = study
        self.can_raise_query = False
        self._visit = ""  # the visit of the row chosen, as last told
        self._rebuilding = False  # while the rows are made anew the row chosen is not a choice of the user
        self.names = SubjectMatrixModel(study, self)  # translated state and status names, shared with the matrix
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels([self.tr("Visit / form"), self.tr("Target"), self.tr("Window"),
                                              self.tr("Visit date"), self.tr("Schedule"), self.tr("State"),
                                              self.tr("Monitoring")])
        self.tree = QTreeView()
        self.tree.setObjectName("schedule")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.activated.connect(self._activated)
        self.tree.expanded.connect(lambda _index: self._fit_names())  # the forms shown now may be longer
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._current_changed())
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_menu)
        self.open_button = QPushButton(self.tr("Open form"))
        self.open_button.setObjectName("open_form")
        self.open_button.clicked.connect(lambda: self._activated(self.tree.currentIndex()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(MonitoringLegend())
        self._update_buttons()

    def add_below_tree(self, widget: QWidget) -> None:
        self._layout.insertWidget(1, widget)

    def show_row(self, row: SubjectRow, monitoring: SubjectMonitoring | None = None) -> None:
        """`monitoring`: SDV, queries, signature and lock per visit and form (a column of symbols)."""
        self.monitoring = monitoring
        expanded = {self.model.item(n).data(RefRole) for n in range(self.model.rowCount())
                    if self.tree.isExpanded(self.model.index(n, 0))}
        first_load = self.model.rowCount() == 0
        chosen = self.tree.currentIndex().siblingAtColumn(0).data(RefRole)
        self._rebuilding = True
        try:
            self.model.removeRows(0, self.model.rowCount())
            for cell in row.cells:
                items = self._visit_items(cell)
                for form in cell.forms:
                    items[0].appendRow(self._form_items(row.label, cell, form))
                self.model.appendRow(items)
                index = items[0].index()
                self.tree.setExpanded(index, cell.state in OPEN_STATES if first_load else cell.code in expanded)
            if chosen is not None:
                self._choose(self._index_of(chosen))
        finally:
            self._rebuilding = False
        for column, width in enumerate((NAME_WIDTH, 100, 190, 100, 210, 190)):
            self.tree.setColumnWidth(column, width)
        self._fit_names()
        self._current_changed()

    def _fit_names(self) -> None:
        """The first column as wide as the longest visit or form name shown (a form's name was cut off with
        "…"), at least its usual width and at most half the tree; a longer name has its tooltip."""
        self.tree.resizeColumnToContents(0)
        wanted = self.tree.columnWidth(0)
        self.tree.setColumnWidth(0, max(NAME_WIDTH, min(wanted, self.tree.viewport().width() // 2 or wanted)))

    def _visit_items(self, cell: VisitCell) -> list[QStandardItem]:
        lang, schedule = text_lang(), cell.schedule
        window = (f"{schedule.earliest.isoformat()} – {schedule.latest.isoformat()}"
                  if schedule.earliest and schedule.latest else "")
        texts = [f"{cell.code} – {schedule.visit.label.get(lang)}",
                 schedule.target.isoformat() if schedule.target else "", window,
                 schedule.actual.isoformat() if schedule.actual else "",
                 self.names.schedule_names[schedule.status],
                 f"{self.names.cell_text(cell)}  {self.names.state_names[cell.state]}"]
        state = self.monitoring.visits.get(cell.code) if self.monitoring else None
        items = [_item(text) for text in texts] + [self._monitoring_item(state)]
        items[0].setData(cell.code, RefRole)  # a visit row carries its code, a form row its FormRef
        font = items[0].font()
        font.setBold(True)
        items[0].setFont(font)
        state_item = items[-2]  # the entry state; the last column is monitoring
        state_item.setBackground(STATE_BACKGROUND[cell.state])
        state_item.setForeground(STATE_FOREGROUND[cell.state])
        for item in items[:-1]:
            item.setToolTip(self.names.cell_tip(cell))
        return items

    def _form_items(self, label: str, cell: VisitCell, form: FormCell) -> list[QStandardItem]:
        lang = text_lang()
        name = f"{form.form} – {self.study.form(form.form).label.get(lang)}"
        if form.timepoint:
            name += f" ({self.study.timepoints[form.timepoint].get(lang)})"
        items = [_item(name)] + [_item("") for _ in range(COLUMNS - 3)]
        items.append(_item(f"{form_symbol(form.status)} {self.names.form_status_names[form.status]}"))
        forms = self.monitoring.forms if self.monitoring else {}
        items.append(self._monitoring_item(forms.get((cell.code, form.form, form.timepoint, 0))))
        items[0].setData(FormRef(label, cell.code, form.form, form.timepoint), RefRole)
        items[0].setToolTip(name + "\n" + self.tr("Double-click or press Enter to open the form"))
        if form_symbol(form.status) == "○":
            items[-2].setForeground(QColor("#6e6e6e"))
        return items

    @staticmethod
    def _monitoring_item(state: MonitoringState | None) -> QStandardItem:
        if state is None:
            return _item("")
        item = _item(f"{sdv_count(state)} {symbols(state)}".strip())
        item.setToolTip(describe(state))
        return item

    def current_visit(self) -> str | None:
        """The visit of the row chosen (a visit row, or the visit of a form row)."""
        first = self.tree.currentIndex().siblingAtColumn(0)
        ref = first.data(RefRole)
        if isinstance(ref, FormRef):
            return ref.visit
        return ref if isinstance(ref, str) else None

    def current_ref(self) -> FormRef | None:
        ref = self.tree.currentIndex().siblingAtColumn(0).data(RefRole)
        return ref if isinstance(ref, FormRef) else None

    def select_visit(self, visit: str) -> bool:
        """Choose the visit's row and unfold its forms (opened from a query on the visit); False if not shown."""
        index = self._index_of(visit)
        if not index.isValid():
            return False
        self.tree.setExpanded(index, True)
        self._choose(index)
        return True

    def _index_of(self, ref: FormRef | str) -> QModelIndex:
        """The row of a visit (its code) or of a form (its FormRef); invalid when the schedule no longer has it."""
        for n in range(self.model.rowCount()):
            parent = self.model.item(n)
            if parent.data(RefRole) == ref:
                return parent.index()
            for m in range(parent.rowCount()):
                if parent.child(m).data(RefRole) == ref:
                    return parent.child(m).index()
        return QModelIndex()

    def _choose(self, index: QModelIndex) -> None:
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def form_index(self, visit: str, form: str, timepoint: str = "") -> QModelIndex:
        """The tree index of a form row (for tests and keyboard navigation)."""
        for n in range(self.model.rowCount()):
            parent = self.model.item(n)
            for m in range(parent.rowCount()):
                ref = parent.child(m).data(RefRole)
                if (ref.visit, ref.form, ref.timepoint) == (visit, form, timepoint):
                    return parent.child(m).index()
        return QModelIndex()

    def _activated(self, index: QModelIndex) -> None:  # activated and currentIndex() both give a QModelIndex
        if not index.isValid():
            return
        ref = index.siblingAtColumn(0).data(RefRole)
        if isinstance(ref, FormRef):
            self.formRequested.emit(ref)
        else:
            first = index.siblingAtColumn(0)
            self.tree.setExpanded(first, not self.tree.isExpanded(first))

    def _current_changed(self) -> None:
        self._update_buttons()
        visit = self.current_visit() or ""
        if not self._rebuilding and visit != self._visit:
            self._visit = visit
            self.visitChanged.emit(visit)

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.current_ref() is not None)

    def _show_menu(self, position: QPoint) -> None:
        index = self.tree.indexAt(position)
        if not index.isValid():
            return
        self.tree.setCurrentIndex(index)
        menu = self.row_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if menu.actions():
            menu.popup(self.tree.viewport().mapToGlobal(position))
        else:
            menu.deleteLater()

    def row_menu(self) -> QMenu:
        """What can be done with the row chosen: open its form; raise a query on its visit (a monitor)."""
        menu = QMenu(self)
        ref, visit = self.current_ref(), self.current_visit()
        if ref is not None:
            action = menu.addAction(self.tr("Open form"), lambda: self.formRequested.emit(ref))
            action.setObjectName("menu_open_form")
        if visit and self.can_raise_query:
            action = menu.addAction(self.tr("Raise query on visit {0}…").format(visit),
                                    lambda: self.visitQueryRequested.emit(visit))
            action.setObjectName("menu_raise_visit_query")
        return menu


def _item(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    return item
