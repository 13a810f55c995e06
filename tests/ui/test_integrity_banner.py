"""The trail check at open in the desktop app (issue 12, "Checks at open"): a site whose stored data no longer
follows from its audit trail shows a red banner to every user; the site administrator records a reason and the
banner turns amber; the audit tab shows the whole report; the export dialog says why export is refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FORMS
from PySide6.QtCore import Qt

from ecrf.services import audit_trail, integrity
from ecrf.services.errors import IntegrityAlarm
from ecrf.store.engine import raw_connect
from ecrf.ui.admin.page import AdminPage
from ecrf.ui.app import AppController
from ecrf.ui.main_window import MainWindow
from ecrf.ui.settings import AppSettings

REASON = "Told the sponsor on the phone; the PC is kept as it is for their audit."
CHECK_TIMEOUT_MS = 20000


def tamper_a_value(demo) -> str:  # type: ignore[no-untyped-def]
    """The insider of issue 12: with a password and the files, change one stored value with no audit event."""
    session = demo.login("admin")
    try:
        key = session.database.data_key
    finally:
        session.close()
    assert key is not None
    conn = raw_connect(demo.db_path, key)
    try:
        conn.execute("UPDATE item_values SET value = '99' WHERE id = (SELECT min(id) FROM item_values "
                     "WHERE value IS NOT NULL AND value != '99')")
        conn.commit()
    finally:
        conn.close()
    return "99"


@pytest.fixture
def tampered(small_demo):  # type: ignore[no-untyped-def]
    tamper_a_value(small_demo)
    return small_demo


@pytest.fixture
def open_window(qtbot):  # type: ignore[no-untyped-def]
    """`open_window(demo, username)`: that user logged in, the main window shown and its check started."""
    made: list[MainWindow] = []

    def open_(demo, username: str) -> MainWindow:  # type: ignore[no-untyped-def]
        window = MainWindow(demo.login(username), idle_check_ms=60000)
        qtbot.addWidget(window)
        made.append(window)
        window.show()
        window.check_trail()
        return window

    yield open_
    for window in made:
        banner = window.trail_banner
        qtbot.waitUntil(lambda b=banner: not b.is_checking(), timeout=CHECK_TIMEOUT_MS)  # noqa: B023
        window.watcher.stop()
        window.session.close()


def wait_checked(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.trail_banner.found is not None and not window.trail_banner.is_checking(),
                    timeout=CHECK_TIMEOUT_MS)


def _events(session, action: str) -> list:  # type: ignore[no-untyped-def]
    return [e for e in audit_trail.events(session, limit=100) if e.action == action]


@pytest.mark.req("P11.10e")
def test_a_sound_site_shows_no_banner(qtbot, small_demo, open_window):
    window = open_window(small_demo, "nurse")
    wait_checked(qtbot, window)
    assert window.trail_banner.found.ok
    assert window.trail_banner.kind() is None and window.trail_banner.isHidden()


@pytest.mark.req("P11.10e")
def test_a_tampered_value_shows_the_red_banner_to_a_nurse_and_is_audited(qtbot, tampered, open_window):
    window = open_window(tampered, "nurse")
    assert window.page is not None and window.page.isEnabled()  # usable while the check runs
    wait_checked(qtbot, window)
    banner = window.trail_banner
    found = banner.found
    assert found is not None and not found.ok and found.blocking
    assert banner.kind() == "red"
    text = banner.text.text()
    assert text.startswith(f"The audit trail check found {len(found.report.problems)} problem(s): ")
    assert "Tell the site administrator and the sponsor; keep this PC as it is." in text
    assert banner.details_button.isVisible() and not banner.reason_button.isVisible()  # a nurse cannot
    recorded = _events(window.session, integrity.FOUND)
    assert len(recorded) == 1 and recorded[0].username == "nurse"


@pytest.mark.req("P11.10e")
def test_details_list_every_problem_and_note(qtbot, tampered, open_window):
    window = open_window(tampered, "monitor")
    wait_checked(qtbot, window)
    banner = window.trail_banner
    qtbot.mouseClick(banner.details_button, Qt.MouseButton.LeftButton)
    assert banner.details is not None and banner.details.isVisible()
    shown = banner.details.text.toPlainText()
    report = banner.found.report
    assert f"Result: {len(report.problems)} problem(s)" in shown
    assert "Not acknowledged: export is refused" in shown
    for problem in report.problems + report.notes:
        assert problem in shown
    banner.details.close()


@pytest.mark.req("P11.10e")
def test_the_administrator_records_a_reason_and_the_banner_turns_amber(qtbot, tampered, open_window, dialogs):
    window = open_window(tampered, "admin")
    wait_checked(qtbot, window)
    banner = window.trail_banner
    assert banner.kind() == "red" and banner.reason_button.isVisible()
    dialogs.reasons.append(REASON)
    qtbot.mouseClick(banner.reason_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: banner.kind() == "amber", timeout=CHECK_TIMEOUT_MS)
    assert not dialogs.errors
    ack = banner.found.acknowledged
    assert ack is not None and ack.by == "admin" and ack.reason == REASON and not banner.found.blocking
    assert banner.text.text() == (f"Audit trail finding acknowledged by admin on {ack.at_utc[:10]}: {REASON} — "
                                  "bundles carry it")
    assert not banner.reason_button.isVisible() and banner.details_button.isVisible()
    recorded = _events(window.session, integrity.ACKNOWLEDGED)
    assert [(e.username, e.reason) for e in recorded] == [("admin", REASON)]


def test_a_cancelled_reason_records_nothing(qtbot, tampered, open_window, dialogs):
    window = open_window(tampered, "admin")
    wait_checked(qtbot, window)
    dialogs.reasons.append(None)
    window.trail_banner.record_reason()
    assert window.trail_banner.kind() == "red"
    assert not _events(window.session, integrity.ACKNOWLEDGED)


@pytest.mark.req("P11.10e")
def test_after_the_reason_every_user_sees_the_amber_banner(qtbot, tampered, open_window):
    admin = tampered.login("admin")
    try:
        integrity.acknowledge(admin, REASON)
    finally:
        admin.close()
    window = open_window(tampered, "nurse")
    wait_checked(qtbot, window)
    assert window.trail_banner.kind() == "amber"
    assert REASON in window.trail_banner.text.text()


@pytest.mark.req("P11.10e")
def test_the_audit_tab_shows_the_whole_report_and_records_a_reason(qtbot, tampered, open_window, dialogs):
    window = open_window(tampered, "admin")
    wait_checked(qtbot, window)
    page = window.page
    assert isinstance(page, AdminPage) and page.audit is not None
    tab = page.audit
    page.show_tab(tab)
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.found is not None, timeout=CHECK_TIMEOUT_MS)
    assert tab.report is not None and not tab.report.ok
    assert tab.result.text().startswith("The audit trail is BROKEN: ")
    report = tab.details.toPlainText()
    assert f"Events: {tab.report.events} (" in report and f"seals: {tab.report.seals}" in report
    assert all(problem in report for problem in tab.report.problems)
    assert tab.reason_button.isVisible()
    dialogs.reasons.append(REASON)
    qtbot.mouseClick(tab.reason_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.found is not None and tab.found.acknowledged is not None, timeout=CHECK_TIMEOUT_MS)
    assert not tab.reason_button.isVisible() and REASON in tab.details.toPlainText()
    assert window.trail_banner.kind() == "amber"  # the window's banner follows the tab


def test_the_audit_tab_follows_a_reason_recorded_from_the_banner(qtbot, tampered, open_window, dialogs):
    window = open_window(tampered, "admin")
    wait_checked(qtbot, window)
    tab = window.page.audit
    tab.verify()
    qtbot.waitUntil(lambda: tab.found is not None, timeout=CHECK_TIMEOUT_MS)
    assert tab.found.blocking and tab.reason_button.isVisibleTo(tab)
    dialogs.reasons.append(REASON)
    window.trail_banner.record_reason()
    qtbot.waitUntil(lambda: window.trail_banner.kind() == "amber", timeout=CHECK_TIMEOUT_MS)
    assert tab.found.acknowledged is not None and not tab.reason_button.isVisibleTo(tab)
    assert tab.result.text().startswith("Audit trail finding acknowledged by admin")


def test_the_export_dialog_says_why_export_is_refused(qtbot, tampered, dialogs, monkeypatch):
    from ecrf.ui.export_dialog import ExportDialog

    session = tampered.login("nurse")
    try:
        found = integrity.check(session)
        dialog = ExportDialog(session, settings=AppSettings(Path(tampered.db_path).parent / "ui.ini"))
        qtbot.addWidget(dialog)
        dialog.folder.setText(str(Path(tampered.db_path).parent / "out"))
        dialog.start_export()
        # The worker marks itself done before the dialog hears of the failure: wait for the message itself.
        qtbot.waitUntil(lambda: bool(dialogs.errors) and not dialog.is_running(), timeout=CHECK_TIMEOUT_MS)
        expected = IntegrityAlarm("export-blocked-by-finding", count=len(found.report.problems),
                                  problem=found.report.problems[0]).text("en")
        assert dialogs.last_error() == expected
        assert "no administrator has recorded a reason" in expected
        assert dialog.status.text() == f"The export failed: {expected}"
        assert not (Path(tampered.db_path).parent / "out").exists() or not any(
            (Path(tampered.db_path).parent / "out").iterdir())  # the real export service refused: nothing written
    finally:
        session.close()


def test_login_starts_the_check_once_the_window_shows(qtbot, tmp_path, study, tampered):
    app = AppController(tampered.db_path, FORMS, AppSettings(tmp_path / "ui.ini"), idle_check_ms=60000)
    app._study = study
    app.start()
    try:
        app.logged_in(tampered.login("investigator"))
        window = app.window
        assert isinstance(window, MainWindow)
        wait_checked(qtbot, window)
        assert window.trail_banner.kind() == "red"
    finally:
        if isinstance(app.window, MainWindow):
            app.window.watcher.stop()
        if app.session is not None:
            app.session.close()
        if app.window is not None:
            app.window.hide()
            app.window.deleteLater()


def test_a_check_stopped_by_the_idle_lock_runs_once_unlocked(qtbot, tampered, monkeypatch):
    started = []
    real_check = integrity.check
    monkeypatch.setattr(integrity, "check", lambda session: started.append(1) or real_check(session))
    window = MainWindow(tampered.login("nurse"), idle_check_ms=60000)
    qtbot.addWidget(window)
    window.session.locked = True  # as the idle lock leaves it: every service call is refused
    window.check_trail()
    qtbot.waitUntil(lambda: not window.trail_banner.is_checking(), timeout=CHECK_TIMEOUT_MS)
    assert started and window.trail_banner.found is None and window.trail_banner.kind() is None
    window.session.locked = False
    window._unlocked()  # what the lock cover calls after the password
    wait_checked(qtbot, window)
    assert window.trail_banner.kind() == "red" and len(started) == 2
    window.watcher.stop()
    window.session.close()


def test_a_check_that_cannot_run_says_why(qtbot, small_demo, open_window, monkeypatch):
    from ecrf.services.errors import PermissionDenied

    def refused(session):  # type: ignore[no-untyped-def]
        raise PermissionDenied("temporary-password")

    monkeypatch.setattr(integrity, "check", refused)
    window = open_window(small_demo, "nurse")
    qtbot.waitUntil(lambda: window.trail_banner.kind() == "red", timeout=CHECK_TIMEOUT_MS)
    expected = PermissionDenied("temporary-password").text("en")
    assert window.trail_banner.text.text() == f"The audit trail check could not run: {expected}"
    assert not window.trail_banner.details_button.isVisibleTo(window.trail_banner)
