"""Issue 16 items 3, 14 and 15 through the real widgets: the allocation list imported from the admin page with a
notice while it is missing, a lockout seen and lifted, the last backup and its reminder, and the file dialogs'
start folder (removable drives, the last folder per kind)."""
from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import unallocated_copy
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QFileDialog

from ecrf.errors import Bug
from ecrf.services import allocation, audit_trail, backup, backup_status
from ecrf.services.auth import MAX_FAILURES, login
from ecrf.store.slot_file import SlotFileMissing
from ecrf.ui import file_dialogs
from ecrf.ui.admin import allocation_box, backup_tab
from ecrf.ui.admin.page import AdminPage
from ecrf.ui.settings import AppSettings


@pytest.fixture
def site(unallocated_template, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    return unallocated_copy(unallocated_template, tmp_path)


@pytest.fixture
def page(qtbot, site, sites) -> AdminPage:  # type: ignore[no-untyped-def]
    session = sites.login(site)
    p = AdminPage(session)
    qtbot.addWidget(p)
    p.show()
    yield p
    session.close()


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _choose(monkeypatch, files: list[Path]) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(allocation_box, "ask_allocation_file", lambda parent: files.pop(0))


# -- item 3: the allocation list ---------------------------------------------------------------------------

@pytest.mark.req("WARD-ADMIN-ALLOC")
def test_the_allocation_list_is_imported_from_the_admin_page(qtbot, page, dialogs, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    notice = page.notices.allocation
    assert notice.isVisible() and "No allocation list is imported yet" in notice.text.text()
    box = page.site.allocation
    assert "No allocation list is imported yet" in box.state_label.text()
    wrong, good = tmp_path / "other-study.csv", tmp_path / "list.csv"
    wrong.write_text("rand_no,arm\nA1,PLACEBO\nA2,ACTIVE\n", encoding="utf-8")
    good.write_text("rand_no,arm\nR001,MSC\nR002,CTRL\n", encoding="utf-8")
    _choose(monkeypatch, [wrong, good, good])
    _click(qtbot, notice.button)  # the notice's own button: the Site tab, and the file asked for at once
    assert page.tabs.currentWidget() is page.site
    assert "another study" in dialogs.last_error() and "Nothing was imported" in dialogs.last_error()
    assert notice.isVisible()
    _click(qtbot, box.import_button)
    assert dialogs.infos[-1][1] == "Allocation list imported: 2 entries from list.csv."
    assert not notice.isVisible()
    assert box.state_label.text() == "Imported: 2 entries, 0 used, 2 left. It cannot be replaced."
    assert box.import_button.isHidden()  # imported once: no button that could only be refused
    box.import_list()  # a second try anyway (e.g. a stale window) is refused with the reason
    assert "imported already" in dialogs.last_error()
    assert [e.action for e in audit_trail.events(page.session, limit=3)][-1] == "allocation_list_imported"


@pytest.mark.req("WARD-ADMIN-ALLOC")
@pytest.mark.parametrize(("content", "words"), [
    (b"PK\x03\x04 workbook", "spreadsheet workbook"),
    (b"rand_no,arm\nR1,MSC\nR1,CTRL\n", "empty or repeated"),
    (b"number;group\n1;MSC\n", "not a CSV file with the columns rand_no and arm"),
])
def test_a_bad_allocation_file_gets_its_reason_and_nothing_changes(qtbot, page, dialogs, monkeypatch, tmp_path,  # type: ignore[no-untyped-def]
                                                                    content, words):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    _choose(monkeypatch, [bad])
    page.show_tab(page.site)
    _click(qtbot, page.site.allocation.import_button)
    assert words in dialogs.last_error() and not dialogs.infos
    assert page.notices.allocation.isVisible() and page.site.allocation.import_button.isVisible()


def test_staff_see_no_allocation_notice_and_no_import_button(qtbot, site, sites):  # type: ignore[no-untyped-def]
    session = sites.login(site, "nurse")
    try:
        p = AdminPage(session)
        qtbot.addWidget(p)
        assert p.notices.allocation.isHidden() and p.notices.backup.isHidden()
        assert p.site.allocation.import_button is None
        assert "No allocation list is imported yet" in p.site.allocation.state_label.text()
    finally:
        session.close()


@pytest.mark.parametrize("bug", [False, True], ids=["refusal", "bug"])
def test_a_reminder_that_cannot_be_worked_out_is_not_shown_and_a_bug_in_it_is_logged(page, monkeypatch, tmp_path,  # type: ignore[no-untyped-def]
                                                                                      bug):
    monkeypatch.setenv("ECRF_DATA_DIR", str(tmp_path / "data"))

    def cannot(session):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("a bug in a reminder") if bug else SlotFileMissing("key-file-missing", path="/x")

    monkeypatch.setattr(allocation, "allocation_state", cannot)
    monkeypatch.setattr(backup_status, "last_backup", cannot)
    page.notices.refresh()
    assert page.notices.allocation.isHidden() and page.notices.backup.isHidden()
    logs = sorted((tmp_path / "data" / "logs").glob("crash-*.log"))
    assert len(logs) == (2 if bug else 0)  # a refusal is the tabs' to explain; a bug leaves its traceback
    assert all("a bug in a reminder" in log.read_text(encoding="utf-8") for log in logs)


# -- item 15: lockout and the last backup --------------------------------------------------------------------

@pytest.mark.req("WARD-ADMIN-UNLOCK")
def test_a_locked_account_is_shown_and_unlocked(qtbot, site, sites, study, dialogs):  # type: ignore[no-untyped-def]
    for _ in range(MAX_FAILURES):
        with pytest.raises(Exception):  # noqa: B017,PT011 - the wrong password's refusal; its kind is not the point
            login(site, study, "nurse", "wrong password")
    session = sites.login(site)
    try:
        p = AdminPage(session)
        qtbot.addWidget(p)
        tab = p.users
        tab.select("nurse")
        row = next(i for i, u in enumerate(tab.model.rows) if u.username == "nurse")
        state = tab.model.index(row, 3).data()
        assert state.startswith("Yes – locked out until ") and f") ({MAX_FAILURES} failed logins)" in state
        assert tab.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
        dialogs.reasons.append("called from the ward")
        _click(qtbot, tab.buttons["unlock"])
        assert tab.model.index(row, 3).data() == "Yes" and not tab.buttons["unlock"].isEnabled()
        tab.select("admin")
        assert not tab.buttons["unlock"].isEnabled()  # only a locked account can be unlocked
    finally:
        session.close()
    login(site, study, "nurse", "nurse-password-1").close()


@pytest.mark.req("WARD-ADMIN-BACKUP")
def test_the_backup_reminder_goes_when_a_backup_is_made_and_comes_back_after_a_week(  # type: ignore[no-untyped-def]
        qtbot, page, dialogs, monkeypatch, tmp_path):
    notice = page.notices.backup
    assert notice.isVisible() and "No backup of this site has been made yet" in notice.text.text()
    assert page.backup.last_made.text() == "No backup of this site has been made yet."
    monkeypatch.setattr(backup_tab, "ask_backup_target", lambda parent, suggested: tmp_path / "b.zip")
    _click(qtbot, notice.button)  # the reminder's button starts a backup on the Backup tab
    qtbot.waitUntil(lambda: bool(dialogs.infos or dialogs.errors), timeout=20000)
    assert not dialogs.errors and page.tabs.currentWidget() is page.backup
    assert not notice.isVisible()
    assert page.backup.last_made.text().startswith("Last backup: ") and "(today) by admin, file b.zip." in \
        page.backup.last_made.text()
    later = page.session.clock.now() + timedelta(days=backup_status.BACKUP_REMINDER_DAYS + 1)
    page.session.clock.source = lambda: later
    page.refresh()
    assert notice.isVisible() and "8 day(s) ago" in notice.text.text()
    assert "(8 day(s) ago) by admin" in page.backup.last_made.text()


def test_a_backup_from_the_command_line_counts_too(qtbot, site, sites, tmp_path):  # type: ignore[no-untyped-def]
    session = sites.login(site)
    try:
        backup.backup(session, tmp_path / "cli.zip")  # what `ecrf backup` calls
        p = AdminPage(session)
        qtbot.addWidget(p)
        assert p.notices.backup.isHidden() and "file cli.zip" in p.backup.last_made.text()
    finally:
        session.close()


# -- item 14: where file dialogs start -------------------------------------------------------------------------

@pytest.fixture
def usb(monkeypatch, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """A removable drive mounted as /media/$USER/STICK would be."""
    media = tmp_path / "media"
    (media / "STICK").mkdir(parents=True)
    monkeypatch.setattr(file_dialogs, "mount_roots", lambda: [media, tmp_path / "run-media-absent"])
    return media / "STICK"


@pytest.mark.req("WARD-ADMIN-FILES")
def test_a_dialog_starts_on_the_removable_drive_then_where_it_was_last_used(usb, tmp_path):  # type: ignore[no-untyped-def]
    settings = AppSettings(tmp_path / "ui.ini")
    assert file_dialogs.removable_places() == [usb]
    assert file_dialogs.start_folder("backup", settings) == usb
    elsewhere = tmp_path / "backups"
    elsewhere.mkdir()
    settings.remember_folder("backup", str(elsewhere))
    assert file_dialogs.start_folder("backup", settings) == elsewhere
    assert file_dialogs.start_folder("restore", settings) == usb  # each kind on its own
    elsewhere.rmdir()  # the remembered drive is out: back to the one that is in
    assert file_dialogs.start_folder("backup", settings) == usb


def test_without_removable_media_a_dialog_starts_in_documents(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(file_dialogs, "mount_roots", lambda: [tmp_path / "none"])
    assert file_dialogs.start_folder("import", AppSettings(tmp_path / "ui.ini")) == file_dialogs.documents_folder()


@pytest.mark.req("WARD-ADMIN-FILES")
def test_the_drive_is_in_the_sidebar_and_the_chosen_folder_is_remembered(usb, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    settings = AppSettings(tmp_path / "ui.ini")
    chosen = usb / "list.csv"
    chosen.write_text("rand_no,arm\n", encoding="utf-8")
    seen: dict[str, object] = {}

    def accept(dialog: QFileDialog) -> int:
        seen["sidebar"], seen["start"] = dialog.sidebarUrls(), dialog.directory().absolutePath()
        dialog.selectFile(str(chosen))
        return 1

    monkeypatch.setattr(QFileDialog, "exec", accept)
    assert file_dialogs.ask_open_file(None, "import", "Choose", "CSV (*.csv)", settings) == chosen
    assert seen["sidebar"][0] == QUrl.fromLocalFile(str(usb)) and seen["start"] == str(usb)  # type: ignore[index]
    assert settings.last_folder("import") == str(usb) and settings.last_folder("export") == ""


def test_a_stick_no_longer_there_leaves_the_sidebar(usb, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    gone = QUrl.fromLocalFile(str(tmp_path / "media" / "OLDSTICK"))
    monkeypatch.setattr(QFileDialog, "sidebarUrls", lambda self: [gone, QUrl("file:")])
    kept: list[list[QUrl]] = []
    monkeypatch.setattr(QFileDialog, "setSidebarUrls", lambda self, urls: kept.append(list(urls)))
    file_dialogs._dialog(None, "Choose", usb)
    assert kept == [[QUrl.fromLocalFile(str(usb)), QUrl("file:")]]


def test_the_suite_keeps_qt_settings_out_of_the_users_config_folder() -> None:
    assert Path(os.environ["XDG_CONFIG_HOME"]).is_relative_to(tempfile.gettempdir()) or \
        "ecrf-tests-" in os.environ["XDG_CONFIG_HOME"]


def test_an_unknown_kind_is_a_bug_not_a_silent_default(tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(Bug, match="unknown kind"):
        AppSettings(tmp_path / "ui.ini").last_folder("photos")


@pytest.mark.req("WARD-ADMIN-FILES")
def test_every_file_dialog_of_the_app_goes_through_the_helper() -> None:
    ui = Path(file_dialogs.__file__).parent
    direct = [str(p.relative_to(ui)) for p in ui.rglob("*.py")
              if p.name != "file_dialogs.py" and "QFileDialog" in p.read_text(encoding="utf-8")]
    assert direct == []
