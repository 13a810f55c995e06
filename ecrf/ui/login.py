"""The first windows: start (no database yet: create a site or open the demo) and login."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecrf.ui.settings import LANGUAGES

DEMO_USERS = ("nurse", "investigator", "monitor", "admin", "reader")


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    return label


def language_combo(current: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("language")
    for code, name in LANGUAGES.items():
        combo.addItem(name, code)
    combo.setCurrentIndex(list(LANGUAGES).index(current))
    return combo


class StartWindow(QWidget):
    """Shown when there is no site database yet."""

    createSite = Signal()
    openDemo = Signal()
    languageChosen = Signal(str)

    def __init__(self, db_path: Path, language: str) -> None:
        super().__init__()
        self.setWindowTitle("ecrf")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(_title(self.tr("Welcome to ecrf")))
        intro = QLabel(self.tr("There is no site database on this computer yet ({0}).\n\n"
                               "Create the site database once, as the site administrator, before the "
                               "trial starts. To look around first, open the demo study: it has made-up "
                               "patients and its own users, apart from any real data.").format(db_path))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.create_button = QPushButton(self.tr("Create a new site…"))
        self.create_button.setObjectName("create")
        self.demo_button = QPushButton(self.tr("Open the demo study"))
        self.demo_button.setObjectName("demo")
        self.create_button.clicked.connect(self.createSite)
        self.demo_button.clicked.connect(self.openDemo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.demo_button)
        layout.addLayout(buttons)
        self.language = language_combo(language)
        self.language.currentIndexChanged.connect(lambda: self.languageChosen.emit(self.language.currentData()))
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(QLabel(self.tr("Language")))
        row.addWidget(self.language)
        layout.addLayout(row)
        # A word-wrapped label does not give a top-level window its height: size it for the text.
        self.resize(self.minimumWidth(), self.heightForWidth(self.minimumWidth()))


class CreateSiteDialog(QDialog):
    """The site administrator's details for `create_site`; the work itself is done by the caller."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Create a new site"))
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        self.site_code = QLineEdit(placeholderText="CN01")
        self.site_name = QLineEdit(placeholderText=self.tr("e.g. Wuhan Union Hospital"))
        self.admin_username = QLineEdit(placeholderText="admin")
        self.admin_full_name = QLineEdit()
        self.password, self.again = QLineEdit(), QLineEdit()
        for name, edit in (("site_code", self.site_code), ("site_name", self.site_name),
                           ("admin_username", self.admin_username), ("admin_full_name", self.admin_full_name),
                           ("password", self.password), ("again", self.again)):
            edit.setObjectName(name)
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Site code"), self.site_code)
        form.addRow(self.tr("Site name"), self.site_name)
        form.addRow(self.tr("Administrator username"), self.admin_username)
        form.addRow(self.tr("Administrator full name"), self.admin_full_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.again)
        self.error = _error_label()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, str, str, str]:
        """(site code, site name, administrator username, full name, password) as `create_site` takes them."""
        return (self.site_code.text().strip(), self.site_name.text().strip(), self.admin_username.text().strip(),
                self.admin_full_name.text().strip(), self.password.text())

    def _check(self) -> None:
        """A refused entry is said here, and the dialog stays open with everything typed."""
        if self.password.text() != self.again.text():
            self.error.setText(self.tr("The two passwords differ; type the same password twice."))
            return
        from ecrf.services.site_setup import check_new_site  # the services load once the user gets here
        from ecrf.ui.dialogs import error_text

        code, _name, username, full_name, password = self.values()
        try:
            check_new_site(code, username, full_name, password)
        except Exception as exc:  # noqa: BLE001 - every refusal becomes the message in the dialog
            self.error.setText(error_text(exc))
            return
        self.error.clear()
        self.accept()


class RecoveryCodeDialog(QDialog):
    """The recovery code is shown once: the administrator must confirm it has been written down."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recovery code"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        text = QLabel(self.tr("Write this recovery code on paper and keep it locked away, apart from this "
                              "computer. It is shown only now. It is the only way back in if every "
                              "administrator password is lost; anyone who has it can read the site's data."))
        text.setWordWrap(True)
        code_label = QLabel(code)
        code_label.setObjectName("code")
        code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont("monospace")
        font.setPointSizeF(16)
        code_label.setFont(font)
        self.typed = QLineEdit()
        self.typed.setObjectName("typed")
        self.typed.setPlaceholderText(self.tr("Type the code again to show you have it"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.typed.textChanged.connect(lambda t: self.ok.setEnabled(_same_code(t, code)))
        buttons.accepted.connect(self.accept)
        for widget in (text, code_label, self.typed, buttons):
            layout.addWidget(widget)

    def reject(self) -> None:  # Esc must not skip the code
        pass


def _same_code(typed: str, code: str) -> bool:
    clean = "".join(ch for ch in typed.upper() if ch.isalnum())
    return clean == "".join(ch for ch in code.upper() if ch.isalnum())


class LoginWindow(QWidget):
    loginRequested = Signal(str, str)
    languageChosen = Signal(str)
    otherDatabase = Signal()

    def __init__(self, db_path: Path, language: str, *, demo: bool = False, username: str = "") -> None:
        super().__init__()
        self.setWindowTitle(self.tr("ecrf – log in"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.study_title = _title("ecrf")
        self.study_title.setObjectName("study_title")
        self.study_title.setWordWrap(True)
        layout.addWidget(self.study_title)
        where = QLabel(self.tr("Site database: {0}").format(db_path))
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        form = QFormLayout()
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Password"), self.password)
        self.language = language_combo(language)
        form.addRow(self.tr("Language"), self.language)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        if demo:
            layout.addWidget(self._demo_hint())
        self.login_button = QPushButton(self.tr("Log in"))
        self.login_button.setObjectName("login")
        self.login_button.setDefault(True)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.login_button)
        layout.addLayout(row)
        self.login_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.language.currentIndexChanged.connect(lambda: self.languageChosen.emit(self.language.currentData()))
        (self.password if username else self.username).setFocus()
        self.fit_height()

    def fit_height(self) -> None:
        """Grow the window to the height its text needs at its width: word-wrapped labels (a long lockout message,
        a long study title) do not give a top-level window its height, and the demo users' list below them would
        be cut off. The window never shrinks under the user."""
        layout = self.layout()
        assert layout is not None
        layout.activate()
        width = max(self.width(), self.minimumWidth())
        needed = max(self.heightForWidth(width), layout.minimumSize().height())
        if needed > self.height() or width > self.width():
            self.resize(width, max(needed, self.height()))

    def _demo_hint(self) -> QLabel:
        rows = "".join(f"<tr><td>{name}</td><td>&nbsp;&nbsp;demo-{name}-2020</td></tr>" for name in DEMO_USERS)
        hint = QLabel(self.tr("This is the demo study (made-up patients). Its users:") + f"<table>{rows}</table>")
        hint.setObjectName("demo_hint")
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return hint

    def set_study_title(self, text: str) -> None:
        self.study_title.setText(text)
        self.fit_height()

    def _submit(self) -> None:
        if not self.username.text().strip() or not self.password.text():
            self.error.setText(self.tr("Enter your username and password."))
            return
        self.error.clear()
        self.loginRequested.emit(self.username.text().strip(), self.password.text())

    def failed(self, message: str) -> None:
        self.password.clear()
        self.password.setFocus()
        self.error.setText(message)
        self.fit_height()
