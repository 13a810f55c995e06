"""The sponsor's allocation list on the Site tab: whether it is imported and how much is used, and, for the site
administrator, Import… — the same service as `ecrf allocation import`, so every refusal (another study's list, a
workbook instead of a CSV, a repeated number, a list imported already …) is the catalogue's message."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ecrf.services import allocation
from ecrf.services.allocation import AllocationState
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs
from ecrf.ui.file_dialogs import ask_open_file


class AllocationListBox(QGroupBox):
    imported = Signal()  # the admin page's notice follows

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Allocation list"))
        self.session = session
        self.state_label = QLabel()
        self.state_label.setObjectName("allocation_state")
        self.state_label.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(self.state_label)
        self.import_button: QPushButton | None = None
        if may(session.actor.role, Do.IMPORT_ALLOCATION):
            self.import_button = QPushButton(self.tr("Import the allocation list…"))
            self.import_button.setObjectName("import_allocation")
            self.import_button.clicked.connect(lambda _c=False: self.import_list())
            row = QHBoxLayout()
            row.addWidget(self.import_button)
            row.addStretch(1)
            column.addLayout(row)

    def load(self) -> None:
        """Show the list's state (the Site tab calls this whenever it refreshes)."""
        try:
            state = allocation.allocation_state(self.session)
        except Exception as exc:  # noqa: BLE001 - e.g. the session is locked, or a role that may not see it
            self.state_label.setText(dialogs.error_text(exc))
            return
        self.state_label.setText(self.state_text(state))
        self.state_label.setStyleSheet("color: #b00020; font-weight: bold;" if state.missing else "")
        if self.import_button is not None:  # gone once imported (the text says it cannot be replaced): room
            self.import_button.setVisible(not state.imported)  # for the rest of the tab at 1366 x 768

    def state_text(self, state: AllocationState) -> str:
        if not state.needed:
            return self.tr("This study does not allocate subjects to arms: no allocation list is needed.")
        if not state.imported:
            return self.tr("No allocation list is imported yet: no subject can be allocated to an arm. Import "
                           "the list the sponsor sent (a CSV file with the columns rand_no and arm).")
        return self.tr("Imported: {0} entries, {1} used, {2} left. It cannot be replaced.").format(
            state.entries, state.used, state.left)

    def import_list(self) -> None:
        path = ask_allocation_file(self)
        if path is None:
            return
        title = self.tr("Import the allocation list")
        try:
            count = allocation.import_allocation_file(self.session, path)
        except Exception as exc:  # noqa: BLE001 - every refusal of the file or the service is shown
            dialogs.show_error(self, title, dialogs.error_text(exc))
            return
        self.load()
        self.imported.emit()
        dialogs.show_info(self, title, self.tr("Allocation list imported: {0} entries from {1}.").format(
            count, path.name))


def ask_allocation_file(parent: QWidget) -> Path | None:
    """Which allocation list to import; None when cancelled (tests replace this function)."""
    return ask_open_file(parent, "import", QCoreApplication.translate(
        "AllocationListBox", "Choose the sponsor's allocation list"), QCoreApplication.translate(
        "AllocationListBox", "Allocation list (*.csv);;All files (*)"))
