"""Administration: users, backup & restore, site settings, audit trail — through the real widgets."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ecrf.services import audit_trail, users
from ecrf.services.session import slot_of
from ecrf.ui.admin import backup_tab, restore, user_dialogs
from ecrf.ui.admin.page import AdminPage
from ecrf.ui.admin.user_dialogs import NewUser

TEMP_PASSWORD = re.compile(r"\b[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}\b")


@pytest.fixture
def admin(demo):  # type: ignore[no-untyped-def]
    s = demo.login("admin")
    yield s
    s.close()  # again after the restore tests: closing twice is harmless


@pytest.fixture
def page(qtbot, admin) -> AdminPage:  # type: ignore[no-untyped-def]
    p = AdminPage(admin)
    qtbot.addWidget(p)
    return p


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _events(session, action: str) -> list:  # type: ignore[no-untyped-def]
    return [e for e in audit_trail.events(session, limit=50) if e.action == action]


# -- tabs by role ------------------------------------------------------------------------------------

def test_the_site_admin_sees_every_tab(page):
    assert page.tab_names() == ["Users", "Backup & restore", "Site", "Data locks", "Audit trail"]
    assert page.title() == "Administration"


@pytest.mark.req("P11.10g")
@pytest.mark.parametrize(("username", "tabs", "table"), [
    ("monitor", ["Site", "Audit trail"], True), ("reader", ["Site", "Audit trail"], False),
    ("nurse", ["Site", "Audit trail"], True)])
def test_other_roles_see_only_what_they_may_use(qtbot, demo, username, tabs, table):
    session = demo.login(username)
    try:
        page = AdminPage(session)
        qtbot.addWidget(page)
        assert page.tab_names() == tabs
        assert not page.site.minutes.isEnabled() and not page.site.apply_button.isEnabled()
        assert page.audit is not None and page.audit.readable is table
    finally:
        session.close()


def test_the_main_window_opens_on_administration_for_the_site_admin(qtbot, admin):
    from ecrf.ui.main_window import MainWindow

    window = MainWindow(admin, idle_check_ms=60000)
    qtbot.addWidget(window)
    assert isinstance(window.page, AdminPage)
    window.watcher.stop()


# -- users -----------------------------------------------------------------------------------------

def _select(page: AdminPage, username: str) -> None:
    assert page.users is not None
    page.users.select(username)
    assert page.users.selected() is not None and page.users.selected().username == username


def test_the_users_table_lists_every_account(page):
    model = page.users.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "admin", "investigator", "monitor", "nurse", "reader"]
    assert model.index(3, 2).data() == "Study nurse" and model.index(3, 3).data() == "Yes"
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Password changed"


def test_own_account_cannot_be_reset_demoted_or_deactivated_here(page):
    _select(page, "admin")
    assert not any(page.users.buttons[n].isEnabled() for n in ("reset", "role", "deactivate"))
    assert page.users.buttons["own_password"].isEnabled()


@pytest.mark.req("P11.10e")
def test_adding_a_user_shows_the_temporary_password_once(qtbot, page, admin, dialogs, monkeypatch):
    monkeypatch.setattr(user_dialogs, "ask_new_user", lambda *a: NewUser("wang", "Wang Fang", "nurse"))
    _click(qtbot, page.users.buttons["add"])
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=10000)
    title, text = dialogs.infos[-1]
    password = TEMP_PASSWORD.search(text).group(0)
    assert title == "User added" and "Wang Fang" in text and "in person" in text
    admin.database.slots.unlock(slot_of("wang"), password)  # the shown password opens the new account
    assert page.users.selected().username == "wang"
    new = next(u for u in users.list_users(admin) if u.username == "wang")
    assert new.role == "nurse" and new.must_change_password
    assert _events(admin, "user_added")[-1].item == "wang"


def test_a_refused_user_reopens_the_dialog_with_what_was_typed(qtbot, page, dialogs, monkeypatch):
    asked: list[NewUser | None] = []

    def ask(parent, session, prefill=None):  # type: ignore[no-untyped-def]
        asked.append(prefill)
        return NewUser("nurse", "Another Nurse", "nurse") if len(asked) == 1 else None

    monkeypatch.setattr(user_dialogs, "ask_new_user", ask)
    _click(qtbot, page.users.buttons["add"])
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=10000)
    assert "taken" in dialogs.last_error()
    assert asked[1] == NewUser("nurse", "Another Nurse", "nurse")


@pytest.mark.req("P11.10e")
def test_resetting_a_password_needs_a_reason_and_shows_the_new_one(qtbot, page, admin, dialogs):
    _select(page, "nurse")
    dialogs.reasons.append("forgot her password")
    _click(qtbot, page.users.buttons["reset"])
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=10000)
    password = TEMP_PASSWORD.search(dialogs.infos[-1][1]).group(0)
    admin.database.slots.unlock(slot_of("nurse"), password)
    event = _events(admin, "password_reset")[-1]
    assert (event.item, event.reason) == ("nurse", "forgot her password")
    assert page.users.model.index(3, 5).data().startswith("Yes")


def test_a_cancelled_reason_changes_nothing(qtbot, page, admin, dialogs):
    _select(page, "nurse")
    dialogs.reasons.append(None)
    _click(qtbot, page.users.buttons["deactivate"])
    assert all(u.active for u in users.list_users(admin)) and not dialogs.errors


@pytest.mark.req("P11.10e")
def test_changing_a_role(qtbot, page, admin, dialogs, monkeypatch):
    monkeypatch.setattr(user_dialogs, "choose_role", lambda parent, session, user: "monitor")
    _select(page, "investigator")
    dialogs.reasons.append("now monitors the site")
    _click(qtbot, page.users.buttons["role"])
    assert next(u for u in users.list_users(admin) if u.username == "investigator").role == "monitor"
    event = _events(admin, "role_changed")[-1]
    assert (event.old_value, event.new_value, event.reason) == ("investigator", "monitor", "now monitors the site")
    assert page.users.model.index(1, 2).data() == "Monitor"


@pytest.mark.req("DATA-NO-ERASE")
def test_deactivating_keeps_the_account_listed_and_greyed(qtbot, page, admin, dialogs):
    _select(page, "reader")
    dialogs.reasons.append("left the hospital")
    _click(qtbot, page.users.buttons["deactivate"])
    model = page.users.model
    assert model.index(4, 0).data() == "reader" and model.index(4, 3).data() == "No (deactivated)"
    assert model.index(4, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert not page.users.buttons["deactivate"].isEnabled() and page.users.buttons["reset"].isEnabled()


# -- backup and restore --------------------------------------------------------------------------

@pytest.mark.req("P11.10c")
def test_a_backup_runs_in_the_background_and_reports_the_file(qtbot, page, dialogs, monkeypatch, tmp_path):
    target = tmp_path / "out" / "site-backup"
    target.parent.mkdir()
    monkeypatch.setattr(backup_tab, "ask_backup_target", lambda parent, suggested: target)
    assert page.backup.suggested_name().name.startswith("ecrf-backup-DEMO-")
    _click(qtbot, page.backup.backup_button)
    qtbot.waitUntil(lambda: bool(dialogs.infos or dialogs.errors), timeout=20000)
    assert not dialogs.errors
    written = target.with_suffix(".zip")
    assert written.is_file() and str(written) in page.backup.result.text()
    assert page.backup.backup_button.isEnabled()


def test_a_failed_backup_says_why(qtbot, page, dialogs, monkeypatch, tmp_path):
    taken = tmp_path / "old.zip"
    taken.write_bytes(b"not to be overwritten")
    monkeypatch.setattr(backup_tab, "ask_backup_target", lambda parent, suggested: taken)
    _click(qtbot, page.backup.backup_button)
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=20000)
    assert "exists already" in dialogs.last_error() and "failed" in page.backup.result.text()
    assert taken.read_bytes() == b"not to be overwritten"


def test_restore_asks_then_hands_the_file_to_the_app(qtbot, page, dialogs, monkeypatch, tmp_path):
    chosen = tmp_path / "b.zip"
    monkeypatch.setattr(backup_tab, "ask_backup_source", lambda parent: chosen)
    dialogs.yes_no.append(False)
    with qtbot.assertNotEmitted(page.restoreRequested):
        _click(qtbot, page.backup.restore_button)
    with qtbot.waitSignal(page.restoreRequested) as signal:
        _click(qtbot, page.backup.restore_button)
    assert signal.args == [str(chosen)]
    assert "logged out" in dialogs.questions[-1]


@pytest.mark.req("P11.10c")
def test_restore_in_background_puts_the_backup_in_place(qtbot, admin, demo, dialogs, tmp_path):
    from ecrf.services.backup import backup

    made = backup(admin, tmp_path / "b.zip")
    admin.close()  # the app logs out before a restore
    results: list = []
    operation = restore.restore_in_background(None, made.path, demo.db_path, "admin", "demo-admin-2020",
                                              results.append)
    qtbot.waitUntil(lambda: bool(results or dialogs.errors), timeout=20000)
    assert operation.done and not dialogs.errors
    [info] = results
    assert info.audit_head_seq == made.audit_head_seq and info.set_aside is not None and info.set_aside.exists()
    assert "is now the site database" in restore.restored_text(info)


def test_a_refused_restore_shows_the_message(qtbot, admin, demo, dialogs, tmp_path):
    from ecrf.services.backup import backup

    made = backup(admin, tmp_path / "b.zip")
    admin.close()
    results: list = []
    restore.restore_in_background(None, made.path, demo.db_path, "admin", "wrong-password", results.append)
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=20000)
    assert "Wrong username or password" in dialogs.last_error() and results == []


def test_the_restore_login_dialog_returns_what_was_typed(qtbot, monkeypatch):
    def fill(dialog) -> int:  # type: ignore[no-untyped-def]
        dialog.password.setText("secret")
        return restore.RestoreLoginDialog.DialogCode.Accepted.value

    monkeypatch.setattr(restore.RestoreLoginDialog, "exec", fill)
    assert restore.ask_restore_login(None, Path("b.zip"), "admin") == ("admin", "secret")


# -- site -----------------------------------------------------------------------------------------

def test_the_site_tab_shows_the_site_and_the_recovery_warning(page, demo):
    site = page.site
    assert site.values["site"].text() == "DEMO – Demo hospital (synthetic data)"
    assert site.values["db"].text() == str(demo.db_path)
    assert site.values["users"].text() == "5 active, 0 deactivated"
    warning = site.findChild(type(site._warning()), "recovery_warning")
    assert warning is not None
    texts = " ".join(label.text() for label in warning.findChildren(type(site.recovery_state)))
    assert "only way back" in texts and "on paper" in texts and "is set up" in texts


@pytest.mark.req("P11.10d")
def test_the_admin_changes_the_idle_lock(qtbot, page, admin):
    site = page.site
    assert site.minutes.value() == 10 and not site.apply_button.isEnabled()
    site.minutes.setValue(3)
    _click(qtbot, site.apply_button)
    assert admin.idle_lock_minutes == 3 and not site.apply_button.isEnabled()
    event = _events(admin, "site_setting_changed")[-1]
    assert (event.item, event.old_value, event.new_value) == ("idle_lock_minutes", "10", "3")


# -- audit trail ----------------------------------------------------------------------------------

def test_the_audit_table_shows_the_newest_events_first(page, admin):
    model = page.audit.browser.model
    seqs = [int(model.index(r, 0).data()) for r in range(model.rowCount())]
    assert len(seqs) == audit_trail.PAGE and seqs == sorted(seqs, reverse=True)
    assert seqs[0] == admin.database.check_trail().head_seq
    assert model.index(0, 4).data() == "Logged in" and model.index(0, 2).data() == "admin"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(UTC[+-]\d{2}:\d{2}\)", model.index(0, 1).data())


@pytest.mark.req("P11.10e")
def test_verifying_the_audit_trail_in_the_background(qtbot, page):
    page.show_tab(page.audit)
    _click(qtbot, page.audit.verify_button)
    qtbot.waitUntil(lambda: page.audit.report is not None, timeout=20000)
    assert page.audit.report.ok
    assert "intact" in page.audit.result.text() and page.audit.verify_button.isEnabled()


def test_a_new_admin_sees_the_lists_after_changing_the_temporary_password(qtbot, admin, demo, dialogs):
    from PySide6.QtCore import QCoreApplication, QEvent

    from ecrf.services.auth import change_own_password, login

    temporary = users.add_user(admin, "boss", "Bo Ss", "site_admin")
    admin.close()
    boss = login(demo.db_path, demo.study, "boss", temporary)
    try:
        page = AdminPage(boss)
        qtbot.addWidget(page)
        assert page.users.model.rowCount() == 0 and not dialogs.errors  # no error box before the change
        change_own_password(boss, temporary, "boss-password-1")
        QCoreApplication.sendEvent(page, QEvent(QEvent.Type.ActivationChange))  # the forced dialog closed
        assert page.users.model.rowCount() == 6 and page.audit.browser.model.rowCount() == audit_trail.PAGE
    finally:
        boss.close()
