"""Change own password: forced after a temporary password, or chosen from the Settings menu."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ecrf.services import auth
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs


class ChangePasswordDialog(QDialog):
    def __init__(self, session: SiteSession, parent: QWidget | None = None, *, forced: bool = False) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Change your password"))
        self.setMinimumWidth(440)
        layout = QFormLayout(self)
        if forced:
            note = QLabel(self.tr("Your password was set by the site administrator. Choose your own "
                                  "password before you continue (at least 8 characters, not your username)."))
            note.setWordWrap(True)
            layout.addRow(note)
        self.old, self.new, self.again = (self._secret(name) for name in ("old", "new", "again"))
        layout.addRow(self.tr("Current password"), self.old)
        layout.addRow(self.tr("New password"), self.new)
        layout.addRow(self.tr("New password again"), self.again)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _secret(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def change(self) -> None:
        if self.new.text() != self.again.text():
            self.error.setText(self.tr("The two new passwords differ; type the same password twice."))
            return
        try:
            auth.change_own_password(self.session, self.old.text(), self.new.text())
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message in the dialog
            self.error.setText(dialogs.error_text(exc))
            return
        self.accept()

