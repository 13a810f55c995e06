"""Every write leaves its audit events (who, role, UTC time and offset, workstation, old and new value,
reason); a clock set back shows in the trail; logins, failed logins and lockout (21 CFR 11.10(e), (d))."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from subject_helpers import (
    TZ_PLUS_8,
    UTC_TEXT,
    ManualTime,
    consent_day,
    dm_values,
    enrol,
    events_after,
    head,
    login_at,
    password_of,
    screen,
)

from ecrf.services import audit_trail, auth, backup, forms, logs, subjects, users
from ecrf.services.errors import (
    AccountLocked,
    LoginFailed,
    NeedsConfirmation,
    ReasonRequired,
)
from ecrf.services.subject_data import FormRef
from ecrf.store.clock import utc_text
from ecrf.store.models import AuditEvent, FailedLogin
from ecrf.study import clock as app_clock
from ecrf.study.status import SubjectStatus
from ecrf.study.values import Missing

WHERE_FIELDS = ("subject", "visit", "form", "timepoint", "repeat")


def one(events: list[AuditEvent], action: str, **fields: object) -> AuditEvent:
    """The single event with this action (and these field values)."""
    found = [e for e in events if e.action == action and all(getattr(e, k) == v for k, v in fields.items())]
    assert len(found) == 1, f"{action} {fields}: {[(e.action, e.item, e.new_value) for e in events]}"
    return found[0]


def stamped(events: list[AuditEvent], time: ManualTime, username: str, role: str) -> None:
    """Who, when (UTC, fixed width, with the PC's offset) and where, on every event."""
    offset = int(time.now.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    assert events
    for event in events:
        assert re.match(UTC_TEXT, event.at_utc)
        assert (event.at_utc, event.utc_offset_min, event.workstation) == (utc_text(time.now), offset,
                                                                          time.workstation)
        assert (event.username, event.role) == (username, role)
        assert event.clock_note is None


@pytest.fixture
def time() -> ManualTime:
    return ManualTime()


@pytest.mark.req("P11.10e")
def test_login_is_audited_with_utc_time_offset_and_workstation(sites, study):
    db, _ = sites.make()
    time = ManualTime(datetime.now(TZ_PLUS_8), workstation="ICU-NURSE-STATION")
    nurse = login_at(db, study, "nurse", time)
    try:
        [event] = events_after(nurse, head(nurse) - 1)
        stamped([event], time, "nurse", "nurse")
        assert event.action == "login"
        assert event.utc_offset_min == 480
        assert event.at_utc.endswith("Z") and event.at_utc == utc_text(time.now)
    finally:
        nurse.close()


@pytest.mark.req("P11.10e")
def test_screening_and_form_values_audited_old_new_reason(sites, study, time):
    db, _ = sites.make()
    nurse = login_at(db, study, "nurse", time)
    try:
        start = head(nurse)
        label = subjects.screen_subject(nurse)
        one(events_after(nurse, start), "subject_screened", subject=label, new_value="screening")

        ref = FormRef(label, "SCR", "DM")
        mark = head(nurse)
        forms.save_form(nurse, ref, {"RFICDAT": consent_day().isoformat(), "SEX": "M"})
        new = events_after(nurse, mark)
        stamped(new, time, "nurse", "nurse")
        assert [e.action for e in new] == ["value", "value", "form_status"]
        where = {"subject": label, "visit": "SCR", "form": "DM", "timepoint": None, "repeat": None}
        for event in new:
            assert {k: getattr(event, k) for k in WHERE_FIELDS} == where
        sex = one(new, "value", item="SEX")
        assert (sex.old_value, sex.old_missing, sex.new_value, sex.new_missing, sex.reason) == (
            None, None, "M", None, None)
        status = one(new, "form_status")
        assert (status.old_value, status.new_value) == ("not_started", "in_progress")

        mark = head(nurse)
        forms.save_form(nurse, ref, dm_values(), complete=True)
        new = events_after(nurse, mark)
        assert {e.item for e in new if e.action == "value"} == {"ICVER", "BRTHDAT", "HEIGHT", "WEIGHT"}
        assert one(new, "value_derived", item="AGE").new_value == "45"
        assert one(new, "value_derived", item="BMI").new_value == "22.9"
        status = one(new, "form_status")
        assert (status.old_value, status.new_value) == ("in_progress", "complete")

        mark = head(nurse)
        with pytest.raises(ReasonRequired):
            forms.save_form(nurse, ref, {"HEIGHT": "170.0"})
        assert head(nurse) == mark
        forms.save_form(nurse, ref, {"HEIGHT": "170.0"}, reason="transcription error")
        new = events_after(nurse, mark)
        height, bmi = one(new, "value", item="HEIGHT"), one(new, "value_derived", item="BMI")
        assert (height.old_value, height.new_value, height.reason) == ("172.5", "170.0", "transcription error")
        assert (bmi.old_value, bmi.new_value, bmi.reason) == ("22.9", "23.5", "transcription error")
        assert "form_status" not in [e.action for e in new]  # still complete

        mark = head(nurse)
        forms.save_form(nurse, ref, {"WEIGHT": Missing("ND")}, reason="scale broken")
        new = events_after(nurse, mark)
        weight = one(new, "value", item="WEIGHT")
        assert (weight.old_value, weight.old_missing, weight.new_value, weight.new_missing, weight.reason) == (
            "68.0", None, None, "ND", "scale broken")
        assert one(new, "value_derived", item="BMI").new_value is None
    finally:
        nurse.close()


@pytest.mark.req("P11.10e")
def test_confirmed_warning_is_audited(sites, study, time):
    db, _ = sites.make()
    nurse = login_at(db, study, "nurse", time)
    try:
        label = screen(nurse)
        ref = FormRef(label, "SCR", "VS")
        mark = head(nurse)
        with pytest.raises(NeedsConfirmation) as asked:
            forms.save_form(nurse, ref, {"TEMP": "41.5"})
        assert head(nurse) == mark
        [finding] = asked.value.findings
        forms.save_form(nurse, ref, {"TEMP": "41.5"}, confirm={finding.key})
        confirmed = one(events_after(nurse, mark), "warning_confirmed")
        assert (confirmed.subject, confirmed.form, confirmed.item, confirmed.new_value) == (
            label, "VS", "TEMP", finding.key)
        assert confirmed.reason == finding.text("en")
        assert confirmed.username == "nurse"
    finally:
        nurse.close()


@pytest.mark.req("P11.10e")
def test_allocation_and_end_of_participation_audited(sites, study, time):
    db, _ = sites.make()
    investigator = login_at(db, study, "investigator", time)
    try:
        label = screen(investigator)
        mark = head(investigator)
        allocation = subjects.allocate(investigator, label, day0=app_clock.today())
        new = events_after(investigator, mark)
        stamped(new, time, "investigator", "investigator")
        allocated = one(new, "allocated")
        assert (allocated.subject, allocated.item, allocated.new_value) == (allocation.subject_id, "R001", "MSC")
        assert "allocation list entry 1" in allocated.reason and label in allocated.reason
        assert app_clock.today().isoformat() in allocated.reason
        values = {e.item: e.new_value for e in new if e.action == "value"}
        assert values == {"RANDDAT": app_clock.today().isoformat(), "ARMCD": "MSC", "RANDNO": "R001"}
        assert {e.subject for e in new} == {allocation.subject_id}

        mark = head(investigator)
        subjects.end_participation(investigator, allocation.subject_id, SubjectStatus.WITHDRAWN, app_clock.today(),
                                   "withdrew consent")
        new = events_after(investigator, mark)
        ended = one(new, "participation_ended")
        assert (ended.subject, ended.old_value, ended.new_value) == (allocation.subject_id, "enrolled", "withdrawn")
        assert ended.reason == f"withdrew consent (on {app_clock.today().isoformat()})"
        cancelled = [e for e in new if e.action == "visit_cancelled"]
        assert [e.visit for e in cancelled] == ["D3", "D6", "D14", "D28", "D90", "D180"]
        assert {e.reason for e in cancelled} == {"participation ended: withdrawn"}

        mark = head(investigator)
        other = screen(investigator)
        subjects.allocate_manually(investigator, other, "CTRL", "ENV-07", "allocation list PC broken")
        manual = one(events_after(investigator, mark), "allocated")
        assert (manual.item, manual.new_value) == ("ENV-07", "CTRL")
        assert manual.reason.startswith("manual: allocation list PC broken")
    finally:
        investigator.close()


@pytest.mark.req("P11.10e")
def test_log_entries_audited(sites, study, time):
    db, _ = sites.make()
    nurse = login_at(db, study, "nurse", time)
    try:
        subject = enrol(nurse)
        mark = head(nurse)
        repeat, _ = logs.add_log_entry(nurse, subject, "AE", {"AETERM": "Headache"})
        new = events_after(nurse, mark)
        assert [e.action for e in new] == ["value", "form_status", "log_entry_added"]
        for event in new:
            assert (event.subject, event.visit, event.form, event.repeat) == (subject, None, "AE", repeat)
        assert one(new, "value").new_value == "Headache"

        mark = head(nurse)
        logs.remove_log_entry(nurse, subject, "AE", repeat, "entered for the wrong subject")
        [removed] = events_after(nurse, mark)
        assert (removed.action, removed.old_value, removed.new_value, removed.reason) == (
            "log_entry_removed", "present", "removed", "entered for the wrong subject")
        assert (removed.subject, removed.form, removed.repeat) == (subject, "AE", repeat)
    finally:
        nurse.close()


@pytest.mark.req("P11.10e")
def test_user_management_audited(sites, study, time, tmp_path):
    db, _ = sites.make()
    admin = login_at(db, study, "admin", time)
    try:
        mark = head(admin)
        users.add_user(admin, "newnurse", "Nina Newcomer", "nurse")
        users.deactivate_user(admin, "monitor", "moved to another trial")
        users.reset_password(admin, "reader", "forgot the password")
        users.change_role(admin, "nurse", "investigator", "appointed sub-investigator")
        auth.change_own_password(admin, password_of("admin"), "admin-password-2")
        new = events_after(admin, mark)
        stamped(new, time, "admin", "site_admin")
        added = one(new, "user_added", item="newnurse")
        assert (added.new_value, added.reason) == ("nurse", "Nina Newcomer")
        gone = one(new, "user_deactivated", item="monitor")
        assert (gone.old_value, gone.new_value, gone.reason) == ("active", "inactive", "moved to another trial")
        reset = one(new, "password_reset", item="reader")
        assert (reset.old_value, reset.new_value, reset.reason) == ("active", "active", "forgot the password")
        role = one(new, "role_changed", item="nurse")
        assert (role.old_value, role.new_value, role.reason) == ("nurse", "investigator",
                                                                 "appointed sub-investigator")
        changed = one(new, "password_changed", item="admin")
        assert changed.new_value is None  # never the password
        for event in new:
            assert "password-1" not in repr([getattr(event, f) for f in ("old_value", "new_value", "reason")])
    finally:
        admin.close()


@pytest.mark.req("P11.10e")
def test_allocation_list_backup_and_rekey_audited(sites, study, time, tmp_path):
    db, _ = sites.make(allocation=False)
    admin = login_at(db, study, "admin", time)
    try:
        mark = head(admin)
        csv_text = "rand_no,arm\nR001,MSC\nR002,CTRL\n"
        subjects.import_allocation_list(admin, csv_text)
        backup.backup(admin, tmp_path / "before-rekey.zip")
        backup.rekey(admin)
        new = events_after(admin, mark)
        stamped(new, time, "admin", "site_admin")
        imported = one(new, "allocation_list_imported")
        assert imported.new_value == "2 entries" and re.fullmatch(r"sha256 [0-9a-f]{64}", imported.reason)
        assert one(new, "backup").new_value == "before-rekey.zip"
        rekey = one(new, "rekey")
        assert rekey.old_value.startswith("key generation ") and rekey.new_value == "next generation"
        assert rekey.reason.endswith("key slots rewrapped")
    finally:
        admin.close()
    again = login_at(db, study, "admin", time)  # the new key opens the site; the chain is intact
    try:
        assert again.database.check_trail().ok
    finally:
        again.close()


@pytest.mark.req("P11.10e")
def test_clock_set_back_is_noted_and_the_chain_still_verifies(sites, study, time):
    db, _ = sites.make()
    nurse = login_at(db, study, "nurse", time)
    try:
        label = subjects.screen_subject(nurse)
        before = events_after(nurse, head(nurse) - 1)[0]
        time.move(hours=-1)
        mark = head(nurse)
        forms.save_form(nurse, FormRef(label, "SCR", "DM"), {"SEX": "F"})
        new = events_after(nurse, mark)
        assert new[0].at_utc < before.at_utc and new[0].seq == before.seq + 1
        assert new[0].clock_note == "clock behind the previous event by 1 h 0 min"
        assert [e.clock_note for e in new[1:]] == [None] * (len(new) - 1)  # same time as the noted event
        time.move(seconds=30)  # still behind, by less
        mark = head(nurse)
        forms.save_form(nurse, FormRef(label, "SCR", "DM"), {"SEX": "M"})
        assert events_after(nurse, mark)[0].clock_note is None  # behind the first event, not the last one
        time.move(hours=2)
        mark = head(nurse)
        forms.save_form(nurse, FormRef(label, "SCR", "DM"), {"SEX": "F"})
        assert {e.clock_note for e in events_after(nurse, mark)} == {None}
        assert nurse.database.check_trail().ok
    finally:
        nurse.close()


@pytest.mark.req("P11.10e")
@pytest.mark.req("P11.10d")
def test_failed_logins_are_audited_at_the_next_login_with_their_own_time(sites, study, time):
    db, _ = sites.make()
    times = []
    for username in ("nurse", "nurse", "nobody"):
        with pytest.raises(LoginFailed, match="Wrong username or password") as failed:
            login_at(db, study, username, time, password="wrong-password")
        times.append(utc_text(time.now))
        time.move(minutes=5)
    assert "4 attempt(s) left" in failed.value.message  # each username counts on its own
    monitor = login_at(db, study, "monitor", time)
    try:
        new = events_after(monitor, head(monitor) - 4)
        assert [e.action for e in new] == ["login_failed"] * 3 + ["login"]
        assert [(e.item, e.new_value) for e in new[:3]] == list(zip(("nurse", "nurse", "nobody"), times, strict=True))
        # Each names the attempted account, with the attempt's own time; the monitor only recorded them.
        assert [(e.username, e.role, e.at_utc) for e in new[:3]] == [
            (name, "", at) for name, at in zip(("nurse", "nurse", "nobody"), times, strict=True)]
        assert (new[3].username, new[3].role, new[3].at_utc) == ("monitor", "monitor", utc_text(time.now))
        assert new[0].reason == f"wrong username or password at {time.workstation}; recorded at the login of monitor"
        assert all(e.clock_note is None for e in new)  # an earlier time of a recorded event is no clock problem
        assert audit_trail.verify(monitor).ok
        with monitor.database.read() as session:
            rows = session.query(FailedLogin).order_by(FailedLogin.id).all()
            assert [(r.username, r.at_utc) for r in rows] == list(zip(("nurse", "nurse", "nobody"), times,
                                                                      strict=True))
    finally:
        monitor.close()
    again = login_at(db, study, "admin", time)  # recorded once, not again
    try:
        assert [e.action for e in events_after(again, head(again) - 1)] == ["login"]
    finally:
        again.close()


@pytest.mark.req("P11.10d")
def test_lockout_after_five_failures_with_a_growing_wait(sites, study, time):
    db, _ = sites.make()
    for attempt in range(1, 5):
        with pytest.raises(LoginFailed, match=f"{5 - attempt} attempt\\(s\\) left"):
            login_at(db, study, "nurse", time, password="wrong-password")
    refused = r"After 5 failed attempts, logins as 'nurse' are refused for 1 minute\(s\)"
    with pytest.raises(AccountLocked, match=refused) as locked:
        login_at(db, study, "nurse", time, password="wrong-password")
    assert "nurse" in locked.value.message

    time.move(seconds=30)
    with pytest.raises(AccountLocked) as still:  # even the right password, while locked
        login_at(db, study, "nurse", time)
    until = (time.now - timedelta(seconds=30) + timedelta(minutes=1)).strftime("%H:%M")
    assert f"After 5 failed attempts, logins as 'nurse' are refused until {until}" in still.value.message
    assert "ask the site administrator to reset the password" in still.value.message
    other = login_at(db, study, "investigator", time)  # other accounts are not locked
    other.close()

    time.move(seconds=31)  # the first lock is over; the next failure locks for longer
    with pytest.raises(AccountLocked) as longer:
        login_at(db, study, "nurse", time, password="wrong-password")
    minutes = int(re.search(r"refused for (\d+) minute", longer.value.message)[1])  # type: ignore[index]
    assert minutes >= 2

    time.move(minutes=minutes, seconds=-5)
    with pytest.raises(AccountLocked):
        login_at(db, study, "nurse", time)
    time.move(seconds=6)
    nurse = login_at(db, study, "nurse", time)
    try:
        new = events_after(nurse, 0)
        failed = [e for e in new if e.action == "login_failed"]
        assert len(failed) == 8  # 6 wrong passwords, 2 refused while locked
        assert sum("locked until" in e.reason for e in failed) >= 3
        assert new[-1].action == "login" and new[-1].username == "nurse"
    finally:
        nurse.close()
    for attempt in range(1, 3):  # a successful login starts the count again
        with pytest.raises(LoginFailed, match=f"{5 - attempt} attempt\\(s\\) left"):
            login_at(db, study, "nurse", time, password="wrong-password")


@pytest.mark.req("P11.10d")
def test_deactivated_user_cannot_log_in_and_the_attempt_is_audited(sites, study, time):
    db, _ = sites.make()
    admin = login_at(db, study, "admin", time)
    try:
        users.deactivate_user(admin, "nurse", "left the hospital")
    finally:
        admin.close()
    with pytest.raises(LoginFailed):
        login_at(db, study, "nurse", time)
    admin = login_at(db, study, "admin", time)
    try:
        failed = one(events_after(admin, 0), "login_failed", item="nurse")
        assert failed.new_value == utc_text(time.now)
        assert admin.database.check_trail().ok
    finally:
        admin.close()


@pytest.mark.req("P11.10e")
def test_history_of_an_item_and_of_a_subject_across_allocation(sites, study, time):
    db, _ = sites.make()
    investigator = login_at(db, study, "investigator", time)
    try:
        label = screen(investigator)
        subject = subjects.allocate(investigator, label).subject_id
        forms.save_form(investigator, FormRef(subject, "SCR", "DM"), {"ICVER": "V1.1"}, reason="misread")
        history = audit_trail.item_history(investigator, FormRef(subject, "SCR", "DM"), "ICVER")
        assert [(e.subject, e.old_value, e.new_value, e.reason) for e in history] == [
            (label, None, "V1.0 2020-01-20", None), (subject, "V1.0 2020-01-20", "V1.1", "misread")]
        assert history == audit_trail.item_history(investigator, FormRef(label, "SCR", "DM"), "ICVER")
        repeat, _ = logs.add_log_entry(investigator, subject, "AE", {"AETERM": "Headache"})
        forms.save_form(investigator, FormRef(subject, "", "AE", "", repeat), {"AETERM": "Migraine"})
        history = audit_trail.item_history(investigator, FormRef(subject, "", "AE", "", repeat), "AETERM")
        assert [(e.old_value, e.new_value) for e in history] == [(None, "Headache"), ("Headache", "Migraine")]
        trail = audit_trail.events(investigator, subject=label)
        assert {e.subject for e in trail} == {label, subject}
        assert trail[0].action == "subject_screened" and trail == audit_trail.events(investigator, subject=subject)
        assert [e.seq for e in trail] == sorted(e.seq for e in trail)
        assert audit_trail.verify(investigator).ok
    finally:
        investigator.close()
