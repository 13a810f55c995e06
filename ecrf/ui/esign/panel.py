"""The subject's electronic signatures: a tab listing every signature (valid ✓ or broken ✗, with why), a line
for the subject page's header that flags broken ones, and, for investigators, "Sign the casebook / a visit"."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import esign_views
from ecrf.services.esign_views import SignatureView
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.study.status import Scope, SignatureState
from ecrf.ui.clock import shown_time
from ecrf.ui.esign.dialog import sign_with_dialogs
from ecrf.ui.i18n import text_lang
from ecrf.ui.read_only_table import read_only_rows

VALID, BROKEN = "✓", "✗"
BROKEN_COLOUR = QColor("#9b0000")


def signed_place(view: SignatureView) -> str:
    """'Casebook', 'Visit D7', 'Form D7/VS' (translated at call time)."""
    translate = QCoreApplication.translate
    if view.scope == Scope.SUBJECT:
        return translate("SignaturesTab", "Casebook")
    if view.scope == Scope.VISIT:
        return translate("SignaturesTab", "Visit {0}").format(view.visit)
    where = f"{view.visit}/{view.form}" if view.visit else f"{view.form} #{view.repeat}"
    return translate("SignaturesTab", "Form {0}").format(where + (f"/{view.timepoint}" if view.timepoint else ""))


def state_word(state: SignatureState) -> str:
    """'valid' / 'broken' in the UI's language (the Signatures tab, the audit trail screen)."""
    translate = QCoreApplication.translate
    return translate("SignaturesTab", "broken") if state is SignatureState.BROKEN else \
        translate("SignaturesTab", "valid")


def state_line(views: list[SignatureView]) -> str:
    """The header's summary: broken signatures first (they need signing again), else the casebook's."""
    translate = QCoreApplication.translate
    broken = [v for v in views if v.state is SignatureState.BROKEN and not _signed_again(v, views)]
    if broken:
        return translate("SignaturesTab", "{0} {1} signature(s) broken by later changes: sign again").format(
            BROKEN, len(broken))
    casebook = [v for v in views if v.scope == Scope.SUBJECT and v.state is SignatureState.VALID]
    if casebook:
        last = casebook[-1]
        return translate("SignaturesTab", "{0} Casebook signed by {1} on {2}").format(
            VALID, last.full_name, shown_time(last.signed_at))
    return ""


def _signed_again(view: SignatureView, views: list[SignatureView]) -> bool:
    """A broken signature whose place is signed validly again no longer needs attention (a valid signature at the
    same place is necessarily the newer one: it covers the data as they are now)."""
    return any(v.state is SignatureState.VALID and (v.scope, v.visit, v.form, v.timepoint, v.repeat) ==
               (view.scope, view.visit, view.form, view.timepoint, view.repeat) for v in views)


class SignaturesTab(QWidget):
    signed = Signal()

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.subject = session, ""
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("signatures")
        self.table.setHorizontalHeaderLabels([self.tr("State"), self.tr("Signed"), self.tr("Signed by"),
                                              self.tr("Time"), self.tr("Meaning"), self.tr("Broken because")])
        read_only_rows(self.table, single=False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = QLabel(self.tr("No electronic signature yet."))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self.sign_button: QPushButton | None = None
        if may(session.actor.role, Do.SIGN):
            layout.addLayout(self._sign_bar())

    def _sign_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.sign_button = QPushButton(self.tr("Sign…"))
        self.sign_button.setObjectName("sign_menu")
        menu = QMenu(self.sign_button)
        casebook = menu.addAction(self.tr("Sign the whole casebook…"))
        casebook.setObjectName("sign_casebook")
        casebook.triggered.connect(lambda _=False: self.sign(Scope.SUBJECT))
        visits = menu.addMenu(self.tr("Sign a visit"))
        for visit in self.session.study.visits:
            action = visits.addAction(f"{visit.code} – {visit.label.get(text_lang())}")
            action.setObjectName(f"sign_visit_{visit.code}")
            action.triggered.connect(lambda _=False, code=visit.code: self.sign(Scope.VISIT, visit=code))
        self.sign_button.setMenu(menu)
        bar.addWidget(self.sign_button)
        bar.addStretch(1)
        return bar

    def sign(self, scope: Scope, visit: str | None = None) -> bool:
        if not self.subject:
            return False
        done = sign_with_dialogs(self, self.session, self.subject, scope, visit=visit)
        if done:
            self.signed.emit()
        return done

    def show_subject(self, label: str) -> list[SignatureView]:
        """Reload the subject's signatures, newest first; returns them (the page's header summarises)."""
        self.subject = label
        views = esign_views.signatures_of(self.session, label)
        self.table.setRowCount(0)
        lang = text_lang()
        for view in reversed(views):
            row = self.table.rowCount()
            self.table.insertRow(row)
            broken = view.state is SignatureState.BROKEN
            state = f"{BROKEN if broken else VALID} {state_word(view.state)}"
            texts = [state, signed_place(view), f"{view.full_name} ({view.username})",
                     shown_time(view.signed_at, seconds=True), f"{view.meaning.get(lang)} (v{view.meaning_version})",
                     view.broken_reason or ""]
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if broken and column == 0:
                    item.setForeground(BROKEN_COLOUR)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(4, min(self.table.columnWidth(4), 320))
        self.empty.setVisible(not views)
        self.table.setVisible(bool(views))
        return views
