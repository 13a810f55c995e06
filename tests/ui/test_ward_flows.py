"""Flows a new user meets around data entry (issue 16): the first login with a temporary password, the first
`--demo` start, quitting, and creating a site with a password that is refused."""
from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FORMS
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel

from ecrf.services import users
from ecrf.services.subject_data import FormRef
from ecrf.ui.app import AppController
from ecrf.ui.login import CreateSiteDialog, LoginWindow, StartWindow
from ecrf.ui.main_window import MainWindow
from ecrf.ui.password import ChangePasswordDialog
from ecrf.ui.settings import AppSettings
from tests.ui.test_app import controller, log_in  # noqa: F401 - the fixture of the app's own tests

pytestmark = pytest.mark.req("WARD-FLOW")


def _new_nurse(demo) -> str:  # type: ignore[no-untyped-def]
    admin = demo.login("admin")
    try:
        return users.add_user(admin, "newnurse", "New Nurse", "nurse")
    finally:
        admin.close()


def test_a_first_login_goes_straight_to_choosing_a_password(controller, demo, qtbot, dialogs,  # noqa: F811
                                                            monkeypatch):
    temporary = _new_nurse(demo)
    app = controller()
    seen: list[tuple[str, int]] = []

    def choose(dialog: ChangePasswordDialog) -> int:
        seen.append((type(app.window).__name__, len(dialogs.errors)))
        dialog.old.setText(temporary)
        dialog.new.setText("my-own-password-1")
        dialog.again.setText("my-own-password-1")
        dialog.change()
        return dialog.result()

    monkeypatch.setattr(ChangePasswordDialog, "exec", choose)
    log_in(qtbot, app, "newnurse", temporary)
    assert seen == [("LoginWindow", 0)], "the dialog came after the main window or an error message"
    window = app.window
    assert isinstance(window, MainWindow) and not dialogs.errors
    assert window.page.model.rowCount() == 20  # the matrix read the subjects with the new password


def test_cancelling_the_first_password_change_returns_to_login(controller, demo, qtbot, dialogs,  # noqa: F811
                                                               monkeypatch):
    temporary = _new_nurse(demo)
    app = controller()
    monkeypatch.setattr(ChangePasswordDialog, "exec", lambda _d: QDialog.DialogCode.Rejected)
    log_in(qtbot, app, "newnurse", temporary)
    assert isinstance(app.window, LoginWindow) and app.session is None and not dialogs.errors
    assert app.window.username.text() == "newnurse"


@pytest.fixture
def first_demo_start(tmp_path, study, qtbot):  # type: ignore[no-untyped-def]
    """`ecrf gui --demo` before there is a demo: the controller as `app.main` makes it."""
    made: list[AppController] = []

    def start() -> AppController:
        app = AppController(tmp_path / "no-site" / "site.db", FORMS, AppSettings(tmp_path / "ui.ini"),
                            demo_path=tmp_path / "new-demo" / "site.db", idle_check_ms=50)
        app._study = study
        app.db_path = app.demo_path  # as main() does for --demo
        app.begin(demo=True)
        made.append(app)
        return app

    yield start
    for app in made:
        if app.window is not None:
            app.window.hide()
            app.window.deleteLater()


def _making_demo_from(template: Path, fail: bool = False):  # type: ignore[no-untyped-def]
    """create_demo, quick: a copy of the test run's demo (making one takes seconds), or a failure."""
    def make(db_path: Path, _study):  # type: ignore[no-untyped-def]
        if fail:
            raise OSError(28, "No space left on device")
        shutil.copytree(template.parent, db_path.parent)
        return SimpleNamespace(db_path=db_path)

    return make


def _shown() -> list[str]:
    return [type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_the_first_demo_start_shows_only_the_progress_then_the_login(first_demo_start, demo, qtbot,
                                                                     monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("ecrf.demo.create_demo", _making_demo_from(demo.db_path))
    app = first_demo_start()
    assert app.window is None and "StartWindow" not in _shown() and "QProgressDialog" in _shown()
    qtbot.waitUntil(lambda: isinstance(app.window, LoginWindow), timeout=20000)
    assert "StartWindow" not in _shown() and "QProgressDialog" not in _shown()
    assert app.db_path == app.demo_path and app.window.findChild(QLabel, "demo_hint") is not None


def test_a_failed_demo_leaves_the_welcome_window_and_says_why(first_demo_start, demo, qtbot, dialogs,
                                                              monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("ecrf.demo.create_demo", _making_demo_from(demo.db_path, fail=True))
    app = first_demo_start()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=20000)
    assert isinstance(app.window, StartWindow) and app.window.isVisible()
    assert "No space left on device" in dialogs.last_error()


def _logouts(demo, username: str) -> int:  # type: ignore[no-untyped-def]
    from ecrf.services.audit_trail import events

    monitor = demo.login("monitor")
    try:
        return sum(1 for e in events(monitor) if e.action == "logout" and e.username == username)
    finally:
        monitor.close()


@pytest.mark.parametrize("how", ["ctrl+q", "close button"])
def test_quitting_is_audited_as_a_log_out(controller, demo, qtbot, how):  # type: ignore[no-untyped-def]  # noqa: F811
    app = controller()
    log_in(qtbot, app, "nurse", "demo-nurse-2020")
    window = app.window
    assert isinstance(window, MainWindow)
    if how == "ctrl+q":
        quit_action = window.findChild(QAction, "action_quit")
        assert quit_action.shortcut() == QKeySequence("Ctrl+Q")
        quit_action.trigger()  # what the shortcut does (offscreen windows get no key events through the WM)
    else:
        window.close()  # what the title bar's close button asks
    assert not window.isVisible() and app.session is None
    assert _logouts(demo, "nurse") == 1


def test_a_quit_refused_for_unsaved_entries_stays_logged_in(controller, demo, qtbot,  # noqa: F811
                                                             dialogs):  # type: ignore[no-untyped-def]
    app = controller()
    log_in(qtbot, app, "nurse", "demo-nurse-2020")
    window = app.window
    window.open_form(FormRef("DEMO-017", "D6", "VS"))
    editor = window.page
    qtbot.waitUntil(lambda: editor.rows["TEMP"].field.focus_proxy().isVisible())
    editor.rows["TEMP"].field.focus_proxy().setText("37.2")
    qtbot.waitUntil(editor.has_unsaved)
    dialogs.save_discard.append("cancel")
    window.close()
    assert window.isVisible() and app.session is not None
    dialogs.save_discard.append("discard")
    window.request_logout()  # the one log-out: the refused close wrote none
    assert app.session is None and _logouts(demo, "nurse") == 1


NEW_SITE = {"site_code": "CN07", "site_name": "Test Hospital", "admin_username": "boss",
            "admin_full_name": "Bo Ss", "password": "short", "again": "short"}


def _typed(dialog: CreateSiteDialog) -> dict[str, str]:
    return {name: getattr(dialog, name).text() for name in NEW_SITE}


def test_a_too_short_password_for_a_new_site_is_said_in_the_dialog(qtbot):  # type: ignore[no-untyped-def]
    dialog = CreateSiteDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    for name, value in NEW_SITE.items():
        getattr(dialog, name).setText(value)
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "at least 8 characters" in dialog.error.text()
    assert _typed(dialog) == NEW_SITE
    for edit in (dialog.password, dialog.again):
        edit.setText("boss-password-1")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()


def test_a_site_that_cannot_be_made_brings_the_dialog_back_as_typed(controller, tmp_path, qtbot, dialogs,  # noqa: F811
                                                                    monkeypatch):  # type: ignore[no-untyped-def]
    (tmp_path / "blocked").write_text("a file where the site's folder would go")
    typed = {**NEW_SITE, "password": "boss-password-1", "again": "boss-password-1"}
    shown: list[tuple[dict[str, str], str]] = []

    def exec_(dialog: CreateSiteDialog) -> int:
        shown.append((_typed(dialog), dialog.error.text()))
        if len(shown) > 1:
            return QDialog.DialogCode.Rejected.value
        for name, value in typed.items():
            getattr(dialog, name).setText(value)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(CreateSiteDialog, "exec", exec_)
    app = controller(tmp_path / "blocked" / "site.db")
    app.create_site()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=20000)
    again, message = shown[1]
    assert again == typed and not dialogs.errors
    assert "could not be read or written" in message, message  # the reason, in the dialog
    assert isinstance(app.window, StartWindow) and app.session is None
