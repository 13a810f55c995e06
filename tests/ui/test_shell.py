"""The window around the pages (issue 16, items 6, 7, 13): the language switch keeps the screen, menu keys
work from the search box, Lock now says and audits a lock by the user, the lockout message, the status bar."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FORMS
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QLabel
from subject_helpers import actions_after, last_seq

from ecrf.services.subject_data import FormRef
from ecrf.ui import screen_fit
from ecrf.ui.app import AppController
from ecrf.ui.form_editor.page import FormEditorPage
from ecrf.ui.i18n import current_language
from ecrf.ui.login import LoginWindow
from ecrf.ui.main_window import MainWindow
from ecrf.ui.settings import AppSettings
from ecrf.ui.subject.page import SubjectPage


@pytest.fixture
def username() -> str:
    return "nurse"


@pytest.fixture
def app(tmp_path, study, demo, qtbot, monkeypatch, username):  # type: ignore[no-untyped-def]
    """A demo user (the nurse unless a test says otherwise), logged in through the controller (as `ecrf gui`
    does), on a ward PC's screen."""
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _window: QRect(0, 0, 1366, 768 - 40))
    controller = AppController(demo.db_path, FORMS, AppSettings(tmp_path / "ui.ini"), idle_check_ms=3600 * 1000)
    controller._study = study
    controller.start()
    login = controller.window
    assert isinstance(login, LoginWindow)
    login.username.setText(username)
    login.password.setText(f"demo-{username}-2020")
    login.login_button.click()
    assert isinstance(controller.window, MainWindow)
    yield controller
    window = controller.window
    if isinstance(window, MainWindow):
        window.cover.hide()
        window.watcher.stop()
        window.menu_keys.stop()
        window.hide()
        window.deleteLater()
    if controller.session is not None:
        controller.session.close()


@pytest.mark.req("WARD-SHELL-1")
def test_switching_language_keeps_the_pages_the_unsaved_entries_and_the_window(app, qtbot):  # type: ignore[no-untyped-def]
    old = app.window
    old.show()
    qtbot.waitExposed(old)
    old.setGeometry(QRect(40, 30, 1100, 650))
    old.show_subject("DEMO-017")
    old.open_form(FormRef("DEMO-017", "D6", "VS"))  # due, not started: the nurse may edit it
    editor = old.page
    assert isinstance(editor, FormEditorPage)
    editor.rows["TEMP"].field.set_entry("37.8")
    assert editor.has_unsaved()
    geometry = old.geometry()

    old.findChild(QAction, "action_lang_zh_CN").trigger()
    qtbot.waitUntil(lambda: app.window is not old, timeout=5000)

    window = app.window
    assert isinstance(window, MainWindow) and current_language() == "zh_CN"
    assert [type(page).__name__ for page in window.history()] == ["MatrixPage", "SubjectPage", "FormEditorPage"]
    assert isinstance(window.history()[1], SubjectPage) and window.history()[1].title() == "DEMO-017"
    form = window.page
    assert isinstance(form, FormEditorPage) and form.ref == FormRef("DEMO-017", "D6", "VS")
    assert form.has_unsaved() and form.rows["TEMP"].field.entry() == "37.8", "the unsaved entry was lost"
    assert window.geometry() == geometry, "the window moved or changed its size"
    assert window.findChild(QAction, "action_lang_zh_CN").isChecked()
    assert not window.findChild(QAction, "action_lang_en").isChecked()


@pytest.mark.req("WARD-SHELL-1")
@pytest.mark.parametrize("username", ["admin"])
def test_switching_language_keeps_the_admin_tab(app, qtbot):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTabWidget

    old = app.window
    tabs = old.page.findChild(QTabWidget)
    last = tabs.count() - 1
    tabs.setCurrentIndex(last)
    old.languageRequested.emit("zh_CN")
    qtbot.waitUntil(lambda: app.window is not old, timeout=5000)
    assert type(app.window.page).__name__ == "AdminPage"
    assert app.window.page.findChild(QTabWidget).currentIndex() == last


def test_the_language_menu_ticks_the_current_language_only(app):  # type: ignore[no-untyped-def]
    actions = {code: app.window.findChild(QAction, f"action_lang_{code}") for code in ("en", "zh_CN")}
    assert all(action.isCheckable() for action in actions.values())
    assert actions["en"].isChecked() and not actions["zh_CN"].isChecked()
    assert actions["en"].actionGroup() is actions["zh_CN"].actionGroup() and actions["en"].actionGroup().isExclusive()


class ClaimsCtrlE(QObject):
    """What Qt's X11 key bindings do in a line edit: Ctrl+E is "end of line", claimed before any shortcut."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_E and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
            event.accept()
            return True
        return False


@pytest.mark.req("WARD-SHELL-2")
def test_ctrl_e_opens_the_export_while_the_search_box_has_the_focus(app, qtbot):  # type: ignore[no-untyped-def]
    window = app.window
    window.show()
    qtbot.waitExposed(window)
    search = window.page.search
    claims = ClaimsCtrlE(search)
    search.installEventFilter(claims)
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    with qtbot.waitSignal(window.findChild(QAction, "action_export").triggered, timeout=1000):
        qtbot.keyClick(search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.export_dialog is not None)
    window.export_dialog.reject()


def test_plain_and_editing_keys_stay_with_the_field(app, qtbot):  # type: ignore[no-untyped-def]
    window = app.window
    window.show()
    qtbot.waitExposed(window)
    search = window.page.search
    search.setFocus()
    qtbot.keyClicks(search, "017")
    qtbot.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all: not a menu key
    qtbot.keyClick(search, Qt.Key.Key_Backspace)
    assert search.text() == "" and window.export_dialog is None


@pytest.mark.req("WARD-SHELL-3")
def test_lock_now_says_and_audits_a_lock_by_the_user(app, qtbot):  # type: ignore[no-untyped-def]
    window, session = app.window, app.session
    window.show()
    qtbot.waitExposed(window)
    before = last_seq(session)
    qtbot.keyClick(window.page.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.cover.isVisible() and session.locked
    assert window.cover.title.text() == f"Locked by {session.actor.full_name}"
    assert actions_after(session, before) == ["user_lock"]
    window.cover.password.setText("demo-nurse-2020")
    window.cover.try_unlock()
    before = last_seq(session)
    window.lock()  # the idle watcher's lock
    assert window.cover.title.text() == "Locked after a period without activity"
    assert actions_after(session, before) == ["idle_lock"]


def test_the_status_bar_names_the_role_once(app):  # type: ignore[no-untyped-def]
    who = app.window.findChild(QLabel, "who")
    assert who.text().lower().count("nurse") == 1, who.text()  # "Study nurse", not the username or the demo name
    assert "nurse" in who.toolTip()


@pytest.mark.req("WARD-SHELL-4")
def test_the_lockout_message_is_the_same_for_an_unknown_username(demo, study):  # type: ignore[no-untyped-def]
    from ecrf.services.auth import login
    from ecrf.services.errors import AccountLocked, LoginFailed

    def messages(username: str) -> list[str]:
        said = []
        for _ in range(6):
            with pytest.raises((LoginFailed, AccountLocked)) as refused:
                login(demo.db_path, study, username, "not-the-password")
            said.append(refused.value.text("en").replace(f"'{username}'", "'…'"))
        return said

    known, unknown = messages("nurse"), messages("nobody-here")
    assert known == unknown
    assert all("account" not in text.lower() for text in known)
    assert "refused" in known[-1]


@pytest.mark.req("WARD-SHELL-4")
def test_a_lockout_message_does_not_cut_off_the_demo_users(qtbot):  # type: ignore[no-untyped-def]
    from ecrf.services.errors import AccountLocked
    from ecrf.ui.dialogs import error_text

    login = LoginWindow(Path("/ward/ecrf/demo/site.db"), "en", demo=True, username="nurse")
    qtbot.addWidget(login)
    login.show()
    qtbot.waitExposed(login)
    login.failed(error_text(AccountLocked("login-failed-now-locked", username="nurse", minutes=1, failures=5)))
    hint = login.findChild(QLabel, "demo_hint")
    bottom = hint.geometry().top() + hint.heightForWidth(hint.width())
    assert bottom <= login.login_button.geometry().top(), "the demo users' last row is cut off"
    assert login.width() >= 480


@pytest.mark.req("WARD-SHELL-5")
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_matrix_fits_a_1366x768_screen_at_125_percent(session, qtbot, monkeypatch, language):  # type: ignore[no-untyped-def]
    """1366×768 at 125 % is 1093×614 logical pixels, the task bar takes 32 of them."""
    from ecrf.ui.i18n import install_language
    from ecrf.ui.matrix.legend import Legend

    screen = QRect(0, 0, 1093, 614 - 32)
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _window: screen)
    install_language(language)
    window = MainWindow(session, idle_check_ms=3600 * 1000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.minimumSizeHint().width() <= screen.width()
    assert screen.contains(window.geometry().marginsAdded(screen_fit.frame_margins(window)))
    for widget in (window.findChild(Legend), window.page.findChild(QObject, "filter_bar"), window.page.search):
        corner = widget.mapTo(window, widget.rect().topLeft())
        assert widget.isVisible() and window.rect().contains(QRect(corner, widget.size())), widget.objectName()
    window.watcher.stop()


def test_a_flow_layout_wraps_to_rows_and_asks_for_their_height(qtbot):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    from ecrf.ui.flow_layout import flow_of

    buttons = [QPushButton(f"Button number {n}") for n in range(6)]
    holder = flow_of(buttons)
    qtbot.addWidget(holder)
    one_row = holder.layout().sizeHint()
    assert holder.layout().heightForWidth(one_row.width()) == one_row.height()
    narrow = buttons[0].sizeHint().width() + 10
    assert holder.layout().heightForWidth(narrow) >= 6 * one_row.height()  # one button a row
    assert holder.minimumSizeHint().width() <= narrow
    holder.resize(narrow, holder.layout().heightForWidth(narrow))
    holder.show()
    tops = {button.geometry().top() for button in buttons}
    assert len(tops) == 6 and all(holder.rect().contains(button.geometry()) for button in buttons)
