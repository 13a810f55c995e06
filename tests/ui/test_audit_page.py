"""The audit trail for the roles that may read it but have no administration page (monitors, investigators, study
nurses): a page of its own, reached from the main window's toolbar or Ctrl+T, with the administration's audit
screen (check, filters, export) and its rules; remembered across a language switch like the other pages."""
from __future__ import annotations

import pytest
from conftest import FORMS
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar

from ecrf.services import audit_trail
from ecrf.ui import screen_fit, screen_memory
from ecrf.ui.admin.audit_events import ACTION, USER
from ecrf.ui.admin.page import AdminPage
from ecrf.ui.app import AppController
from ecrf.ui.audit_page import AuditTrailPage
from ecrf.ui.login import LoginWindow
from ecrf.ui.main_window import MainWindow
from ecrf.ui.settings import AppSettings


@pytest.fixture
def window(qtbot, small_demo):  # type: ignore[no-untyped-def]
    """`window(username)`: that user logged in to a copy of the small demo and the main window open at 1366 x 768."""
    made: list[MainWindow] = []

    def open_(username: str) -> MainWindow:
        made.append(MainWindow(small_demo.login(username), idle_check_ms=60_000))
        qtbot.addWidget(made[-1])
        made[-1].resize(1366, 768)
        made[-1].show()
        return made[-1]

    yield open_
    for opened in made:
        opened.watcher.stop()
        opened.menu_keys.stop()
        opened.session.close()


def _audit_action(window: MainWindow) -> QAction | None:
    return window.findChild(QAction, "action_audit_trail")


def _column(page: AuditTrailPage, column: int) -> list[str]:
    model = page.audit.browser.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


@pytest.mark.req("P11.10e")
def test_a_monitor_reaches_the_audit_trail_from_the_main_window_and_reads_the_events(window):
    monitor = window("monitor")
    action = _audit_action(monitor)
    assert action is not None and action.isEnabled()
    assert action in monitor.findChild(QToolBar, "navigation").actions()
    action.trigger()
    page = monitor.page
    assert isinstance(page, AuditTrailPage) and page.title() == "Audit trail"
    total = audit_trail.count(monitor.session, audit_trail.TrailFilter())
    assert total > 100 and f"of {total} events" in page.audit.browser.caption.text()
    assert _column(page, ACTION)[0] == "Logged in" and _column(page, USER)[0] == "monitor"
    assert {"investigator", "nurse"} <= set(_column(page, USER))  # the site's trail, not only the monitor's own
    # The same screen as the administration's tab, with its rules: the monitor checks and reads, never records.
    assert page.audit.browser.filters.isVisible() and page.audit.browser.export_button.isEnabled()
    assert page.audit.verify_button.isEnabled() and page.audit.reason_button.isHidden()
    user = page.audit.browser.filters.user
    user.setCurrentIndex(user.findData("nurse"))
    assert set(_column(page, USER)) == {"nurse"}


@pytest.mark.req("P11.10g")
@pytest.mark.parametrize("username", ["investigator", "nurse"])
def test_site_staff_reach_it_too_with_ctrl_t_from_the_search_box(qtbot, window, username):
    staff = window(username)
    qtbot.waitExposed(staff)
    assert _audit_action(staff) is not None
    search = staff.page.search
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClick(search, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(staff.page, AuditTrailPage) and staff.page.audit.browser.model.rowCount() > 0


@pytest.mark.req("P11.10g")
@pytest.mark.parametrize("username", ["reader", "admin"])
def test_roles_without_the_page_get_no_action(window, username):
    """A read-only user may not read the trail; the site administrator reads it on the administration page."""
    opened = window(username)
    assert _audit_action(opened) is None
    if username == "admin":
        assert isinstance(opened.page, AdminPage) and "Audit trail" in opened.page.tab_names()
    else:
        assert not any(isinstance(page, AuditTrailPage) for page in opened.history())


@pytest.fixture
def logged_in(tmp_path, study, small_demo, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    """`logged_in(username)`: logged in through the login window as `ecrf gui` does, on a ward PC's screen."""
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _window: QRect(0, 0, 1366, 768 - 40))
    controller = AppController(small_demo.db_path, FORMS, AppSettings(tmp_path / "ui.ini"), idle_check_ms=3600 * 1000)
    controller._study = study

    def log_in(username: str) -> AppController:
        controller.start()
        login = controller.window
        assert isinstance(login, LoginWindow)
        login.username.setText(username)
        login.password.setText(f"demo-{username}-2020")
        login.login_button.click()
        assert isinstance(controller.window, MainWindow)
        return controller

    yield log_in
    if isinstance(controller.window, MainWindow):
        controller.window.watcher.stop()
        controller.window.menu_keys.stop()
        controller.window.hide()
        controller.window.deleteLater()
    if controller.session is not None:
        controller.session.close()


@pytest.mark.req("WARD-SHELL-1")
def test_a_monitor_logs_in_opens_the_audit_trail_and_keeps_it_across_a_language_switch(qtbot, logged_in):
    app = logged_in("monitor")
    old = app.window
    _audit_action(old).trigger()  # type: ignore[union-attr]
    assert [page.kind for page in screen_memory.remember(old).pages] == ["audit"]
    old.languageRequested.emit("zh_CN")
    qtbot.waitUntil(lambda: app.window is not old, timeout=5000)
    window = app.window
    assert isinstance(window, MainWindow) and len(window.history()) == 1
    page = window.page
    assert isinstance(page, AuditTrailPage) and page.title() == "稽查轨迹"
    assert _column(page, ACTION)[0] == "登录" and _audit_action(window).text() == "稽查轨迹"  # type: ignore[union-attr]


def test_a_check_made_on_the_page_reaches_the_window_banner(qtbot, window):
    monitor = window("monitor")
    _audit_action(monitor).trigger()  # type: ignore[union-attr]
    page = monitor.page
    assert isinstance(page, AuditTrailPage)
    qtbot.mouseClick(page.audit.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.audit.found is not None, timeout=30_000)
    assert page.audit.found.ok and "intact" in page.audit.result.text()
    assert monitor.trail_banner.found is page.audit.found
