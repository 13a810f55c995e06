"""The sponsor's certificate on the Site tab: which one is registered (its fingerprint, to compare with the
sponsor by phone) and, for the site administrator, Register… — the file is read, its fingerprint shown and
confirmed, and only then registered (an audited step of the service)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ecrf.services import sponsor_queries
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs
from ecrf.ui.clock import shown_time
from ecrf.ui.export_certificate import fingerprint_lines
from ecrf.ui.file_dialogs import ask_open_file


class SponsorCertificateBox(QGroupBox):
    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Sponsor certificate"))
        self.session = session
        column = QVBoxLayout(self)
        text = QLabel(self.tr(
            "The sponsor signs its query bundles with its own key. Once its certificate is registered here, "
            "Data › Import sponsor queries… takes the queries in; bundles signed by any other key are refused."))
        text.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("sponsor_state")
        self.state.setWordWrap(True)
        self.fingerprint = QLabel()  # as the site's own fingerprint beside it: fixed width, easy to read out
        self.fingerprint.setObjectName("sponsor_fingerprint")
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (text, self.state, self.fingerprint):
            column.addWidget(widget)
        if may(session.actor.role, Do.MANAGE_SITE):
            self.register_button = QPushButton(self.tr("Register the sponsor's certificate…"))
            self.register_button.setObjectName("register_sponsor")
            self.register_button.clicked.connect(lambda _c=False: self.register())
            row = QHBoxLayout()
            row.addWidget(self.register_button)
            row.addStretch(1)
            column.addLayout(row)

    def load(self) -> None:
        """Show the registered certificate (the Site tab calls this whenever it refreshes)."""
        try:
            registered = sponsor_queries.sponsor_certificate(self.session)
        except Exception as exc:  # noqa: BLE001 - e.g. the session is locked
            self.state.setText(dialogs.error_text(exc))
            return
        if registered is None:
            self.state.setText(self.tr("No sponsor certificate is registered: query bundles cannot be imported."))
            self.fingerprint.setText("")
            self.fingerprint.hide()
            return
        self.state.setText(self.tr("{0}, registered {1} by {2}. SHA-256:").format(
            registered.sponsor, shown_time(registered.registered_at), registered.registered_by))
        self.fingerprint.setText(fingerprint_lines(registered.fingerprint))
        self.fingerprint.show()

    def register(self) -> None:
        path = ask_sponsor_certificate(self)
        if path is None:
            return
        title = self.tr("Sponsor certificate")
        try:
            with open(path, "rb") as handle:
                data = handle.read(sponsor_queries.MAX_CERTIFICATE_BYTES + 1)
            sponsor, fingerprint = sponsor_queries.read_sponsor_certificate(data)
            if not dialogs.ask_yes_no(self, title, self.tr(
                    "Certificate of the sponsor {0}. Compare its SHA-256 fingerprint with the sponsor by phone "
                    "before you register it:\n\n{1}\n\nRegister it?").format(sponsor, fingerprint_lines(fingerprint))):
                return
            sponsor_queries.register_sponsor_certificate(self.session, data)
        except Exception as exc:  # noqa: BLE001 - an unreadable file or a refusal is shown
            dialogs.show_error(self, title, dialogs.error_text(exc))
            return
        self.load()


def ask_sponsor_certificate(parent: QWidget) -> Path | None:
    """Which certificate file to register; None when cancelled (tests replace this function)."""
    return ask_open_file(
        parent, "import", QCoreApplication.translate("SponsorCertificateBox", "Choose the sponsor's certificate"),
        QCoreApplication.translate("SponsorCertificateBox", "Certificate (*.pem);;All files (*)"))
