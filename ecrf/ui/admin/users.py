"""Users tab: the site's accounts; add, reset a password, change a role, deactivate, unlock (all audited)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import users
from ecrf.services.session import SiteSession
from ecrf.services.users import UserInfo
from ecrf.ui import dialogs
from ecrf.ui.admin import user_dialogs
from ecrf.ui.admin.user_dialogs import NewUser, role_label
from ecrf.ui.admin.users_model import UsersModel
from ecrf.ui.background import Operation
from ecrf.ui.password import ChangePasswordDialog
from ecrf.ui.read_only_table import read_only_rows


class UsersTab(QWidget):
    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operation: Operation | None = None  # the running background operation, kept alive until it ends
        self.model = UsersModel(session)
        self.table = QTableView()
        self.table.setObjectName("users")
        self.table.setModel(self.model)
        read_only_rows(self.table)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text, slot in (("add", self.tr("Add user…"), self.add_user),
                                 ("reset", self.tr("Reset password…"), self.reset_password),
                                 ("role", self.tr("Change role…"), self.change_role),
                                 ("deactivate", self.tr("Deactivate…"), self.deactivate),
                                 ("unlock", self.tr("Unlock…"), self.unlock)):
            row.addWidget(self._button(name, text, slot))
        row.addStretch(1)
        row.addWidget(self._button("own_password", self.tr("Change my password…"), self.change_own_password))
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.refresh()

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        self.buttons[name] = button
        return button

    def refresh(self) -> None:
        if self.session.actor.must_change_password:
            return  # nothing may be read before the temporary password is changed; the page reloads then
        chosen = self.selected()
        try:
            self.model.load()
        except Exception as exc:  # noqa: BLE001 - e.g. the session is locked
            dialogs.show_error(self, self.tr("Users"), dialogs.error_text(exc))
        self.table.resizeColumnsToContents()
        if chosen is not None:
            self.select(chosen.username)
        self._update()

    def select(self, username: str) -> None:
        for row, user in enumerate(self.model.rows):
            if user.username == username:
                self.table.selectRow(row)

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.user(rows[0].row()) if rows else None

    def _update(self) -> None:
        user = self.selected()
        mine = user is not None and user.username == self.session.actor.username
        self.buttons["reset"].setEnabled(user is not None and not mine)
        self.buttons["role"].setEnabled(user is not None and not mine and user.active)
        self.buttons["deactivate"].setEnabled(user is not None and not mine and user.active)
        self.buttons["unlock"].setEnabled(user is not None and user.locked_until is not None)

    # -- actions ----------------------------------------------------------------------------

    def add_user(self, prefill: NewUser | None = None) -> None:
        entered = user_dialogs.ask_new_user(self, self.session, prefill)
        if entered is None:
            return

        def done(password: str) -> None:
            self.refresh()
            self.select(entered.username)
            dialogs.show_info(self, self.tr("User added"), self._hand_over_text(entered.full_name, entered.username,
                                                                                password))

        def failed(exc: BaseException) -> None:
            dialogs.show_error(self, self.tr("Add a user"), dialogs.error_text(exc))
            self.add_user(entered)  # open the dialog again with what was typed

        self.operation = dialogs.run_with_progress(
            self, self.tr("Adding the user…"),
            lambda _p: users.add_user(self.session, entered.username, entered.full_name, entered.role),
            done, on_failure=failed)

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        reason = dialogs.ask_reason(self, self.tr("Reset password"), self.tr(
            "Reset the password of {0} ({1})? They get a temporary password and must choose a new one at "
            "their next login; a deactivated account becomes active again. Give the reason:"
        ).format(user.full_name, user.username))
        if reason is None:
            return

        def done(password: str) -> None:
            self.refresh()
            dialogs.show_info(self, self.tr("Password reset"), self._hand_over_text(user.full_name, user.username,
                                                                                    password))

        self.operation = dialogs.run_with_progress(
            self, self.tr("Resetting the password…"),
            lambda _p: users.reset_password(self.session, user.username, reason), done)

    def _hand_over_text(self, full_name: str, username: str, password: str) -> str:
        return self.tr("Temporary password of {0} ({1}):\n\n{2}\n\nGive it to {0} in person, not by e-mail or "
                       "message. It is shown only now. {0} must choose a new password at the first login."
                       ).format(full_name, username, password)

    def change_role(self) -> None:
        user = self.selected()
        if user is None:
            return
        role = user_dialogs.choose_role(self, self.session, user)
        if role is None or role == user.role:
            return
        reason = dialogs.ask_reason(self, self.tr("Change role"), self.tr(
            "Change the role of {0} from {1} to {2}. Give the reason:").format(
            user.username, role_label(self.session, user.role), role_label(self.session, role)))
        if reason is None:
            return
        self._run_quick(self.tr("Change role"), lambda: users.change_role(self.session, user.username, role, reason))

    def deactivate(self) -> None:
        user = self.selected()
        if user is None:
            return
        reason = dialogs.ask_reason(self, self.tr("Deactivate user"), self.tr(
            "Deactivate {0} ({1})? They can no longer log in. The account stays in the list and in the audit "
            "trail; a password reset activates it again. Give the reason:").format(user.full_name, user.username))
        if reason is None:
            return
        self._run_quick(self.tr("Deactivate user"), lambda: users.deactivate_user(self.session, user.username, reason))

    def unlock(self) -> None:
        user = self.selected()
        if user is None:
            return
        reason = dialogs.ask_reason(self, self.tr("Unlock user"), self.tr(
            "Lift the lockout of {0} ({1}) after {2} failed logins? Do it only when you know that {0} made "
            "them (e.g. {0} called you); their password stays as it is. Give the reason:").format(
            user.full_name, user.username, user.failed_logins))
        if reason is None:
            return
        self._run_quick(self.tr("Unlock user"), lambda: users.unlock_account(self.session, user.username, reason))

    def _run_quick(self, title: str, work: Callable[[], object]) -> None:
        """A short write (no key derivation) on the GUI thread; its refusal becomes a message."""
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - every refusal of the service is shown
            dialogs.show_error(self, title, dialogs.error_text(exc))
        self.refresh()

    def change_own_password(self) -> None:
        ChangePasswordDialog(self.session, self).exec()
        self.refresh()
