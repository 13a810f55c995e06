"""The audit trail as a table model that reads page by page: the first page when a filter is set, the next one
when the view scrolls to the end (Qt's `canFetchMore`/`fetchMore`), so the whole trail is reachable without
loading tens of thousands of events at once. The same row texts go into the CSV export."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ecrf.services.audit_trail import PAGE, EventView
from ecrf.services.auth import LEDGER_MARK
from ecrf.services.session import SiteSession
from ecrf.ui.audit_names import ROLE_VALUES, action_name, reason_text, role_name, value_name
from ecrf.ui.clock import offset_label, shown_time

Index = QModelIndex | QPersistentModelIndex
# (event seq of the last row shown or None for the first page) -> the next page, newest first
PageReader = Callable[[int | None], list[EventView]]

SEQ, TIME, USER, ROLE, ACTION, WORKSTATION, WHERE, CHANGE, REASON = range(9)
HEADERS = (QT_TRANSLATE_NOOP("AuditModel", "No."), QT_TRANSLATE_NOOP("AuditModel", "Time"),
           QT_TRANSLATE_NOOP("AuditModel", "User"), QT_TRANSLATE_NOOP("AuditModel", "Role"),
           QT_TRANSLATE_NOOP("AuditModel", "Action"), QT_TRANSLATE_NOOP("AuditModel", "Workstation"),
           QT_TRANSLATE_NOOP("AuditModel", "Where"), QT_TRANSLATE_NOOP("AuditModel", "Change"),
           QT_TRANSLATE_NOOP("AuditModel", "Reason"))


def header_texts() -> list[str]:
    return [QCoreApplication.translate("AuditModel", str(h)) for h in HEADERS]  # NOOP texts: object to the stubs


def _where(e: EventView) -> str:
    parts = [e.subject, e.visit, e.form, e.timepoint, f"#{e.repeat}" if e.repeat else None, e.item]
    return " / ".join(p for p in parts if p)


def _change(session: SiteSession | None, e: EventView) -> str:
    """Old → new; a status code in words ("not_verified" → "not verified yet"), a role by its name, as stored
    without a session (the stored codes, for the tooltip)."""
    old = e.old_value if e.old_value is not None else e.old_missing
    new = e.new_value if e.new_value is not None else e.new_missing
    if session is not None and e.action in ROLE_VALUES:  # "site_admin" → "Site administrator"
        old, new = (role_name(session, v) if v else v for v in (old, new))
    elif session is not None and e.action == "login" and new is not None and new.startswith(LEDGER_MARK):
        # the serial of the failed-login file this login took over (a counter that must never go back)
        serial = new.removeprefix(LEDGER_MARK)
        new = QCoreApplication.translate("AuditModel", "failed-login file at no. {0}").format(serial)
    elif session is not None:
        old, new = (value_name(e.action, v) if v else v for v in (old, new))
    if old is None and new is None:
        return ""
    return f"{old or '∅'} → {new or '∅'}" if old is not None else (new or "")


def row_texts(session: SiteSession, e: EventView) -> list[str]:
    """One event as the table and the CSV show it (columns as HEADERS)."""
    return [str(e.seq), shown_time(e.at_utc, seconds=True), e.username, role_name(session, e.role),
            action_name(e.action), e.workstation, _where(e), _change(session, e),
            reason_text(e.action, e.reason or "")]


def export_header() -> list[str]:
    """The CSV's columns: the screen's, then the stored facts an inspector filters or sorts by."""
    stored = QCoreApplication.translate("AuditModel", "Stored time (UTC)")  # clock: the stored text, as stored
    return header_texts() + [stored,
                             QCoreApplication.translate("AuditModel", "PC's UTC offset"),
                             QCoreApplication.translate("AuditModel", "Action code"),
                             QCoreApplication.translate("AuditModel", "Role code"),
                             QCoreApplication.translate("AuditModel", "Clock note")]


def export_row(session: SiteSession, e: EventView) -> list[str]:
    return row_texts(session, e) + [e.at_utc, offset_label(e.utc_offset_min), e.action, e.role, e.clock_note or ""]


def _tooltip(e: EventView, column: int, text: str) -> str:
    if column == TIME:  # the stored facts behind the shown time
        stored = QCoreApplication.translate("AuditModel", "Stored as {0} (UTC); the clock of {1} was at {2}.").format(
            e.at_utc, e.workstation, offset_label(e.utc_offset_min))
        return f"{stored}\n{e.clock_note}" if e.clock_note else stored
    if column in (ACTION, ROLE):
        return f"{text} ({e.action if column == ACTION else e.role})"
    stored = _change(None, e) if column == CHANGE else (e.reason or "") if column == REASON else text
    if stored != text:  # a status or response code shown in words: the stored code too
        return f"{text}\n" + QCoreApplication.translate("AuditModel", "Stored as: {0}").format(stored)
    return text


class AuditModel(QAbstractTableModel):
    """Rows newest first; `failed(exc)` when reading a page failed (e.g. the session was locked)."""

    failed = Signal(object)

    def __init__(self, session: SiteSession) -> None:
        super().__init__()
        self.session = session
        self.rows: list[EventView] = []
        self.texts: list[list[str]] = []
        self.reader: PageReader | None = None
        self.exhausted = True

    def start(self, reader: PageReader) -> None:
        """Show the first page of a new filter; later pages come as the view scrolls."""
        self.beginResetModel()
        self.reader, self.rows, self.texts, self.exhausted = reader, [], [], False
        self.endResetModel()
        self.fetchMore()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and not self.exhausted and self.reader is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        assert self.reader is not None
        try:
            batch = self.reader(self.rows[-1].seq if self.rows else None)
        except Exception as exc:  # noqa: BLE001 - shown by the tab; the rows read so far stay
            self.exhausted = True
            self.failed.emit(exc)
            return
        self.exhausted = len(batch) < PAGE
        if batch:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(batch) - 1)
            self.rows += batch
            self.texts += [row_texts(self.session, e) for e in batch]
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return header_texts()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text = self.texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text.replace("\n", " ⏎ ")  # one line per event; the tooltip keeps the breaks
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(self.rows[index.row()], index.column(), text)
        return None
