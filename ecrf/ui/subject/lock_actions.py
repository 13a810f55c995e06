"""Lock and unlock on the subject page (investigators; the plan says what a lock needs, the service refuses
with what is missing): lock the form or visit chosen in the schedule, or the whole subject; unlock any lock in
force with a reason (signatures over the unlocked data break)."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QWidget

from ecrf.services import locks
from ecrf.services.locks import LockInfo
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study.status import Scope
from ecrf.ui import dialogs


class LockButtons(QWidget):
    changed = Signal()

    def __init__(self, session: SiteSession, subject: Callable[[], str], form: Callable[[], FormRef | None],
                 visit: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.subject, self.form, self.visit = session, subject, form, visit
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.lock_button = QPushButton(self.tr("Lock…"))
        self.lock_button.setObjectName("lock")
        self.lock_menu = QMenu(self)
        self.lock_menu.aboutToShow.connect(self._fill_lock_menu)
        self.lock_button.setMenu(self.lock_menu)
        self.unlock_button = QPushButton(self.tr("Unlock…"))
        self.unlock_button.setObjectName("unlock")
        self.unlock_menu = QMenu(self)
        self.unlock_menu.aboutToShow.connect(self._fill_unlock_menu)
        self.unlock_button.setMenu(self.unlock_menu)
        layout.addWidget(self.lock_button)
        layout.addWidget(self.unlock_button)

    def _fill_lock_menu(self) -> None:
        self.lock_menu.clear()
        ref, visit = self.form(), self.visit()
        if ref is not None:
            self.lock_menu.addAction(self.tr("Lock form {0}").format(f"{ref.visit}/{ref.form}"),
                                     lambda: self.lock(Scope.FORM, ref=ref))
        if visit:
            self.lock_menu.addAction(self.tr("Lock visit {0}").format(visit), lambda: self.lock(Scope.VISIT, visit))
        self.lock_menu.addAction(self.tr("Lock the whole subject"), lambda: self.lock(Scope.SUBJECT))

    def _fill_unlock_menu(self) -> None:
        self.unlock_menu.clear()
        try:
            active = locks.active_locks(self.session, self.subject())
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, self.tr("Unlock"), dialogs.error_text(exc))
            return
        if not active:
            self.unlock_menu.addAction(self.tr("Nothing is locked")).setEnabled(False)
        for info in active:
            self.unlock_menu.addAction(self._name(info), partial(self.unlock, info))

    def _name(self, info: LockInfo) -> str:
        if info.scope is Scope.SUBJECT:
            return self.tr("the whole subject (locked by {0})").format(info.locked_by)
        if info.scope is Scope.VISIT:
            return self.tr("visit {0} (locked by {1})").format(info.place.visit, info.locked_by)
        return self.tr("form {0} (locked by {1})").format(str(info.place), info.locked_by)

    def lock(self, scope: Scope, visit: str = "", ref: FormRef | None = None) -> bool:
        try:
            locks.lock(self.session, self.subject(), scope, visit=visit, ref=ref)
        except Exception as exc:  # noqa: BLE001 - the refusal lists what is missing
            dialogs.show_error(self, self.tr("Cannot lock"), dialogs.error_text(exc))
            return False
        self.changed.emit()
        return True

    def unlock(self, info: LockInfo) -> bool:
        reason = dialogs.ask_reason(self, self.tr("Unlock"), self.tr(
            "Why must {0} be unlocked? Signatures over these data will be marked broken.").format(self._name(info)))
        if reason is None:
            return False
        try:
            locks.unlock(self.session, info.id, reason)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, self.tr("Cannot unlock"), dialogs.error_text(exc))
            return False
        self.changed.emit()
        return True
