"""The query inbox: every query of the site, newest first, filtered by state, subject, form and age; a double
click (or Open) shows the form at the queried item, or for a query on a visit the subject at that visit with the
query's thread open. Opening the inbox first raises the automatic queries for overdue required data."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import auto_queries, queries
from ecrf.services.permissions import Do, may
from ecrf.services.queries import QueryView
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study.status import QueryState
from ecrf.ui import dialogs
from ecrf.ui.i18n import text_lang
from ecrf.ui.page import Page
from ecrf.ui.queries.words import author_text, message_text, place_text, state_text
from ecrf.ui.read_only_table import read_only_rows

log = logging.getLogger("ecrf.ui")
Index = QModelIndex | QPersistentModelIndex


def raise_overdue_quietly(session: SiteSession) -> int:
    """The overdue-data queries at login and when the inbox opens: never in the user's way (a failure is logged
    and the next opening tries again)."""
    if not may(session.actor.role, Do.READ_DATA):
        return 0  # a site administrator may not read trial data: the next staff login raises them
    try:
        return auto_queries.raise_overdue(session)
    except Exception as exc:  # noqa: BLE001 - a convenience run; the user's work goes on
        log.warning("overdue queries not raised: %s", exc)
        return 0


class InboxModel(QAbstractTableModel):
    """Plain rows from `query_inbox`; texts are made when a cell is painted, so 10,000 queries load at once."""

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.lang = session, text_lang()
        self.views: list[QueryView] = []
        self.headers = [self.tr("Query"), self.tr("Subject"), self.tr("Where"), self.tr("State"), self.tr("Origin"),
                        self.tr("Age (days)"), self.tr("Last message")]

    def set_views(self, views: list[QueryView]) -> None:
        self.beginResetModel()
        self.views = views
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.views)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def origin_text(self, origin: str) -> str:
        if origin == "auto":
            return self.tr("automatic")
        return self.tr("sponsor") if origin == "sponsor" else self.tr("manual")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        view = self.views[index.row()]
        column = index.column()
        if column == 0:
            return view.number
        if column == 1:
            return view.place.subject
        if column == 2:
            return place_text(view.place, self.session.study, self.lang)
        if column == 3:
            return state_text(view.state)
        if column == 4:
            return self.origin_text(view.origin)
        if column == 5:
            return view.age_days
        shown = message_text(view.last_author, view.last_text, self.lang).splitlines()
        return f"{author_text(view.last_author)}: {shown[0] if shown else ''}"


class QueryInboxPage(Page):
    """itemRequested(FormRef, item code): show the form at the item ('' for a query on the form);
    visitQueryRequested(subject, visit, query id): show the subject at the visit with the query's thread open."""

    itemRequested = Signal(object, str)
    visitQueryRequested = Signal(str, str, int)

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("query_inbox")
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Query inbox"))
        heading.setObjectName("inbox_title")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        layout.addLayout(self._filters())
        self.model = InboxModel(session, self)
        self.table = QTableView()
        self.table.setObjectName("inbox_table")
        self.table.setModel(self.model)
        read_only_rows(self.table)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((70, 100, 330, 100, 90, 80)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.count = QLabel()
        self.count.setObjectName("inbox_count")
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("open_query")
        self.open_button.clicked.connect(self._open_selected)
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.open_button)
        layout.addLayout(bottom)
        raise_overdue_quietly(session)
        self.refresh()

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.state = QComboBox()
        self.state.setObjectName("filter_state")
        self.state.addItem(self.tr("All states"), None)
        for state in QueryState:
            self.state.addItem(state_text(state), state.value)
        self.subject = QLineEdit()
        self.subject.setObjectName("filter_subject")
        self.subject.setPlaceholderText(self.tr("Subject (all)"))
        self.subject.setClearButtonEnabled(True)
        self.form = QComboBox()
        self.form.setObjectName("filter_form")
        self.form.addItem(self.tr("All forms"), None)
        lang = text_lang()
        for code, form in self.session.study.forms.items():
            self.form.addItem(f"{code} – {form.label.get(lang)}", code)
        self.age = QSpinBox()
        self.age.setObjectName("filter_age")
        self.age.setRange(0, 3650)
        self.age.setSpecialValueText(self.tr("any age"))
        self.age.setSuffix(self.tr(" days or older"))
        for label, widget in ((self.tr("State"), self.state), (self.tr("Subject"), self.subject),
                              (self.tr("Form"), self.form), (self.tr("Age"), self.age)):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addStretch(1)
        self.state.currentIndexChanged.connect(self.refresh)
        self.form.currentIndexChanged.connect(self.refresh)
        self.age.valueChanged.connect(self.refresh)
        self.subject.editingFinished.connect(self.refresh)
        return row

    def title(self) -> str:
        return self.tr("Queries")

    def refresh(self) -> None:
        state = self.state.currentData()
        try:
            views = queries.query_inbox(self.session, QueryState(state) if state else None,
                                        self.subject.text().strip() or None, self.form.currentData(),
                                        self.age.value() or None)
        except Exception as exc:  # noqa: BLE001 - the page stays; the user sees why it is empty
            dialogs.show_error(self, self.tr("Query inbox"), dialogs.error_text(exc))
            views = []
        self.model.set_views(views)
        asking = sum(v.state in (QueryState.OPEN, QueryState.ANSWERED) for v in views)
        self.count.setText(self.tr("{0} queries shown, {1} open or answered").format(len(views), asking))

    def _open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_row(rows[0].row())

    def open_row(self, row: int) -> None:
        if not 0 <= row < len(self.model.views):
            return
        view = self.model.views[row]
        place = view.place
        if place.form_ref is None:
            self.visitQueryRequested.emit(place.subject, place.visit, view.id)
        else:
            self.itemRequested.emit(place.form_ref, place.item)

    def ref_of(self, row: int) -> FormRef | None:
        return self.model.views[row].place.form_ref
