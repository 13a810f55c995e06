"""Backup & restore tab. A backup runs on a worker; a restore needs the database closed, so this tab
only asks and emits `restoreRequested(path)`: the app logs out and calls `restore.restore_in_background`."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import backup, backup_status
from ecrf.services.backup import BackupInfo
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs
from ecrf.ui.background import Operation, Progress
from ecrf.ui.clock import shown_time
from ecrf.ui.file_dialogs import ask_open_file, ask_save_file, start_folder


def _filter() -> str:
    return QCoreApplication.translate("BackupTab", "ecrf backup (*.zip);;All files (*)")


def ask_backup_target(parent: QWidget, suggested: Path) -> Path | None:
    """Where to write a new backup; None when cancelled (tests replace this function)."""
    title = QCoreApplication.translate("BackupTab", "Save the backup as")
    return ask_save_file(parent, "backup", title, suggested.name, _filter())


def ask_backup_source(parent: QWidget) -> Path | None:
    """Which backup to restore; None when cancelled (tests replace this function)."""
    title = QCoreApplication.translate("BackupTab", "Choose the backup to restore")
    return ask_open_file(parent, "restore", title, _filter())


class BackupTab(QWidget):
    restoreRequested = Signal(str)
    backupMade = Signal()  # the admin page's reminder follows

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operation: Operation | None = None
        self.last: BackupInfo | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self._backup_box())
        layout.addWidget(self._restore_box())
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        """Say when the last backup was made (from the audit trail: the CLI's backups count too)."""
        try:
            found = backup_status.last_backup(self.session)
        except Exception as exc:  # noqa: BLE001 - e.g. the session is locked: say so where the date would be
            self.last_made.setText(dialogs.error_text(exc))
            return
        overdue = backup_status.backup_overdue(found, self.session.clock.now())
        self.last_made.setText(self.last_backup_text(found))
        self.last_made.setStyleSheet("color: #8a4b00; font-weight: bold;" if overdue else "")

    def last_backup_text(self, found: backup_status.LastBackup | None) -> str:
        """"Last backup: …" in words, with its age in days (the reminder on the admin page says the same)."""
        if found is None:
            return self.tr("No backup of this site has been made yet.")
        days = found.age(self.session.clock.now()).days
        when = shown_time(found.at_utc)
        if days < 1:
            return self.tr("Last backup: {0} (today) by {1}, file {2}.").format(
                when, found.username, found.file_name)
        return self.tr("Last backup: {0} (%n day(s) ago) by {1}, file {2}.", "", days).format(
            when, found.username, found.file_name)

    def _backup_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Backup"))
        column = QVBoxLayout(box)
        text = QLabel(self.tr(
            "A backup is an encrypted copy of the whole site database, checked before it is named. Keep it on "
            "a drive stored apart from this PC (e.g. a USB drive in a locked cupboard), and make one at least "
            "every week and before any update. It opens with the passwords valid when it was made, or with "
            "the recovery code."))
        text.setWordWrap(True)
        self.last_made = QLabel()  # when the last backup was made: filled by refresh()
        self.last_made.setObjectName("last_backup")
        self.last_made.setWordWrap(True)
        self.backup_button = QPushButton(self.tr("Make a backup…"))
        self.backup_button.setObjectName("backup")
        self.backup_button.clicked.connect(lambda _c=False: self.make_backup())
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        for widget in (text, self.last_made, self.backup_button, self.result):
            column.addWidget(widget)
        return box

    def _restore_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Restore"))
        column = QVBoxLayout(box)
        text = QLabel(self.tr(
            "Restoring puts a backup in place of this site's database. Everything entered after the backup "
            "was made is no longer in use (the replaced database is kept beside it). You are logged out first; "
            "then the password of a site administrator as it was when the backup was made is needed."))
        text.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("Restore a backup…"))
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(lambda _c=False: self.request_restore())
        column.addWidget(text)
        column.addWidget(self.restore_button)
        return box

    def suggested_name(self) -> Path:
        stamp = self.session.clock.now().strftime("%Y%m%d-%H%M")
        return start_folder("backup") / f"ecrf-backup-{self.session.site_code}-{stamp}.zip"

    def make_backup(self) -> None:
        target = ask_backup_target(self, self.suggested_name())
        if target is None:
            return
        if target.suffix == "":
            target = target.with_suffix(".zip")

        def work(progress: Progress) -> BackupInfo:
            progress.report(0, 0, QCoreApplication.translate("BackupTab", "Copying and checking the database…"))
            return backup.backup(self.session, target)

        self.backup_button.setEnabled(False)
        self.operation = dialogs.run_with_progress(self, self.tr("Making a backup…"), work, self._done,
                                                   on_failure=self._failed)

    def _done(self, info: BackupInfo) -> None:
        self.backup_button.setEnabled(True)
        self.last = info
        self.refresh()
        self.backupMade.emit()
        text = self.tr("Backup written to {0} ({1} MB, audit trail up to event {2}). It was checked before "
                       "it was named.").format(info.path, f"{info.size / 1e6:.1f}", info.audit_head_seq)
        self.result.setText(text)
        self.result.setStyleSheet("color: #1b5e20;")
        dialogs.show_info(self, self.tr("Backup made"), text)

    def _failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(True)
        message = dialogs.error_text(exc)
        self.result.setText(self.tr("The last backup failed: {0}").format(message))
        self.result.setStyleSheet("color: #b00020;")
        dialogs.show_error(self, self.tr("Backup failed"), message)

    def request_restore(self) -> None:
        source = ask_backup_source(self)
        if source is None:
            return
        if not dialogs.ask_yes_no(self, self.tr("Restore a backup"), self.tr(
                "Restore {0}?\n\nThe site's database is replaced by the backup: data entered after the backup "
                "was made will not be in the restored database (the current one is kept beside it, renamed). "
                "Everyone must be logged out. You are logged out now and asked for the password valid when "
                "the backup was made.").format(source)):
            return
        self.restoreRequested.emit(str(source))
