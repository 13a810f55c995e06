"""Flows a new user meets around data entry (issue 16): the first login with a temporary password, the first
`--demo` start, quitting, and creating a site with a password that is refused."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from ecrf.services import users
from ecrf.ui.login import LoginWindow
from ecrf.ui.main_window import MainWindow
from ecrf.ui.password import ChangePasswordDialog
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
