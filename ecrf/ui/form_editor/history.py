"""The history of one item, from the audit trail: when, who, old → new value, reason."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ecrf.services.audit_trail import EventView
from ecrf.ui.audit_names import action_name
from ecrf.ui.clock import shown_time
from ecrf.ui.read_only_table import read_only_rows

translate = QCoreApplication.translate


def shown(value: str | None, missing: str | None) -> str:
    return missing or (value if value is not None else "")


def history_model(events: list[EventView], role_of: Callable[[str], str] = str) -> QStandardItemModel:
    """One row per event; `role_of` names a role code in the user's language ("Research nurse")."""
    model = QStandardItemModel(0, 6)
    model.setHorizontalHeaderLabels([
        translate("ItemHistory", "When"), translate("ItemHistory", "User"), translate("ItemHistory", "What"),
        translate("ItemHistory", "Old value"), translate("ItemHistory", "New value"),
        translate("ItemHistory", "Reason")])
    actions = {"value": translate("ItemHistory", "Changed"), "value_derived": translate("ItemHistory", "Calculated"),
               "warning_confirmed": translate("ItemHistory", "Warning confirmed")}
    entered = translate("ItemHistory", "Entered")
    for e in events:
        what = actions.get(e.action) or action_name(e.action)  # e.g. a query raised on the item
        old, new = shown(e.old_value, e.old_missing), shown(e.new_value, e.new_missing)
        if e.action == "value" and e.old_value is None and not e.old_missing:
            what = entered  # the item's first value: nothing was changed
        if e.action == "warning_confirmed":  # its reason is the warning's text, its new value the key
            old, new = "", ""
        row = [shown_time(e.at_utc), f"{e.username} ({role_of(e.role)})", what, old, new, e.reason or ""]
        items = [QStandardItem(text) for text in row]
        for item in items:
            item.setEditable(False)
            item.setToolTip(item.text())
        model.appendRow(items)
    return model


class HistoryDialog(QDialog):
    def __init__(self, title: str, events: list[EventView], parent: QWidget | None = None,
                 role_of: Callable[[str], str] = str) -> None:
        super().__init__(parent)
        self.setObjectName("item_history")
        self.setWindowTitle(self.tr("History – {0}").format(title))
        self.resize(860, 320)
        layout = QVBoxLayout(self)
        if not events:
            layout.addWidget(QLabel(self.tr("No change of this item has been recorded yet.")))
        self.table = QTableView()
        self.table.setModel(history_model(events, role_of))
        read_only_rows(self.table, single=False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
