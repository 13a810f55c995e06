"""The signing ceremony on screen (21 CFR 11.50, 11.100, 11.200): the one-time certification before a user's
first signature, then the signing dialog: what is signed (the forms), the printed name, the meaning in the
user's language and the other, the time, warnings to acknowledge, username (first signature of the session)
and password.

Pages call `sign_with_dialogs(...)`; it asks through `ask_certification` / `ask_signature`, module attributes
that tests replace (like `ecrf.ui.dialogs`). The signing dialog refuses another user's username itself and stays
open (the signer is the user logged in); after a signature the page it was made from is refreshed and a short
confirmation says what was signed."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import esign
from ecrf.services.errors import InvalidInput
from ecrf.services.esign import CERTIFICATION, Preview, SignedForms
from ecrf.services.session import SiteSession
from ecrf.study.status import Scope
from ecrf.trail.esign import Place
from ecrf.ui import dialogs
from ecrf.ui.clock import shown_time
from ecrf.ui.i18n import text_lang
from ecrf.ui.page import Page

WARNING_STYLE = "color: #8a4b00;"  # with the ⚠ symbol: never colour alone
ERROR_STYLE = "color: #9b0000;"


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def _secret(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class CertificationDialog(QDialog):
    """Once per user: the statement that their electronic signature binds like their handwritten one."""

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Certify your electronic signature"))
        self.setMinimumWidth(560)
        lang = text_lang()
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Before your first electronic signature, {0}, please read and certify:").format(
            session.actor.full_name))
        intro.setWordWrap(True)
        statement = QLabel(CERTIFICATION.get(lang))
        statement.setObjectName("statement")
        statement.setWordWrap(True)
        font = statement.font()
        font.setBold(True)
        statement.setFont(font)
        other = QLabel(CERTIFICATION.get(_other(lang)))
        other.setObjectName("statement_other")
        other.setWordWrap(True)
        self.password = _secret("password")
        form = QFormLayout()
        form.addRow(self.tr("Your password"), self.password)
        note = QLabel(self.tr("This is recorded once, with the time, in the audit trail."))
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.certify_button = self.buttons.addButton(self.tr("I certify"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.certify_button.setObjectName("certify")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.password.textChanged.connect(self._update)
        for widget in (intro, statement, other, note):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        self.certify_button.setEnabled(bool(self.password.text()))


@dataclass(frozen=True)
class SignatureAnswer:
    username: str | None
    password: str
    acknowledged: bool


class SigningDialog(QDialog):
    """What is being signed, by whom, meaning what, when; then the signature's components."""

    def __init__(self, session: SiteSession, preview: Preview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Electronic signature"))
        self.setMinimumWidth(620)
        plan, lang, actor = session.study.monitoring.signature, text_lang(), session.actor
        layout = QVBoxLayout(self)
        what = QLabel(self.tr("You are signing {0}: {1} form(s).").format(preview.place, len(preview.forms)))
        what.setObjectName("what")
        what.setWordWrap(True)
        layout.addWidget(what)
        self.forms = QListWidget()
        self.forms.setObjectName("forms")
        self.forms.addItems(list(preview.forms))
        self.forms.setMaximumHeight(110)
        layout.addWidget(self.forms)
        facts = QFormLayout()
        self.name = QLabel(f"{actor.full_name} ({actor.username})")
        self.name.setObjectName("printed_name")
        facts.addRow(self.tr("Printed name"), self.name)
        meaning = QLabel(f"{plan.meaning.get(lang)}\n{plan.meaning.get(_other(lang))}")
        meaning.setObjectName("meaning")
        meaning.setWordWrap(True)
        facts.addRow(self.tr("Meaning (version {0})").format(plan.meaning_version), meaning)
        now = shown_time(session.clock.now())
        when = QLabel(self.tr("{0} now; the exact time of signing is recorded.").format(now))
        when.setObjectName("time")
        facts.addRow(self.tr("Time"), when)
        layout.addLayout(facts)
        self.acknowledge: QCheckBox | None = None
        if preview.warnings:
            self._warnings(layout, preview)
        components = QFormLayout()
        self.username: QLineEdit | None = None
        if esign.needs_username(session):
            self.username = QLineEdit()
            self.username.setObjectName("username")
            self.username.textChanged.connect(self._update)
            components.addRow(self.tr("Username"), self.username)
        self.password = _secret("password")
        self.password.textChanged.connect(self._update)
        components.addRow(self.tr("Password"), self.password)
        layout.addLayout(components)
        hint = QLabel(self.tr("The first signature of a session needs your username and password; later ones "
                              "need the password only, until the session is locked or you log out.")
                      if self.username is not None else
                      self.tr("You signed earlier in this session: your password is enough."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.addButton(self.tr("Sign"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setObjectName("sign")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()
        (self.username or self.password).setFocus()

    def _warnings(self, layout: QVBoxLayout, preview: Preview) -> None:
        lang = text_lang()
        text = "\n".join(f"⚠ {warning.text(lang)}" for warning in preview.warnings)
        warnings = QLabel(text)
        warnings.setObjectName("warnings")
        warnings.setWordWrap(True)
        warnings.setStyleSheet(WARNING_STYLE)
        layout.addWidget(warnings)
        self.acknowledge = QCheckBox(self.tr("I have read these warnings and sign anyway"))
        self.acknowledge.setObjectName("acknowledge")
        self.acknowledge.toggled.connect(self._update)
        layout.addWidget(self.acknowledge)

    def _update(self) -> None:
        ready = bool(self.password.text()) and (self.username is None or bool(self.username.text().strip()))
        self.sign_button.setEnabled(ready and (self.acknowledge is None or self.acknowledge.isChecked()))

    def accept(self) -> None:
        """Sign: a username that is not the signer's own is said here and the dialog stays open with what was
        entered but the password (no password was checked: it is nobody's failed attempt)."""
        if self.username is not None:
            try:
                esign.check_signer(self.session.actor.username, self.username.text())
            except InvalidInput as exc:
                self.refuse(dialogs.error_text(exc))
                return
        super().accept()

    def refuse(self, text: str) -> None:
        """Say why the entries cannot sign; the password is typed again, the rest stays."""
        self.error.setText(f"⚠ {text}")
        self.error.show()
        self.password.clear()
        if self.username is not None:
            self.username.setFocus()
            self.username.selectAll()
        else:
            self.password.setFocus()

    def answer(self) -> SignatureAnswer:
        return SignatureAnswer(self.username.text().strip() if self.username is not None else None,
                               self.password.text(), self.acknowledge is not None and self.acknowledge.isChecked())


def ask_certification(parent: QWidget | None, session: SiteSession) -> str | None:
    """The password that confirms the certification, or None when cancelled."""
    dialog = CertificationDialog(session, parent)
    return dialog.password.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_signature(parent: QWidget | None, session: SiteSession, preview: Preview) -> SignatureAnswer | None:
    dialog = SigningDialog(session, preview, parent)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _title() -> str:
    return QCoreApplication.translate("SigningDialog", "Electronic signature")


def sign_with_dialogs(parent: QWidget | None, session: SiteSession, subject: str, scope: Scope, *,
                      visit: str | None = None, ref: Place | None = None) -> bool:
    """The whole ceremony: what would be signed (refusals said at once), the certification if it is the
    user's first signature, then the signing dialog. True when signed."""
    import ecrf.ui.esign.dialog as here  # the module attributes, so that tests can answer the dialogs

    try:
        preview = esign.preview(session, subject, scope, visit=visit, ref=ref)
        if esign.certification(session) is None:
            password = here.ask_certification(parent, session)
            if password is None:
                return False
            esign.certify(session, password)
        answer = here.ask_signature(parent, session, preview)
        if answer is None:
            return False
        signed = esign.sign(session, subject, scope, visit=visit, ref=ref, username=answer.username,
                            password=answer.password, acknowledge_warnings=answer.acknowledged)
    except Exception as exc:  # noqa: BLE001 - every refusal is a message; nothing was signed
        dialogs.show_error(parent, _title(), dialogs.error_text(exc))
        return False
    _confirm(parent, session, preview, signed)
    return True


def _confirm(parent: QWidget | None, session: SiteSession, preview: Preview, signed: SignedForms) -> None:
    """The page signed from shows the signature at once (a form editor rereads its form and its monitoring
    line, through the refresh every page has), then a short confirmation says what was signed."""
    if isinstance(parent, Page):
        parent.refresh()
    dialogs.show_info(parent, _title(), confirmation_text(session, preview, signed))


def confirmation_text(session: SiteSession, preview: Preview, signed: SignedForms) -> str:
    return QCoreApplication.translate("SigningDialog", "Signed: {0} ({1} form(s)), by {2} at {3}.").format(
        preview.place, len(signed.forms), session.actor.full_name, shown_time(signed.signed_at))
