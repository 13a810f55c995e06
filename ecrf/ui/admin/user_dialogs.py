"""The small dialogs of the Users tab: a new account, a new role. Tests replace `ask_new_user` and
`choose_role` (module attributes) instead of driving the dialogs."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ecrf.services.permissions import ALLOWED
from ecrf.services.session import SiteSession
from ecrf.services.users import UserInfo
from ecrf.ui.i18n import text_lang


def role_label(session: SiteSession, role: str) -> str:
    text = session.study.roles.get(role)
    return text.get(text_lang()) if text is not None else role


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    role: str


class NewUserDialog(QDialog):
    def __init__(self, session: SiteSession, parent: QWidget | None, prefill: NewUser | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a user"))
        self.setMinimumWidth(460)
        layout = QFormLayout(self)
        note = QLabel(self.tr("The new user gets a temporary password, shown once after this step, and "
                              "chooses their own password at first login. Usernames are never reused."))
        note.setWordWrap(True)
        layout.addRow(note)
        self.username, self.full_name = QLineEdit(), QLineEdit()
        self.username.setObjectName("username")
        self.full_name.setObjectName("full_name")
        self.role = role_combo(session, "nurse")  # the most common new account, and no admin by mistake
        layout.addRow(self.tr("Username"), self.username)
        layout.addRow(self.tr("Full name"), self.full_name)
        layout.addRow(self.tr("Role"), self.role)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addRow(buttons)
        for edit in (self.username, self.full_name):
            edit.textChanged.connect(self._update)
        if prefill is not None:
            self.username.setText(prefill.username)
            self.full_name.setText(prefill.full_name)
            self.role.setCurrentIndex(max(0, self.role.findData(prefill.role)))
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.username.text().strip() and self.full_name.text().strip()))

    def entered(self) -> NewUser:
        return NewUser(self.username.text().strip(), self.full_name.text().strip(), self.role.currentData())


def role_combo(session: SiteSession, current: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("role")
    for role in ALLOWED:
        combo.addItem(role_label(session, role), role)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def ask_new_user(parent: QWidget, session: SiteSession, prefill: NewUser | None = None) -> NewUser | None:
    """The new account's details; None when cancelled (tests replace this function)."""
    dialog = NewUserDialog(session, parent, prefill)
    return dialog.entered() if dialog.exec() == QDialog.DialogCode.Accepted else None


def choose_role(parent: QWidget, session: SiteSession, user: UserInfo) -> str | None:
    """The new role for `user`; None when cancelled (tests replace this function)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("UsersTab", "Change role"))
    layout = QFormLayout(dialog)
    combo = role_combo(session, user.role)
    new_role = QCoreApplication.translate("UsersTab", "New role of {0} ({1}):").format(user.full_name, user.username)
    layout.addRow(QLabel(new_role))
    layout.addRow(combo)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addRow(buttons)
    return combo.currentData() if dialog.exec() == QDialog.DialogCode.Accepted else None
