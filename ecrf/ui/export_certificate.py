"""The site's signing certificate as the sponsor registers it: its SHA-256 fingerprint, Copy, and
Save certificate… (in the export dialog and on the administration's Site tab)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ecrf.export.bundle.identity import format_fingerprint
from ecrf.export.bundle.layout import safe_name
from ecrf.services import signing
from ecrf.services.session import SiteSession
from ecrf.services.signing import CertificateInfo
from ecrf.ui import dialogs
from ecrf.ui.file_dialogs import ask_save_file, start_folder


def fingerprint_lines(fingerprint: str) -> str:
    """AB:CD:… in two lines of 16 bytes: narrow enough for a dialog, easy to compare by eye."""
    groups = format_fingerprint(fingerprint).split(":")
    return ":".join(groups[:16]) + "\n" + ":".join(groups[16:])


def ask_certificate_target(parent: QWidget, suggested: Path) -> Path | None:
    """Where to save the certificate; None when cancelled (tests replace this function)."""
    title = QCoreApplication.translate("CertificatePanel", "Save the site certificate as")
    return ask_save_file(parent, "export", title, suggested.name, QCoreApplication.translate(
        "CertificatePanel", "Certificate (*.pem);;All files (*)"))


def default_folder() -> Path:
    """Where bundles and certificates go unless chosen otherwise: the last export folder, a removable drive,
    else Documents (`file_dialogs.start_folder`)."""
    return start_folder("export")


class CertificatePanel(QWidget):
    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.info: CertificateInfo | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("certificate_fingerprint")
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setObjectName("copy_fingerprint")
        self.copy_button.setToolTip(self.tr("Copy the fingerprint, e.g. into an e-mail to the sponsor"))
        self.copy_button.clicked.connect(lambda _c=False: self.copy_fingerprint())
        self.save_button = QPushButton(self.tr("Save certificate…"))
        self.save_button.setObjectName("save_certificate")
        self.save_button.clicked.connect(lambda _c=False: self.save_certificate())
        for button in (self.copy_button, self.save_button):
            button.setAutoDefault(False)  # Enter in a dialog means its main button (Export), not these
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        column.addWidget(self.fingerprint)
        column.addLayout(row)

    def load(self) -> bool:
        """Read (or, for a site without one, make) the certificate; a refusal is shown in place."""
        try:
            self.info = signing.site_certificate(self.session)
        except Exception as exc:  # noqa: BLE001 - e.g. a monitor on a site without a key yet
            self.info = None
            self.fingerprint.setText(dialogs.error_text(exc))
            self.fingerprint.setWordWrap(True)
        else:
            self.fingerprint.setText(fingerprint_lines(self.info.fingerprint))
            self.fingerprint.setWordWrap(False)
        self.copy_button.setEnabled(self.info is not None)
        self.save_button.setEnabled(self.info is not None)
        return self.info is not None

    def copy_fingerprint(self) -> None:
        if self.info is None:
            return
        QGuiApplication.clipboard().setText(format_fingerprint(self.info.fingerprint))
        self.copy_button.setText(self.tr("Copied"))
        # The button as context: no call after the panel is gone.
        QTimer.singleShot(1500, self.copy_button, lambda: self.copy_button.setText(self.tr("Copy")))

    def suggested_name(self) -> Path:
        study, site = safe_name(self.session.study.info.oid), safe_name(self.session.site_code)
        return default_folder() / f"{study}_{site}_certificate.pem"

    def save_certificate(self) -> None:
        if self.info is None:
            return
        target = ask_certificate_target(self, self.suggested_name())
        if target is None:
            return
        title = self.tr("Save certificate")
        try:
            target.write_text(self.info.pem, encoding="ascii")
        except OSError as exc:
            dialogs.show_error(self, title, dialogs.error_text(exc))
            return
        dialogs.show_info(self, title, self.tr(
            "The certificate was saved to\n{0}\n\nSend it to the sponsor, and read them its SHA-256 fingerprint "
            "on the phone so that they know it is this site's:\n{1}").format(target, fingerprint_lines(
                self.info.fingerprint)))
