"""Locks on a form, a visit or a subject (complete, queries closed, SDV done, as the plan says), nobody changing
locked data, unlocking with a reason that breaks the signatures in its scope; and the site's freeze and lock
(21 CFR 11.10(d)(e)(g))."""
from __future__ import annotations

import pytest
from subject_helpers import actions_after, events_after, last_seq, screen

from ecrf.services import forms, locks, logs, sdv, subjects
from ecrf.services.errors import InvalidInput, PermissionDenied, WrongState
from ecrf.services.subject_data import FormRef
from ecrf.study import clock as app_clock
from ecrf.study.status import Scope, SubjectStatus
from tests.monitoring.helpers import add_query, add_signature, signature_states, site_with_subject

pytestmark = pytest.mark.req("LOCK")


@pytest.fixture
def site(sites):  # type: ignore[no-untyped-def]
    return site_with_subject(sites)


def _verify(site, *places):  # type: ignore[no-untyped-def]
    with site.user("monitor") as monitor:
        for visit, form in places:
            sdv.verify_form(monitor, site.ref(visit, form))


def test_lock_lists_what_is_missing_then_locks_when_in_order(site):
    query = None
    with site.user("monitor") as monitor:
        query = add_query(monitor, site.ref("SCR", "DM"), item="SEX")
    with site.user("investigator") as investigator:
        before = last_seq(investigator)
        with pytest.raises(WrongState) as refused:
            locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
        assert refused.value.code == "lock-needs-unmet"
        missing = refused.value.params["missing"]
        assert f"Q-{query:04d}" in str(missing)
        assert "source data verification not done: SCR/DM (0 of 2)" in str(missing)
        assert last_seq(investigator) == before
    _verify(site, ("SCR", "DM"))
    with site.user("monitor") as monitor, monitor.database.write() as db:
        from ecrf.store.models import QueryRow

        db.get(QueryRow, query).state = "closed"
    with site.user("investigator") as investigator:
        before = last_seq(investigator)
        lock_id = locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
        [event] = events_after(investigator, before)
        assert (event.action, event.subject, event.visit, event.form, event.new_value) == (
            "locked", site.subject, "SCR", "DM", "locked")
        assert [(i.id, i.scope) for i in locks.active_locks(investigator, site.subject)] == [(lock_id, Scope.FORM)]
        with pytest.raises(WrongState) as again:
            locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
        assert again.value.code == "already-locked"


def test_nobody_changes_a_locked_form(site):
    _verify(site, ("SCR", "DM"))
    with site.user("investigator") as investigator:
        locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
    with site.user("nurse") as nurse:
        before = last_seq(nurse)
        with pytest.raises(WrongState) as refused:
            forms.save_form(nurse, site.ref("SCR", "DM"), {"ICVER": "V9"}, reason="typo", complete=True)
        assert refused.value.code == "form-locked"
        assert last_seq(nurse) == before
        forms.save_form(nurse, site.ref("SCR", "VS"), {"TEMP": "37.1"})  # the rest of the visit is open


def test_an_incomplete_visit_or_log_entry_cannot_be_locked(site):
    with site.user("investigator") as investigator:
        with pytest.raises(WrongState) as refused:
            locks.lock(investigator, site.subject, Scope.VISIT, visit="SCR")
        assert "not complete: SCR/VS" in str(refused.value.params["missing"])
        repeat, _ = logs.add_log_entry(investigator, site.subject, "CM", {"CMTRT": "Paracetamol"}, complete=False)
    with site.user("investigator") as investigator, pytest.raises(WrongState):
        locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("", "CM", repeat=repeat))


def test_subject_lock_covers_everything(site):
    with site.user("investigator") as investigator, pytest.raises(WrongState):
        locks.lock(investigator, site.subject, Scope.SUBJECT)  # the casebook is far from complete
    # Put the lock in as if the casebook had been complete (what it covers is the point here).
    with site.user("admin") as admin, admin.database.write() as db:
        from ecrf.store.models import LockRow, Subject

        subject = db.query(Subject).filter_by(subject_id=site.subject).one()
        db.add(LockRow(subject_pk=subject.id, scope="subject", locked_at="2026-01-01T00:00:00.000000Z",
                       locked_by="investigator", active=True))
    with site.user("nurse") as nurse:
        with pytest.raises(WrongState) as refused:
            forms.save_form(nurse, site.ref("SCR", "VS"), {"TEMP": "37.1"})
        assert refused.value.code == "form-locked"
        with pytest.raises(WrongState) as refused:
            logs.add_log_entry(nurse, site.subject, "CM", {"CMTRT": "Paracetamol"})
        assert refused.value.code == "log-entry-locked"
        with pytest.raises(WrongState) as refused:
            subjects.end_participation(nurse, site.subject, SubjectStatus.WITHDRAWN, app_clock.today(), "withdrew")
        assert refused.value.code == "subject-locked"


@pytest.mark.req("P11.10g")
def test_only_investigators_and_site_admins_lock(site):
    _verify(site, ("SCR", "DM"))
    for role in ("nurse", "monitor", "reader"):
        with site.user(role) as user, pytest.raises(PermissionDenied):
            locks.lock(user, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
    with site.user("admin") as admin:
        lock_id = locks.lock(admin, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
        locks.unlock(admin, lock_id, "correction needed")


def test_unlock_needs_a_reason_and_breaks_the_signatures_in_its_scope(site):
    _verify(site, ("SCR", "DM"))
    with site.user("investigator") as investigator:
        lock_id = locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
        on_form = add_signature(investigator, site.subject, "form", "SCR", "DM")
        on_other_form = add_signature(investigator, site.subject, "form", "SCR", "IE")
        on_visit = add_signature(investigator, site.subject, "visit", "SCR")
        on_subject = add_signature(investigator, site.subject, "subject")
        on_other_visit = add_signature(investigator, site.subject, "visit", "D0")
        with pytest.raises(InvalidInput) as refused:
            locks.unlock(investigator, lock_id, " ")
        assert refused.value.code == "unlock-reason-required"
        before = last_seq(investigator)
        assert sorted(locks.unlock(investigator, lock_id, "consent version wrong")) == sorted(
            [on_form, on_visit, on_subject])
        assert actions_after(investigator, before) == ["unlocked"] + ["signature_broken"] * 3
        states = signature_states(investigator)
        assert states[on_form] == ("broken", "unlocked: consent version wrong")
        assert states[on_other_form][0] == states[on_other_visit][0] == "valid"
        assert locks.active_locks(investigator, site.subject) == []
    with site.user("nurse") as nurse:
        forms.save_form(nurse, site.ref("SCR", "DM"), {"ICVER": "V9"}, reason="consent version", complete=True)


def test_a_frozen_site_takes_no_data_a_locked_site_nothing_but_reading(site):
    with site.user("investigator") as investigator, pytest.raises(PermissionDenied):
        locks.freeze_site(investigator, "final export")
    with site.user("admin") as admin:
        with pytest.raises(InvalidInput):
            locks.freeze_site(admin, "")
        before = last_seq(admin)
        locks.freeze_site(admin, "final export")
        [event] = events_after(admin, before)
        assert (event.action, event.old_value, event.new_value, event.reason) == (
            "site_frozen", "open", "frozen", "final export")
        with pytest.raises(WrongState) as same:
            locks.freeze_site(admin, "again")
        assert same.value.code == "site-state-unchanged"
    with site.user("nurse") as nurse:
        for attempt in (lambda: forms.save_form(nurse, site.ref("SCR", "VS"), {"TEMP": "37.1"}),
                        lambda: subjects.screen_subject(nurse),
                        lambda: logs.add_log_entry(nurse, site.subject, "CM", {"CMTRT": "Paracetamol"})):
            with pytest.raises(WrongState) as refused:
                attempt()
            assert refused.value.code == "site-frozen"
    _verify(site, ("SCR", "DM"))  # the monitor still verifies
    with site.user("investigator") as investigator:
        lock_id = locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))  # and locking goes on
    with site.user("admin") as admin:
        locks.lock_site(admin, "database locked")
    with site.user("investigator") as investigator:
        with pytest.raises(WrongState) as refused:
            locks.unlock(investigator, lock_id, "correction")
        assert refused.value.code == "site-locked"
        assert locks.current_site_state(investigator) == "locked"
    with site.user("admin") as admin:
        locks.reopen_site(admin, "sponsor asked for a correction")
        assert actions_after(admin, 0)[-1] == "site_reopened"
    with site.user("nurse") as nurse:
        screen(nurse)


def test_a_screen_failure_is_locked_once_what_was_entered_is_in_order(sites):
    from tests.monitoring.helpers import Site

    db, _ = sites.make()
    site = Site(sites, db, "")
    with site.user("investigator") as investigator:
        label = screen(investigator, ie={"IEEX02": "Y"})
        subjects.end_participation(investigator, label, SubjectStatus.SCREEN_FAILURE, app_clock.today(),
                                   "exclusion criterion 2")
    with site.user("monitor") as monitor:
        for form in ("DM", "IE"):
            sdv.verify_form(monitor, FormRef(label, "SCR", form))
    with site.user("investigator") as investigator:
        locks.lock(investigator, label, Scope.SUBJECT)  # no RAND, no other screening forms asked for
        with pytest.raises(WrongState) as refused:
            subjects.end_participation(investigator, label, SubjectStatus.WITHDRAWN, app_clock.today(), "again")
        assert refused.value.code == "subject-locked"
