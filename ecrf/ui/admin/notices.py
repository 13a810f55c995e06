"""Reminders at the top of the administration page, for the site administrator only and only while their cause
lasts: no allocation list imported while the study needs one, and no backup for BACKUP_REMINDER_DAYS days.
Each names what to do and has a button to the tab where it is done; none blocks anything."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ecrf.errors import EcrfError
from ecrf.services import allocation, backup_status
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs
from ecrf.ui.clock import shown_time

NOTICE_STYLE = ("QFrame[notice=\"true\"] { background: #fff4e5; border: 1px solid #e0a040; border-radius: 4px; }"
                "QFrame[notice=\"true\"] QLabel { color: #4a3000; background: transparent; border: none; }")


class Notice(QFrame):
    """One reminder: its text and a button that leads to where it is dealt with."""

    def __init__(self, name: str, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("notice", True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton(button_text)
        self.button.setObjectName(f"{name}_go")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.hide()

    def show_text(self, text: str | None) -> None:
        """Shown with `text`, or hidden when None (the cause is gone)."""
        self.text.setText(text or "")
        self.setVisible(text is not None)


class AdminNotices(QWidget):
    importAllocation = Signal()  # the page shows the Site tab and starts its import
    makeBackup = Signal()  # the page shows the Backup tab and starts a backup

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setStyleSheet(NOTICE_STYLE)
        self.allocation = Notice("allocation_notice", self.tr("Import the allocation list…"))
        self.allocation.button.clicked.connect(lambda _c=False: self.importAllocation.emit())
        self.backup = Notice("backup_notice", self.tr("Make a backup…"))
        self.backup.button.clicked.connect(lambda _c=False: self.makeBackup.emit())
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.allocation)
        column.addWidget(self.backup)

    def refresh(self) -> None:
        role = self.session.actor.role
        if self.session.actor.must_change_password or self.session.locked:
            return  # nothing may be read yet; the page refreshes again after the change or the unlock
        self.allocation.show_text(self._allocation_text() if may(role, Do.IMPORT_ALLOCATION) else None)
        self.backup.show_text(self._backup_text() if may(role, Do.BACKUP) else None)

    def _allocation_text(self) -> str | None:
        try:
            state = allocation.allocation_state(self.session)
        except EcrfError:  # a reminder that cannot be worked out is not shown; the tab says why
            return None
        except Exception as exc:  # noqa: BLE001 - a bug: its crash log is written; the page stays usable
            dialogs.crash_text(exc)
            return None
        if state.missing:
            return self.tr("No allocation list is imported yet, so no subject can be allocated to an arm. Import "
                           "the list the sponsor sent before the first subject is allocated.")
        if state.needed and state.imported and state.left == 0:
            return self.tr("The allocation list is used up ({0} entries): ask the sponsor how to continue.").format(
                state.entries)
        return None

    def _backup_text(self) -> str | None:
        try:
            found = backup_status.last_backup(self.session)
        except EcrfError:  # as above
            return None
        except Exception as exc:  # noqa: BLE001 - as above
            dialogs.crash_text(exc)
            return None
        if not backup_status.backup_overdue(found, self.session.clock.now()):
            return None
        if found is None:
            return self.tr("No backup of this site has been made yet. Make one now and keep it on a drive "
                           "stored apart from this PC.")
        return self.tr("The last backup was made %n day(s) ago ({0}). Make one at least every {1} days.", "",
                       found.age(self.session.clock.now()).days).format(
            shown_time(found.at_utc), backup_status.BACKUP_REMINDER_DAYS)
