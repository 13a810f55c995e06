"""A log form of the subject (adverse events, concomitant medications) as a table of its entries.

Removed entries stay listed, greyed and struck through, with the reason: nothing is erased."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import logs
from ecrf.services.overview import LogEntry
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study.model import Item, ItemType
from ecrf.ui import dialogs
from ecrf.ui.i18n import text_lang
from ecrf.ui.matrix.model import SubjectMatrixModel
from ecrf.ui.read_only_table import read_only_rows
from ecrf.ui.reason_dialog import Reasons

KEY_COLUMNS = 6  # the first items of the form, enough to tell entries apart
EntryRole = Qt.ItemDataRole.UserRole + 1


class LogTab(QWidget):
    formRequested = Signal(object)
    changed = Signal()  # an entry was removed: the page reloads

    def __init__(self, session: SiteSession, form: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.form = session, session.study.form(form)
        self.label = ""
        self.names = SubjectMatrixModel(session.study, self)
        self.items = [i for i in self.form.items if i.type is not ItemType.MULTI_CHOICE][:KEY_COLUMNS]
        lang = text_lang()
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["#", *(i.label.get(lang) for i in self.items), self.tr("Form status"),
                                              self.tr("Removed (reason)")])
        self.table = QTableView()
        self.table.setObjectName(f"log_{form}")
        self.table.setModel(self.model)
        read_only_rows(self.table)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.activated.connect(lambda _index: self.open_entry())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._buttons())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

    def _buttons(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        enter = may(self.session.actor.role, Do.ENTER_DATA)
        self.add_button = self._button(self.tr("Add entry…"), "add", self.add_entry) if enter else None
        self.open_button = self._button(self.tr("Open / edit") if enter else self.tr("Open"), "open", self.open_entry)
        self.remove_button = self._button(self.tr("Remove…"), "remove", self.remove_entry) if enter else None
        for button in (self.add_button, self.open_button, self.remove_button):
            if button is not None:
                bar.addWidget(button)
        bar.addStretch(1)
        return bar

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(f"{name}_{self.form.code}")
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def show_entries(self, label: str, entries: list[LogEntry]) -> None:
        self.label = label
        self.model.removeRows(0, self.model.rowCount())
        for entry in entries:
            self.model.appendRow(self._row(entry))
        self.table.resizeColumnsToContents()
        for column in range(1, self.model.columnCount() - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 220))
        self._update_buttons()

    def _row(self, entry: LogEntry) -> list[QStandardItem]:
        texts = [str(entry.repeat), *(self._value(i, entry.summary.get(i.code, "")) for i in self.items),
                 self.names.form_status_names[entry.status],
                 ""]
        row = [QStandardItem(t) for t in texts]
        row[0].setData(entry, EntryRole)
        if entry.deleted:
            for item in row[:-1]:
                font = item.font()
                font.setStrikeOut(True)
                item.setFont(font)
                item.setForeground(QColor("#8a8a8a"))
            row[-1].setText(self.tr("Removed: {0}").format(entry.deleted_reason or ""))
            row[-1].setForeground(QColor("#8a8a8a"))
        return row

    def _value(self, item: Item, text: str) -> str:
        lang = text_lang()
        if text in self.session.study.missing_codes:
            return self.session.study.missing_codes[text].get(lang)
        if item.codelist is not None and text:
            code: str | int = int(text) if item.codelist.data_type == "integer" and text.lstrip("-").isdigit() else text
            return item.codelist.label_of(code, lang)
        return text

    def selected_entry(self) -> LogEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(EntryRole) if rows else None

    def select_repeat(self, repeat: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.item(row, 0).data(EntryRole).repeat == repeat:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        self.open_button.setEnabled(entry is not None)
        if self.remove_button is not None:
            self.remove_button.setEnabled(entry is not None and not entry.deleted)

    def add_entry(self) -> None:
        self.formRequested.emit(FormRef(self.label, "", self.form.code, "", 0))  # repeat 0: a new entry

    def open_entry(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.formRequested.emit(FormRef(self.label, "", self.form.code, "", entry.repeat))

    def remove_entry(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.deleted:
            return
        reason = dialogs.ask_reason(self, self.tr("Remove entry"), self.tr(
            "Why is {0} entry #{1} of {2} removed? The entry stays in the records, marked removed with "
            "your reason.").format(self.form.label.get(text_lang()), entry.repeat, self.label),
            kind=Reasons.REMOVE_ENTRY)
        if not reason:
            return
        try:
            logs.remove_log_entry(self.session, self.label, self.form.code, entry.repeat, reason)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, self.tr("Remove entry"), dialogs.error_text(exc))
            return
        self.changed.emit()
