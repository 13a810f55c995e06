"""Site tab: what this installation is, the idle lock setting, the recovery code warning and the certificate
bundles are signed with."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import site_settings
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.services.site_settings import SiteInfo
from ecrf.ui import dialogs
from ecrf.ui.admin.allocation_box import AllocationListBox
from ecrf.ui.admin.site_state_box import SiteStateBox
from ecrf.ui.admin.sponsor_box import SponsorCertificateBox
from ecrf.ui.clock import shown_time
from ecrf.ui.export_certificate import CertificatePanel
from ecrf.ui.i18n import text_lang

WARNING_STYLE = ("QFrame#recovery_warning { background: #fff4e5; border: 2px solid #e0a040; border-radius: 6px; }"
                 "QFrame#recovery_warning QLabel { color: #4a3000; background: transparent; border: none; }")


class SiteTab(QWidget):
    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.info: SiteInfo | None = None
        self.values: dict[str, QLabel] = {}
        # In a scroll area: with the admin page's reminders above, a 1366 x 768 screen is too short for every
        # box at its full height, and a squeezed box cuts its text; scrolling cuts nothing.
        inner = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(inner)
        layout.addWidget(self._warning())
        top = QHBoxLayout()
        left = QVBoxLayout()  # the allocation list under the facts: the right column is full at 1366 x 768
        left.addWidget(self._facts(), 1)
        self.allocation = AllocationListBox(session)
        left.addWidget(self.allocation)
        top.addLayout(left, 3)
        right = QVBoxLayout()  # the settings beside the facts, so the tab fits a 1366 x 768 screen
        right.addWidget(self._idle_lock())
        if may(session.actor.role, Do.FREEZE_SITE):
            self.site_state = SiteStateBox(session)
            right.addWidget(self.site_state)
        top.addLayout(right, 2)
        layout.addLayout(top)
        bottom = QHBoxLayout()
        bottom.addWidget(self._certificate(), 3)
        self.sponsor = SponsorCertificateBox(session)
        bottom.addWidget(self.sponsor, 2)
        layout.addLayout(bottom)
        layout.addStretch(1)
        self.refresh()

    def _warning(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("recovery_warning")
        frame.setStyleSheet(WARNING_STYLE)
        column = QVBoxLayout(frame)
        heading = QLabel(self.tr("Recovery code"))
        heading.setStyleSheet("font-weight: bold; font-size: 13pt;")
        text = QLabel(self.tr(
            "The recovery code was shown once, when this site was set up. Keep it on paper, locked away apart "
            "from this PC. It is the only way back into the site if every administrator password is lost: "
            "without it, nobody (not even the software's makers) can open the data. Anyone who has it can "
            "read the site's data, so never store it on the PC, in e-mail or in a photo."))
        text.setWordWrap(True)
        self.recovery_state = QLabel()
        self.recovery_state.setObjectName("recovery_state")
        self.recovery_state.setWordWrap(True)
        for widget in (heading, text, self.recovery_state):
            column.addWidget(widget)
        return frame

    def _facts(self) -> QGroupBox:
        box = QGroupBox(self.tr("This site"))
        form = QFormLayout(box)
        for key, label in (("site", self.tr("Site")), ("study", self.tr("Study")),
                           ("version", self.tr("Form definition")), ("created", self.tr("Set up on")),
                           ("db", self.tr("Database file")), ("users", self.tr("User accounts")),
                           ("subjects", self.tr("Subjects")), ("audit", self.tr("Audit trail"))):
            value = QLabel()
            value.setObjectName(f"info_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(label, value)
        return box

    def _certificate(self) -> QGroupBox:
        box = QGroupBox(self.tr("Signing certificate"))
        column = QVBoxLayout(box)
        text = QLabel(self.tr(
            "Every export bundle is signed with this site's key. The sponsor registers the certificate once and "
            "checks each bundle against it: send them the certificate file and compare this SHA-256 fingerprint "
            "with them by phone."))
        text.setWordWrap(True)
        self.certificate = CertificatePanel(self.session)
        column.addWidget(text)
        column.addWidget(self.certificate)
        return box

    def _idle_lock(self) -> QGroupBox:
        box = QGroupBox(self.tr("Automatic lock"))
        column = QVBoxLayout(box)
        text = QLabel(self.tr("The app covers itself and asks for the password again after this many minutes "
                              "without use, so an unattended PC on the ward shows no data."))
        text.setWordWrap(True)
        row = QHBoxLayout()
        self.minutes = QSpinBox()
        self.minutes.setObjectName("idle_minutes")
        self.minutes.setRange(site_settings.IDLE_LOCK_MIN, site_settings.IDLE_LOCK_MAX)
        self.minutes.setSuffix(self.tr(" min"))
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setObjectName("apply_idle")
        self.apply_button.clicked.connect(lambda _c=False: self.apply_idle_lock())
        self.minutes.valueChanged.connect(lambda _v: self._update())
        row.addWidget(self.minutes)
        row.addWidget(self.apply_button)
        row.addStretch(1)
        column.addWidget(text)
        column.addLayout(row)
        if not may(self.session.actor.role, Do.MANAGE_SITE):
            self.minutes.setEnabled(False)
            note = QLabel(self.tr("Only a site administrator can change it."))
            note.setWordWrap(True)
            column.addWidget(note)
        column.addStretch(1)
        return box

    def refresh(self) -> None:
        try:
            self.info = site_settings.site_info(self.session)
        except Exception as exc:  # noqa: BLE001 - e.g. the session is locked
            dialogs.show_error(self, self.tr("Site"), dialogs.error_text(exc))
            return
        self._show(self.info)
        self.certificate.load()
        self.sponsor.load()
        self.allocation.load()

    def _show(self, info: SiteInfo) -> None:
        study = self.session.study.info
        version = info.definition_version
        if info.loaded_version != info.definition_version:
            version = self.tr("{0} (site set up under {1})").format(info.loaded_version, info.definition_version)
        texts = {
            "site": f"{info.site_code} – {info.site_name}",
            "study": f"{info.study_oid} – {study.short_title.get(text_lang())}",
            "version": version,
            "created": shown_time(info.created_at),
            "db": str(info.db_path),
            "users": self.tr("{0} active, {1} deactivated").format(info.active_users, info.inactive_users),
            "subjects": str(info.subjects),
            "audit": self.tr("{0} events").format(info.audit_head_seq),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        if info.recovery_slot:
            self.recovery_state.setText(self.tr("The recovery code of this site is set up."))
        else:
            self.recovery_state.setText(self.tr("This site has no recovery code: if every administrator password "
                                                "is lost, the data cannot be opened."))
        self.minutes.blockSignals(True)
        self.minutes.setValue(info.idle_lock_minutes)
        self.minutes.blockSignals(False)
        self._update()

    def _update(self) -> None:
        changed = self.info is not None and self.minutes.value() != self.info.idle_lock_minutes
        self.apply_button.setEnabled(changed and may(self.session.actor.role, Do.MANAGE_SITE))

    def apply_idle_lock(self) -> None:
        try:
            site_settings.set_idle_lock_minutes(self.session, self.minutes.value())
        except Exception as exc:  # noqa: BLE001 - the service's refusal is shown
            dialogs.show_error(self, self.tr("Automatic lock"), dialogs.error_text(exc))
        self.refresh()
