"""Audit trail tab: run the whole trail check (on a worker) and show its report, let the administrator record a
reason for a finding, and read the latest events (read-only)."""
from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import audit_trail, integrity
from ecrf.services.audit_trail import ChainReport, EventView
from ecrf.services.integrity import Integrity
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs, trail_report
from ecrf.ui.background import Operation

LATEST = 500
Index = QModelIndex | QPersistentModelIndex


def local_time(event: EventView) -> str:
    """The event's time on the PC that wrote it, with that PC's offset (as people saw their clock)."""
    moment = datetime.fromisoformat(event.at_utc) + timedelta(minutes=event.utc_offset_min)
    hours, minutes = divmod(abs(event.utc_offset_min), 60)
    sign = "-" if event.utc_offset_min < 0 else "+"
    return f"{moment:%Y-%m-%d %H:%M:%S} {sign}{hours:02d}:{minutes:02d}"


def _where(e: EventView) -> str:
    parts = [e.subject, e.visit, e.form, e.timepoint, f"#{e.repeat}" if e.repeat else None]
    return " / ".join(p for p in parts if p)


def _change(e: EventView) -> str:
    old = e.old_value if e.old_value is not None else e.old_missing
    new = e.new_value if e.new_value is not None else e.new_missing
    if old is None and new is None:
        return ""
    return f"{old or '∅'} → {new or '∅'}" if old is not None else (new or "")


class AuditModel(QAbstractTableModel):
    HEADERS = (QT_TRANSLATE_NOOP("AuditModel", "No."), QT_TRANSLATE_NOOP("AuditModel", "Time (PC clock)"),
               QT_TRANSLATE_NOOP("AuditModel", "User"), QT_TRANSLATE_NOOP("AuditModel", "Role"),
               QT_TRANSLATE_NOOP("AuditModel", "Action"), QT_TRANSLATE_NOOP("AuditModel", "Where"),
               QT_TRANSLATE_NOOP("AuditModel", "Item"), QT_TRANSLATE_NOOP("AuditModel", "Change"),
               QT_TRANSLATE_NOOP("AuditModel", "Reason"), QT_TRANSLATE_NOOP("AuditModel", "Workstation"))

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[EventView] = []  # newest first

    def set_events(self, events: list[EventView]) -> None:
        self.beginResetModel()
        self.rows = list(reversed(events))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("AuditModel", self.HEADERS[section])  # type: ignore[arg-type]  # QT_TRANSLATE_NOOP's text; the stubs say object
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        e = self.rows[index.row()]
        columns = (str(e.seq), local_time(e), e.username, e.role, e.action, _where(e), e.item or "", _change(e),
                   e.reason or "", e.workstation)
        return columns[index.column()]


class AuditTab(QWidget):
    """`trailChecked(Integrity)` after every check here, so that the main window's banner follows."""

    trailChecked = Signal(object)

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operation: Operation | None = None
        self.report: ChainReport | None = None
        self.found: Integrity | None = None
        role = session.actor.role
        row = QHBoxLayout()
        self.verify_button = QPushButton(self.tr("Verify audit trail"))
        self.verify_button.setObjectName("verify")
        self.verify_button.setEnabled(may(role, Do.VERIFY_AUDIT))
        self.verify_button.clicked.connect(lambda _c=False: self.verify())
        self.reload_button = QPushButton(self.tr("Reload"))
        self.reload_button.setObjectName("reload")
        self.reload_button.clicked.connect(lambda _c=False: self.refresh())
        self.result = QLabel(self.tr("Checks that no event was changed, removed or inserted since it was written, "
                                     "that each is sealed by its user, and that every stored value follows from "
                                     "the trail."))
        self.result.setObjectName("verify_result")
        self.result.setWordWrap(True)
        row.addWidget(self.verify_button)
        row.addWidget(self.result, 1)
        row.addWidget(self.reload_button)
        self.details = QPlainTextEdit()
        self.details.setObjectName("verify_report")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(150)
        self.details.hide()
        self.reason_button = QPushButton(self.tr("Record a reason…"))
        self.reason_button.setObjectName("record_reason")
        self.reason_button.clicked.connect(lambda _c=False: self.record_reason())
        self.reason_button.hide()
        self.model = AuditModel()
        self.table = QTableView()
        self.table.setObjectName("events")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.caption = QLabel(self.tr("The latest {0} events, newest first.").format(LATEST))
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.details)
        layout.addWidget(self.reason_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self.readable = may(role, Do.READ_AUDIT)
        self.table.setVisible(self.readable)
        self.caption.setVisible(self.readable)
        self.reload_button.setVisible(self.readable)
        self.refresh()

    def refresh(self) -> None:
        if not self.readable or self.session.actor.must_change_password:
            return
        try:
            self.model.set_events(audit_trail.events(self.session, limit=LATEST))
        except Exception as exc:  # noqa: BLE001 - e.g. the session is locked
            dialogs.show_error(self, self.tr("Audit trail"), dialogs.error_text(exc))
            return
        self.table.resizeColumnsToContents()
        for column in (5, 7, 8):  # long texts: capped, the tooltip shows all
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))

    def verify(self) -> None:
        self.verify_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            dialogs.show_error(self, self.tr("Verify audit trail"), dialogs.error_text(exc))

        # The site's own check (not only the chain): its findings are audited and it says who acknowledged them.
        self.operation = dialogs.run_with_progress(self, self.tr("Verifying the audit trail…"),
                                                   lambda _p: integrity.check(self.session), self._verified,
                                                   on_failure=failed)

    def _verified(self, found: Integrity) -> None:
        self.show_found(found)
        self.trailChecked.emit(found)

    def show_found(self, found: Integrity) -> None:
        """Show a check's result: this tab's own, or the window banner's (so the two never disagree)."""
        self.verify_button.setEnabled(True)
        self.found, self.report = found, found.report
        self.result.setText(trail_report.summary_text(found))
        colour = "#1b5e20" if found.ok else "#b00020" if found.blocking else "#7a4a00"
        self.result.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.details.setPlainText("\n".join(trail_report.report_lines(found)))
        self.details.show()
        self.reason_button.setVisible(trail_report.may_acknowledge(self.session, found))
        self.refresh()

    def record_reason(self) -> None:
        def failed(exc: BaseException) -> None:
            dialogs.show_error(self, self.tr("Record a reason"), dialogs.error_text(exc))

        self.operation = trail_report.acknowledge(self, self.session, self._verified, failed) or self.operation
