"""The app's top level: first run, login messages, roles, auto-lock, logout, language, closing."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FORMS
from PySide6.QtWidgets import QLabel

from ecrf.services.subject_data import FormRef
from ecrf.ui.app import AppController
from ecrf.ui.form_editor.page import FormEditorPage
from ecrf.ui.login import LoginWindow, StartWindow
from ecrf.ui.long_lived import release_session_objects
from ecrf.ui.main_window import MainWindow
from ecrf.ui.settings import AppSettings
from tests.ui.form_helpers import d3_subject, fill_new_site


@pytest.fixture
def controller(tmp_path, study, demo, qtbot):  # type: ignore[no-untyped-def]
    def make(db_path: Path | None = None) -> AppController:
        app = AppController(db_path or demo.db_path, FORMS, AppSettings(tmp_path / "ui.ini"), idle_check_ms=50)
        app._study = study
        app.start()
        made.append(app)
        return app

    made: list[AppController] = []
    yield make
    for app in made:
        if isinstance(app.window, MainWindow):
            app.window.cover.hide()
            app.window.watcher.stop()
        if app.session is not None:
            app.session.close()
        if app.window is not None:
            app.window.hide()
            app.window.deleteLater()
    release_session_objects()  # a test that stays logged in leaves nothing frozen for the next


def log_in(qtbot, app: AppController, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    window = app.window
    assert isinstance(window, LoginWindow)
    window.username.setText(username)
    window.password.setText(password)
    qtbot.mouseClick(window.login_button, qtbot_button())


def qtbot_button():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_first_run_offers_to_create_a_site_or_open_the_demo(controller, tmp_path):  # type: ignore[no-untyped-def]
    app = controller(tmp_path / "nothing" / "site.db")
    assert isinstance(app.window, StartWindow)
    assert app.window.create_button.isEnabled() and app.window.demo_button.isEnabled()


def test_creating_a_site_shows_the_recovery_code_and_logs_the_admin_in(controller, tmp_path, qtbot,
                                                                      monkeypatch):  # type: ignore[no-untyped-def]
    from ecrf.ui import login

    codes: list[str] = []


    monkeypatch.setattr(login.CreateSiteDialog, "exec", fill_new_site)
    monkeypatch.setattr(login.RecoveryCodeDialog, "exec",
                        lambda d: codes.append(d.findChild(QLabel, "code").text()) or 1)
    app = controller(tmp_path / "new" / "site.db")
    app.create_site()
    qtbot.waitUntil(lambda: isinstance(app.window, MainWindow), timeout=20000)
    assert codes, "the recovery code was not shown"
    assert app.session is not None and app.session.actor.username == "boss"
    assert (tmp_path / "new" / "site.db").exists()


def test_wrong_password_and_lockout_show_the_services_message(controller, qtbot):  # type: ignore[no-untyped-def]
    app = controller()
    for _ in range(5):
        log_in(qtbot, app, "nurse", "not-the-password")
    window = app.window
    assert isinstance(window, LoginWindow)
    assert "refused" in window.error.text().lower()
    assert window.password.text() == ""
    log_in(qtbot, app, "nurse", "demo-nurse-2020")
    assert isinstance(app.window, LoginWindow), "a locked account must not log in even with the right password"


def test_a_wrong_password_says_so(controller, qtbot):  # type: ignore[no-untyped-def]
    app = controller()
    log_in(qtbot, app, "nurse", "wrong-password")
    assert "password" in app.window.error.text().lower()


@pytest.mark.parametrize(("username", "home_button", "home"), [
    ("nurse", "Subjects", "MatrixPage"), ("monitor", "Subjects", "MatrixPage"),
    ("admin", "Administration", "AdminPage")])
def test_each_role_gets_its_home_and_menus(controller, qtbot, username, home_button, home):  # type: ignore[no-untyped-def]
    app = controller()
    log_in(qtbot, app, username, f"demo-{username}-2020")
    window = app.window
    assert isinstance(window, MainWindow)
    assert type(window.page).__name__ == home
    assert window.home_action.text() == home_button


@pytest.mark.req("P11.10d")
def test_idle_lock_covers_the_window_and_keeps_what_was_typed(controller, qtbot, dialogs):  # type: ignore[no-untyped-def]
    app = controller()
    log_in(qtbot, app, "nurse", "demo-nurse-2020")
    window = app.window
    assert isinstance(window, MainWindow)
    window.show()
    label, arm = d3_subject(app.session)
    window.open_form(FormRef(label, "D3", "VS", "PRE" if arm == "MSC" else ""))
    editor = window.page
    assert isinstance(editor, FormEditorPage)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.keyClicks(editor.rows["TEMP"].field.focus_proxy(), "37.8")
    app.session.idle_lock_minutes = 0.0005  # 30 ms without input
    qtbot.waitUntil(lambda: window.cover.isVisible(), timeout=3000)
    assert app.session.locked
    window.cover.password.setText("wrong")
    window.cover.try_unlock()
    assert window.cover.isVisible() and window.cover.error.text()
    app.session.idle_lock_minutes = 10
    window.cover.password.setText("demo-nurse-2020")
    window.cover.try_unlock()
    assert not window.cover.isVisible() and not app.session.locked
    assert window.page is editor and editor.has_unsaved()
    assert editor.rows["TEMP"].field.focus_proxy().text() == "37.8"


def test_log_out_returns_to_login(controller, qtbot):  # type: ignore[no-untyped-def]
    app = controller()
    log_in(qtbot, app, "monitor", "demo-monitor-2020")
    assert isinstance(app.window, MainWindow)
    assert gc.get_freeze_count() > 0  # the session's objects are out of the full collections' way
    app.window.request_logout()
    assert isinstance(app.window, LoginWindow)
    assert app.session is None
    assert gc.get_freeze_count() == 0  # and back in them once it ends


def test_restore_from_the_admin_page_logs_out_restores_and_returns_to_login(controller, qtbot, tmp_path, dialogs,
                                                                            monkeypatch):  # type: ignore[no-untyped-def]
    from ecrf.services.backup import backup
    from ecrf.ui.admin import restore as restoring

    app = controller()
    log_in(qtbot, app, "admin", "demo-admin-2020")
    backup_file = tmp_path / "site-backup.zip"
    backup(app.session, backup_file)
    monkeypatch.setattr(restoring, "ask_restore_login", lambda *a: ("admin", "demo-admin-2020"))
    app.window.restoreRequested.emit(str(backup_file))
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=20000)
    assert isinstance(app.window, LoginWindow) and app.session is None
    assert "is now the site database" in dialogs.infos[-1][1]
    log_in(qtbot, app, "nurse", "demo-nurse-2020")
    assert isinstance(app.window, MainWindow)


def test_switching_to_chinese_rebuilds_the_window_and_is_remembered(controller, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    app = controller()
    log_in(qtbot, app, "nurse", "demo-nurse-2020")
    old = app.window
    app.window.languageRequested.emit("zh_CN")
    qtbot.waitUntil(lambda: isinstance(app.window, MainWindow) and app.window is not old)
    window = app.window
    assert window.home_action.text() == "受试者"
    assert [a.text() for a in window.menuBar().actions()][:2] == ["会话(&S)", "语言(&L)"]
    window.open_form(FormRef("DEMO-001", "D3", "VS"))
    editor = window.page
    assert isinstance(editor, FormEditorPage)
    assert "生命体征" in editor.title()
    assert AppSettings(tmp_path / "ui.ini").language == "zh_CN"


@pytest.mark.req("WARD-SHELL-1")
def test_switching_language_at_login_keeps_the_typed_username(controller, qtbot):  # type: ignore[no-untyped-def]
    app = controller()
    login = app.window
    assert isinstance(login, LoginWindow)
    login.username.setText("investigator")
    login.password.setText("half-typed")
    login.language.setCurrentIndex(login.language.findData("zh_CN"))
    qtbot.waitUntil(lambda: isinstance(app.window, LoginWindow) and app.window is not login)
    again = app.window
    assert again.username.text() == "investigator", "the username typed before the switch stays"
    assert again.password.text() == "", "the password is typed again"
    assert again.language.currentData() == "zh_CN"


@pytest.mark.req("WARD-SHELL-1")
def test_a_first_start_speaks_the_pcs_language_until_one_is_chosen(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("ecrf.ui.settings.system_language", lambda: "zh_CN")
    settings = AppSettings(tmp_path / "ui.ini")
    assert settings.language == "zh_CN"  # nothing chosen yet: a Chinese PC starts in Chinese
    settings.language = "en"
    assert AppSettings(tmp_path / "ui.ini").language == "en"  # the user's choice wins from then on


@pytest.mark.skipif(sys.platform != "linux", reason="Windows and macOS take the language from their own settings")
@pytest.mark.parametrize(("lang", "expected"), [("zh_CN.UTF-8", "zh_CN"), ("en_GB.UTF-8", "en"), ("C", "en")])
def test_the_pcs_language_is_the_system_locales(lang: str, expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")} | {"LANG": lang}
    done = subprocess.run([sys.executable, "-c", "from ecrf.ui.settings import system_language as s; print(s())"],
                          env=env, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == expected
