"""Issue 16 items 3 and 15 below the GUI: the allocation list from a file (one service for the CLI and the app),
a lockout the site administrator can see and lift, and when the last backup was made."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import unallocated_copy

from ecrf.errors import EcrfError
from ecrf.services import allocation, audit_trail, backup, backup_status, users
from ecrf.services.auth import MAX_FAILURES, login

GOOD_LIST = "rand_no,arm\nR001,MSC\nR002,CTRL\nR003,MSC\n"


def _code(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(EcrfError) as caught:
        call()
    return caught.value.code


def _lock_out(db: Path, study, username: str = "nurse") -> None:  # type: ignore[no-untyped-def]
    for _ in range(MAX_FAILURES):
        with pytest.raises(EcrfError):
            login(db, study, username, "not-the-password")


@pytest.fixture
def site(unallocated_template, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    return unallocated_copy(unallocated_template, tmp_path)


@pytest.fixture
def fresh(unallocated_template, tmp_path, sites):  # type: ignore[no-untyped-def]
    """A copy of the fresh site, and its administrator logged in."""
    db = unallocated_copy(unallocated_template, tmp_path)
    session = sites.login(db)
    yield db, session
    session.close()


# -- the allocation list from a file ------------------------------------------------------------------

@pytest.mark.req("WARD-ADMIN-ALLOC")
def test_a_list_file_is_imported_once_and_its_state_follows(fresh, tmp_path):  # type: ignore[no-untyped-def]
    _db, session = fresh
    assert allocation.allocation_state(session).missing
    path = tmp_path / "list.csv"
    path.write_text(GOOD_LIST, encoding="utf-8")
    assert allocation.import_allocation_file(session, path) == 3
    state = allocation.allocation_state(session)
    assert (state.missing, state.entries, state.used, state.left) == (False, 3, 0, 3)
    assert _code(lambda: allocation.import_allocation_file(session, path)) == "allocation-list-same-imported"
    other = tmp_path / "other.csv"
    other.write_text("rand_no,arm\nR009,MSC\n", encoding="utf-8")
    assert _code(lambda: allocation.import_allocation_file(session, other)) == "allocation-list-exists"


@pytest.mark.req("WARD-ADMIN-ALLOC")
@pytest.mark.parametrize(("content", "code"), [
    (b"rand_no,arm\nA1,PLACEBO\nA2,ACTIVE\n", "allocation-list-other-study"),
    (b"PK\x03\x04 an xlsx workbook", "allocation-file-is-workbook"),
    (b"rand_no,arm\nR1,MSC\nR1,CTRL\n", "allocation-number-invalid"),
    (b"rand_no,arm\nR1,MSC\nR2,PLACEBO\n", "allocation-arm-unknown"),
    (b"rand_no,arm\nR1,msc\nR2,ctrl\n", "allocation-arm-unknown"),  # this study's arms in the wrong case
    (b"number;group\n1;MSC\n", "allocation-list-not-csv"),
    (b"rand_no,arm\n", "allocation-list-empty"),
    (b"rand_no,arm\n001,MSC,extra\n002,CTRL\n", "allocation-line-extra-fields"),  # which cell is the arm?
    (b"rand_no,arm\n001,MSC\n002,MSC,CTRL\n", "allocation-line-extra-fields"),
    ("rand_no,arm\nR1,MSC\n".encode("utf-16"), "allocation-file-not-utf8"),
])
def test_every_bad_file_is_refused_with_its_reason_and_nothing_imported(fresh, tmp_path, content, code):  # type: ignore[no-untyped-def]
    _db, session = fresh
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    assert _code(lambda: allocation.import_allocation_file(session, path)) == code
    assert allocation.allocation_state(session).missing


def test_the_other_study_message_names_both_sets_of_arms(fresh, tmp_path):  # type: ignore[no-untyped-def]
    _db, session = fresh
    path = tmp_path / "list.csv"
    path.write_text("rand_no,arm\nA1,PLACEBO\n", encoding="utf-8")
    with pytest.raises(EcrfError) as caught:
        allocation.import_allocation_file(session, path)
    assert "PLACEBO" in caught.value.text() and "CTRL, MSC" in caught.value.text()
    assert "其他研究" in caught.value.text("zh")


@pytest.mark.req("WARD-ADMIN-ALLOC")
def test_a_line_with_an_extra_field_is_named_with_what_is_extra(fresh, tmp_path):  # type: ignore[no-untyped-def]
    _db, session = fresh
    path = tmp_path / "list.csv"
    path.write_text("rand_no,arm\n001,MSC\n002,MSC,CTRL\n", encoding="utf-8")
    with pytest.raises(EcrfError) as caught:
        allocation.import_allocation_file(session, path)
    assert "Line 3" in caught.value.text() and "'CTRL'" in caught.value.text()
    assert "第 3 行" in caught.value.text("zh")


def test_only_the_site_administrator_imports_and_hears_so_before_the_file(fresh, sites, tmp_path):  # type: ignore[no-untyped-def]
    db, admin = fresh
    admin.close()
    nurse = sites.login(db, "nurse")
    try:
        assert _code(lambda: allocation.import_allocation_file(nurse, tmp_path / "none.csv")) == "permission-denied"
        assert allocation.allocation_state(nurse).missing  # staff may see that it is missing
    finally:
        nurse.close()


# -- lockout: seen and lifted ---------------------------------------------------------------------------

@pytest.mark.req("WARD-ADMIN-UNLOCK")
def test_a_locked_account_is_listed_as_locked_and_unlocked_with_an_audited_reason(site, sites, study):  # type: ignore[no-untyped-def]
    db = site
    _lock_out(db, study)
    admin = sites.login(db)
    try:
        nurse = next(u for u in users.list_users(admin) if u.username == "nurse")
        assert nurse.locked_until is not None and nurse.failed_logins == MAX_FAILURES
        users.unlock_account(admin, "nurse", "called from the ward, recognised by voice")
        assert next(u for u in users.list_users(admin) if u.username == "nurse").locked_until is None
        actions = [(e.action, e.item) for e in audit_trail.events(admin, limit=20)]
        # The failures that caused the lock are in the trail (moved in at the admin's login) before the unlock.
        assert actions[-MAX_FAILURES - 2:] == [("login_failed", "nurse")] * MAX_FAILURES + [
            ("login", None), ("account_unlocked", "nurse")]
        event = audit_trail.events(admin, limit=1)[0]
        assert event.reason == "called from the ward, recognised by voice" and event.username == "admin"
    finally:
        admin.close()
    login(db, study, "nurse", "nurse-password-1").close()  # at once, not after the lock has run out


@pytest.mark.req("WARD-ADMIN-UNLOCK")
def test_unlock_is_refused_without_reason_for_an_open_account_and_for_other_roles(site, sites, study):  # type: ignore[no-untyped-def]
    db = site
    _lock_out(db, study, "reader")
    investigator = sites.login(db, "investigator")
    try:
        assert _code(lambda: users.unlock_account(investigator, "reader", "a colleague")) == "permission-denied"
    finally:
        investigator.close()
    admin = sites.login(db)
    try:
        assert _code(lambda: users.unlock_account(admin, "reader", "  ")) == "account-unlock-reason-required"
        assert _code(lambda: users.unlock_account(admin, "nurse", "why not")) == "account-not-locked"
        assert _code(lambda: users.unlock_account(admin, "ghost", "why not")) == "user-not-found"
        assert next(u for u in users.list_users(admin) if u.username == "reader").locked_until is not None
    finally:
        admin.close()


def test_a_lock_that_has_run_out_is_not_shown_as_locked(site, sites, study):  # type: ignore[no-untyped-def]
    db = site
    _lock_out(db, study)
    admin = sites.login(db)
    try:
        later = admin.clock.now() + timedelta(hours=2)
        admin.clock.source = lambda: later
        assert next(u for u in users.list_users(admin) if u.username == "nurse").locked_until is None
    finally:
        admin.close()


# -- the last backup ----------------------------------------------------------------------------------

@pytest.mark.req("WARD-ADMIN-BACKUP")
def test_the_last_backup_is_read_from_the_trail_and_a_reminder_is_due_after_a_week(fresh, tmp_path):  # type: ignore[no-untyped-def]
    _db, session = fresh
    assert backup_status.last_backup(session) is None and backup_status.backup_overdue(None, session.clock.now())
    backup.backup(session, tmp_path / "b1.zip")
    found = backup_status.last_backup(session)
    assert found is not None and found.file_name == "b1.zip" and found.username == "admin"
    assert not backup_status.backup_overdue(found, session.clock.now())
    later = session.clock.now() + timedelta(days=backup_status.BACKUP_REMINDER_DAYS, hours=1)
    session.clock.source = lambda: later
    assert backup_status.backup_overdue(found, session.clock.now())


def test_a_failed_backup_does_not_count_as_the_last_one(fresh, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    _db, session = fresh
    backup.backup(session, tmp_path / "good.zip")

    def disk_full(*_args) -> None:  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_write_zip", disk_full)  # audited as `backup`, then as `backup_failed`
    with pytest.raises(EcrfError):
        backup.backup(session, tmp_path / "bad.zip")
    found = backup_status.last_backup(session)
    assert found is not None and found.file_name == "good.zip"
