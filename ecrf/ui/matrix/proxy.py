"""Filtering and sorting the subject matrix: arm, status, overdue visits, work needing attention, and a
search on the subject's numbers. Reads the rows straight from the source model, not through data()."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ecrf.services.overview import SubjectRow
from ecrf.study.status import SubjectStatus
from ecrf.ui.matrix.model import SubjectMatrixModel
from ecrf.ui.matrix.search import normalise

ACTIVE = "active"  # status filter key: in screening or enrolled


class SubjectFilterProxy(QSortFilterProxyModel):
    """Filters; sorting is passed on to the source model. Every filter set to its default shows every subject."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._search = ""
        self._arm: str | None = None
        self._status = ""
        self._overdue_only = False
        self._attention_only = False

    def _change(self, **values: Any) -> None:
        self.beginFilterChange()
        for name, value in values.items():
            setattr(self, f"_{name}", value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self._model.set_search(normalise(text))  # before the rows are re-filtered and painted
        self._change(search=normalise(text))

    def set_arm(self, arm: str | None) -> None:
        self._change(arm=arm or None)

    def set_status(self, status: str) -> None:
        """'' (all), 'active' (screening or enrolled) or a SubjectStatus value."""
        self._change(status=status)

    def set_overdue_only(self, on: bool) -> None:
        self._change(overdue_only=on)

    def set_attention_only(self, on: bool) -> None:
        self._change(attention_only=on)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts itself (see SubjectMatrixModel.sort); the proxy keeps its order and only
        filters, so a search keystroke costs one pass over the rows and no sort."""
        self._model.sort(column, order)

    def setSourceModel(self, model: Any) -> None:
        assert isinstance(model, SubjectMatrixModel)
        self._model = model
        super().setSourceModel(model)

    def accepts(self, row: SubjectRow, search_key: str) -> bool:
        if self._arm is not None and row.arm != self._arm:
            return False
        if self._status == ACTIVE and row.status not in (SubjectStatus.SCREENING, SubjectStatus.ENROLLED):
            return False
        if self._status not in ("", ACTIVE) and row.status != self._status:
            return False
        if self._overdue_only and not row.overdue:
            return False
        if self._attention_only and not row.attention:
            return False
        return not self._search or self._search in search_key

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        return self.accepts(self._model.row_at(source_row), self._model.search_key(source_row))

    def row_at(self, proxy_row: int) -> SubjectRow:
        return self._model.row_at(self.mapToSource(self.index(proxy_row, 0)).row())
