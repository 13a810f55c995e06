"""Restoring a backup runs with no session open (the database file is swapped), so the app controller
calls this after logging out: `ask_restore_login` for the password, then `restore_in_background`."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ecrf.services import backup
from ecrf.services.backup import RestoreInfo
from ecrf.ui import dialogs
from ecrf.ui.background import Operation, Progress
from ecrf.ui.clock import shown_time


def restore_in_background(parent: QWidget | None, backup_file: Path, db_path: Path, username: str, password: str,
                          on_done: Callable[[RestoreInfo], None], *,
                          on_failure: Callable[[BaseException], None] | None = None) -> Operation:
    """Check and swap in `backup_file` on a worker with a progress dialog; `on_done` gets the result on
    the GUI thread. A refusal (wrong password, damaged file) is shown as a message unless `on_failure`
    is given. Keep the returned operation referenced until it ends."""

    def work(progress: Progress) -> RestoreInfo:
        progress.report(0, 0, QCoreApplication.translate("Restore", "Checking the backup and putting it in place…"))
        return backup.restore(backup_file, db_path, username, password)

    title = QCoreApplication.translate("Restore", "Restoring a backup…")
    return dialogs.run_with_progress(parent, title, work, on_done, on_failure=on_failure)


def restored_text(info: RestoreInfo) -> str:
    """What to tell the user after a restore (for `on_done`)."""
    text = QCoreApplication.translate("Restore", "The backup made {0} (audit trail up to event {1}) is now the "
                                                 "site database. Accounts and passwords are those valid when the "
                                                 "backup was made.").format(
        shown_time(info.created_utc), info.audit_head_seq)
    if info.set_aside is not None:
        text += "\n\n" + QCoreApplication.translate("Restore", "The database it replaced is kept as {0}.").format(
            info.set_aside)
    return text


class RestoreLoginDialog(QDialog):
    """Who restores: a site administrator's name and password as they were at backup time, or
    'recovery' with the recovery code."""

    def __init__(self, backup_file: Path, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Restore a backup"))
        self.setMinimumWidth(480)
        layout = QFormLayout(self)
        note = QLabel(self.tr("Restoring {0}. Enter a site administrator's username and the password valid "
                              "when the backup was made (or the username 'recovery' and the recovery code)."
                              ).format(backup_file.name))
        note.setWordWrap(True)
        layout.addRow(note)
        self.username, self.password = QLineEdit(username), QLineEdit()
        self.username.setObjectName("username")
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addRow(self.tr("Username"), self.username)
        layout.addRow(self.tr("Password"), self.password)
        (self.password if username else self.username).setFocus()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)


def ask_restore_login(parent: QWidget | None, backup_file: Path, username: str = "") -> tuple[str, str] | None:
    """(username, password) for the restore; None when cancelled (tests replace this function)."""
    dialog = RestoreLoginDialog(backup_file, username, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.username.text().strip(), dialog.password.text()
