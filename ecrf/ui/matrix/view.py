"""A table view whose first column (the subject) stays in place while the visits scroll sideways.

Qt's frozen-column pattern: a second view over the same model and selection sits on top of column 0,
its vertical scrolling tied to the main view's."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ecrf.ui.read_only_table import read_only_rows

ROW_HEIGHT = 28


def _set_up(view: QTableView) -> None:
    read_only_rows(view)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    # Fixed row heights: no per-row size measuring, whatever the number of subjects.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)


class FrozenColumnTable(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _set_up(self)
        self.frozen = QTableView(self)
        self.frozen.setObjectName("frozenColumn")
        _set_up(self.frozen)
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.setStyleSheet("QTableView#frozenColumn { border: none; border-right: 1px solid palette(mid); }")
        self.viewport().stackUnder(self.frozen)
        self.horizontalHeader().sectionResized.connect(self._section_resized)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.frozen.activated.connect(self.activated)
        self.frozen.doubleClicked.connect(self.doubleClicked)
        self.frozen.horizontalHeader().sortIndicatorChanged.connect(self._sync_sort(self.horizontalHeader()))
        self.horizontalHeader().sortIndicatorChanged.connect(self._sync_sort(self.frozen.horizontalHeader()))

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        self.update_frozen_columns()

    def update_frozen_columns(self) -> None:
        model = self.model()
        if model is None:
            return
        for column in range(1, model.columnCount()):
            self.frozen.setColumnHidden(column, True)
        self.frozen.setColumnWidth(0, self.columnWidth(0))
        header = self.horizontalHeader()
        self.frozen.horizontalHeader().setSortIndicator(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.frozen.setSortingEnabled(self.isSortingEnabled())
        self._place_frozen()
        self.frozen.show()

    def setSortingEnabled(self, enable: bool) -> None:
        super().setSortingEnabled(enable)
        self.update_frozen_columns()

    @staticmethod
    def _sync_sort(other: QHeaderView) -> Callable[[int, Qt.SortOrder], None]:
        """Either header's sort arrow shows on the other (they sort the same shared proxy)."""
        def sync(column: int, order: Qt.SortOrder) -> None:
            if (other.sortIndicatorSection(), other.sortIndicatorOrder()) != (column, order):
                other.setSortIndicator(column, order)
        return sync

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self.frozen.setColumnWidth(0, new)
            self._place_frozen()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_frozen()

    def scrollTo(self, index: QModelIndex | QPersistentModelIndex,
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        if index.column() > 0:
            super().scrollTo(index, hint)
        else:  # only scroll vertically: column 0 is always on screen
            column = self.columnAt(self.columnWidth(0) + 1)
            super().scrollTo(index.sibling(index.row(), max(column, 1)), hint)

    def _place_frozen(self) -> None:
        frame = self.frameWidth()
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self.frozen.setGeometry(frame, frame, self.columnWidth(0),
                                self.viewport().height() + self.horizontalHeader().height())
