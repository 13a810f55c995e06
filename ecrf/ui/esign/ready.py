"""The investigator's "Ready for signature" list: casebooks and visits whose forms are all complete and that
carry no valid signature (never signed, or broken by a later change ✗). Open a subject, or sign from here."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import esign_views
from ecrf.services.esign_views import ReadyToSign
from ecrf.services.session import SiteSession
from ecrf.study.status import Scope
from ecrf.ui import dialogs
from ecrf.ui.esign.dialog import sign_with_dialogs
from ecrf.ui.esign.panel import BROKEN
from ecrf.ui.read_only_table import read_only_rows


class ReadyDialog(QDialog):
    subjectRequested = Signal(str)

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entries: list[ReadyToSign] = []
        self.setWindowTitle(self.tr("Ready for signature"))
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Casebooks and visits whose forms are all complete and that have no valid "
                               "signature. {0} marks a signature broken by a later change.").format(BROKEN))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("ready")
        self.table.setHorizontalHeaderLabels([self.tr("Subject"), self.tr("To sign"), self.tr("Forms"),
                                              self.tr("Signature")])
        read_only_rows(self.table)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.open_subject())
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = QPushButton(self.tr("Open subject"))
        self.open_button.setObjectName("open_subject")
        self.open_button.clicked.connect(self.open_subject)
        self.sign_button = QPushButton(self.tr("Sign…"))
        self.sign_button.setObjectName("sign")
        self.sign_button.clicked.connect(self.sign_selected)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.sign_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        try:
            self.entries = esign_views.ready_for_signature(self.session)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, self.windowTitle(), dialogs.error_text(exc))
            self.entries = []
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            what = self.tr("Casebook") if entry.scope is Scope.SUBJECT else self.tr("Visit {0}").format(entry.visit)
            again = self.tr("broken: sign again")
            state = f"{BROKEN} {again}" if entry.broken else self.tr("not signed")
            for column, text in enumerate((entry.subject, what, str(entry.forms), state)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if self.entries:
            self.table.selectRow(0)
        self.open_button.setEnabled(bool(self.entries))
        self.sign_button.setEnabled(bool(self.entries))

    def selected(self) -> ReadyToSign | None:
        row = self.table.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def open_subject(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.subjectRequested.emit(entry.subject)
            self.accept()

    def sign_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        visit = entry.visit if entry.scope is Scope.VISIT else None
        if sign_with_dialogs(self, self.session, entry.subject, entry.scope, visit=visit):
            self.reload()
