"""The Users tab's table: one row per account, with its state (active, deactivated, locked out) in words."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ecrf.services import users
from ecrf.services.session import SiteSession
from ecrf.services.users import UserInfo
from ecrf.ui.admin.user_dialogs import role_label
from ecrf.ui.clock import shown_date, shown_time

Index = QModelIndex | QPersistentModelIndex
USERNAME, FULL_NAME, ROLE, ACTIVE, CHANGED, TEMPORARY = range(6)


class UsersModel(QAbstractTableModel):
    HEADERS = (QT_TRANSLATE_NOOP("UsersModel", "Username"), QT_TRANSLATE_NOOP("UsersModel", "Full name"),
               QT_TRANSLATE_NOOP("UsersModel", "Role"), QT_TRANSLATE_NOOP("UsersModel", "Active"),
               QT_TRANSLATE_NOOP("UsersModel", "Password changed"),
               QT_TRANSLATE_NOOP("UsersModel", "Temporary password"))

    def __init__(self, session: SiteSession) -> None:
        super().__init__()
        self.session = session
        self.rows: list[UserInfo] = []

    def load(self) -> None:
        self.beginResetModel()
        self.rows = users.list_users(self.session)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("UsersModel", self.HEADERS[section])  # type: ignore[arg-type]  # QT_TRANSLATE_NOOP's text; the stubs say object
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        user = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(user, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and user.active and user.locked_until is not None:
            return QColor("#b00020")  # locked out: the administrator looks for it when a user calls
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QColor("#7a7a7a")  # deactivated accounts stay listed, greyed
        return None

    def _text(self, user: UserInfo, column: int) -> str:
        if column == USERNAME:
            return user.username
        if column == FULL_NAME:
            return user.full_name
        if column == ROLE:
            return role_label(self.session, user.role)
        if column == ACTIVE:
            return self._state(user)
        if column == CHANGED:
            return shown_date(user.password_changed_at)
        return self.tr("Yes – must change at next login") if user.must_change_password else ""

    def _state(self, user: UserInfo) -> str:
        if not user.active:
            return self.tr("No (deactivated)")
        if user.locked_until is not None:
            return self.tr("Yes – locked out until {0} ({1} failed logins)").format(
                shown_time(user.locked_until), user.failed_logins)
        return self.tr("Yes")

    def user(self, row: int) -> UserInfo:
        return self.rows[row]
