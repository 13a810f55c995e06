"""Source data verification: a monitor verifies items, a form or a visit of completed forms, only what the
monitoring plan asks; a later change makes a verified item "changed since verified"; un-verifying needs a
reason; every step is one audit event per item (21 CFR 11.10(e); ICH E6(R3) monitoring)."""
from __future__ import annotations

import pytest
from subject_helpers import actions_after, events_after, last_seq

from ecrf.services import forms, locks, logs, sdv
from ecrf.services.errors import InvalidInput, NotFound, PermissionDenied, WrongState
from ecrf.services.sdv import SdvSummary, roll_up
from ecrf.study import clock as app_clock
from ecrf.study.status import SdvState
from tests.monitoring.helpers import IE_ALL, site_with_subject

pytestmark = pytest.mark.req("SDV")

AE_SEVERE = {"AETERM": "Fever", "AESTDAT": app_clock.today().isoformat(), "AEONGO": "Y", "AETOXGR": "3", "AESER": "N",
             "AEREL": "UNL", "AEACN": "NOTCHG", "AECONTRT": "N", "AEOUT": "RECOVING"}


@pytest.fixture
def site(sites):  # type: ignore[no-untyped-def]
    return site_with_subject(sites)


def test_monitor_verifies_items_one_event_each(site):
    with site.user("monitor") as monitor:
        before = last_seq(monitor)
        assert sdv.verify_items(monitor, site.ref("SCR", "DM"), ["RFICDAT"]) == ["RFICDAT"]
        events = events_after(monitor, before)
        state = sdv.form_sdv(monitor, site.ref("SCR", "DM"))
    assert [(e.action, e.item, e.old_value, e.new_value) for e in events] == [
        ("sdv_verified", "RFICDAT", "not_verified", "verified")]
    assert (events[0].subject, events[0].visit, events[0].form, events[0].username) == (
        site.subject, "SCR", "DM", "monitor")
    assert state.items["RFICDAT"] is SdvState.VERIFIED
    assert state.items["ICVER"] is SdvState.NOT_VERIFIED
    assert state.items["SEX"] is SdvState.NOT_REQUIRED  # targeted SDV: consent date and version only
    assert state.summary == SdvSummary(SdvState.NOT_VERIFIED, 1, 2, 0)


def test_verify_form_verifies_what_is_left_and_nothing_twice(site):
    with site.user("monitor") as monitor:
        sdv.verify_items(monitor, site.ref("SCR", "IE"), ["IEIN01"])
        before = last_seq(monitor)
        assert sdv.verify_form(monitor, site.ref("SCR", "IE")) == [c for c in IE_ALL if c != "IEIN01"]
        assert actions_after(monitor, before) == ["sdv_verified"] * (len(IE_ALL) - 1)
        before = last_seq(monitor)
        assert sdv.verify_form(monitor, site.ref("SCR", "IE")) == []
        assert actions_after(monitor, before) == []
        assert sdv.form_sdv(monitor, site.ref("SCR", "IE")).summary.state is SdvState.VERIFIED


def test_verify_visit_verifies_completed_forms_and_reports_the_rest(site):
    with site.user("nurse") as nurse:
        forms.save_form(nurse, site.ref("SCR", "CT"), {"IMMOD": "CT"})
    with site.user("monitor") as monitor:
        done = sdv.verify_visit(monitor, site.subject, "SCR")
    assert set(done.forms) == {"DM", "IE", "RAND"}
    assert done.items == 2 + len(IE_ALL) + 3
    assert done.not_complete == ("CT",)


@pytest.mark.req("P11.10g")
def test_only_a_monitor_verifies(site):
    with site.user("nurse") as nurse:
        before = last_seq(nurse)
        with pytest.raises(PermissionDenied):
            sdv.verify_form(nurse, site.ref("SCR", "DM"))
        assert last_seq(nurse) == before


def test_a_form_not_complete_cannot_be_verified(site):
    with site.user("nurse") as nurse:
        forms.save_form(nurse, site.ref("SCR", "VS"), {"TEMP": "37.2"})
    with site.user("monitor") as monitor:
        with pytest.raises(WrongState) as refused:
            sdv.verify_form(monitor, site.ref("SCR", "VS"))
        assert refused.value.code == "sdv-form-not-complete"
        assert "site must complete the form first" in refused.value.message
        with pytest.raises(NotFound):
            sdv.verify_form(monitor, site.ref("SCR", "LB"))


def test_items_the_plan_does_not_ask_for_are_refused(site):
    with site.user("monitor") as monitor, pytest.raises(InvalidInput) as refused:
        sdv.verify_items(monitor, site.ref("SCR", "DM"), ["RFICDAT", "SEX"])
    assert refused.value.code == "sdv-item-not-required"
    assert refused.value.params["items"] == "SEX"


def test_a_change_after_verification_marks_the_item_changed_and_reverifying_clears_it(site):
    with site.user("monitor") as monitor:
        sdv.verify_form(monitor, site.ref("SCR", "DM"))
    with site.user("nurse") as nurse:
        before = last_seq(nurse)
        forms.save_form(nurse, site.ref("SCR", "DM"), {"ICVER": "V1.1 2020-02-01"}, reason="typing error",
                        complete=True)
        changed = [e for e in events_after(nurse, before) if e.action == "sdv_changed"]
    assert [(e.item, e.old_value, e.new_value, e.reason) for e in changed] == [
        ("ICVER", "verified", "changed_since_verified", "value changed after verification")]
    with site.user("monitor") as monitor:
        state = sdv.form_sdv(monitor, site.ref("SCR", "DM"))
        assert (state.items["ICVER"], state.items["RFICDAT"]) == (SdvState.CHANGED, SdvState.VERIFIED)
        assert state.summary.state is SdvState.CHANGED
        assert sdv.verify_items(monitor, site.ref("SCR", "DM"), ["ICVER"]) == ["ICVER"]
        assert sdv.form_sdv(monitor, site.ref("SCR", "DM")).summary.state is SdvState.VERIFIED


def test_removing_a_verified_log_entry_marks_it_changed(site):
    with site.user("nurse") as nurse:
        repeat, _ = logs.add_log_entry(nurse, site.subject, "AE", AE_SEVERE, complete=True)
    with site.user("monitor") as monitor:
        sdv.verify_items(monitor, site.ref("", "AE", repeat=repeat), ["AETERM"])
    with site.user("nurse") as nurse:
        before = last_seq(nurse)
        logs.remove_log_entry(nurse, site.subject, "AE", repeat, "entered for the wrong subject")
        assert [e.item for e in events_after(nurse, before) if e.action == "sdv_changed"] == ["AETERM"]


def test_unverify_needs_a_reason_and_is_audited(site):
    with site.user("monitor") as monitor:
        sdv.verify_form(monitor, site.ref("SCR", "DM"))
        with pytest.raises(InvalidInput) as refused:
            sdv.unverify(monitor, site.ref("SCR", "DM"), ["ICVER"], "  ")
        assert refused.value.code == "sdv-unverify-reason-required"
        before = last_seq(monitor)
        sdv.unverify(monitor, site.ref("SCR", "DM"), ["ICVER"], "checked against the wrong consent form")
        [event] = events_after(monitor, before)
        assert (event.action, event.item, event.old_value, event.new_value, event.reason) == (
            "sdv_unverified", "ICVER", "verified", "not_verified", "checked against the wrong consent form")
        assert sdv.form_sdv(monitor, site.ref("SCR", "DM")).items["ICVER"] is SdvState.NOT_VERIFIED
        with pytest.raises(InvalidInput) as refused:
            sdv.unverify(monitor, site.ref("SCR", "DM"), ["ICVER"], "again")
        assert refused.value.code == "sdv-item-not-verified"
        assert sdv.verify_items(monitor, site.ref("SCR", "DM"), ["ICVER"]) == ["ICVER"]  # the kept row is reused


def test_when_condition_limits_adverse_event_sdv_to_serious_or_severe(study):
    required = sdv.required_items
    assert required(study, "", "AE", {"AESER": "N", "AETOXGR": 1}) == ()
    assert required(study, "", "AE", {"AESER": "Y", "AETOXGR": 1}) == tuple(i.code for i in study.form("AE").items)
    assert required(study, "", "AE", {"AESER": "N", "AETOXGR": 3})
    assert required(study, "", "AE", {}), "unknown counts as holding"
    assert required(study, "SCR", "CS", {}) == ()  # the default: nothing to verify


def test_roll_up_changed_wins_then_not_verified():
    verified, changed, open_ = (sdv.item_summary(SdvState.VERIFIED), sdv.item_summary(SdvState.CHANGED),
                                sdv.item_summary(SdvState.NOT_VERIFIED))
    assert roll_up([]) == sdv.NOT_REQUIRED
    assert roll_up([sdv.NOT_REQUIRED, verified]).state is SdvState.VERIFIED
    assert roll_up([verified, open_]) == SdvSummary(SdvState.NOT_VERIFIED, 1, 2, 0)
    assert roll_up([verified, open_, changed]) == SdvSummary(SdvState.CHANGED, 1, 3, 1)
    assert roll_up([roll_up([verified]), roll_up([verified, verified])]) == SdvSummary(SdvState.VERIFIED, 3, 3, 0)


def test_a_frozen_site_is_still_verified_a_locked_one_is_not(site):
    with site.user("admin") as admin:
        locks.freeze_site(admin, "final export coming")
    with site.user("monitor") as monitor:
        assert sdv.verify_items(monitor, site.ref("SCR", "DM"), ["ICVER"]) == ["ICVER"]
    with site.user("admin") as admin:
        locks.lock_site(admin, "final export done")
    with site.user("monitor") as monitor:
        with pytest.raises(WrongState) as refused:
            sdv.verify_items(monitor, site.ref("SCR", "DM"), ["RFICDAT"])
        assert refused.value.code == "site-locked"
        with pytest.raises(WrongState):
            sdv.unverify(monitor, site.ref("SCR", "DM"), ["ICVER"], "mistake")


def test_the_forms_mark_counts_follow_the_marks(site):
    """The SDV matrix sums the counts kept on the form rows: they must agree with the marks at every step."""
    from sqlalchemy import func, select

    from ecrf.store.models import FormInstance, SdvMark

    def counts(session):  # type: ignore[no-untyped-def]
        with session.database.read() as db:
            kept = {(f.id, "verified"): f.sdv_verified for f in db.scalars(select(FormInstance))}
            kept |= {(f.id, "changed_since_verified"): f.sdv_changed for f in db.scalars(select(FormInstance))}
            marked = dict.fromkeys(kept, 0)
            for form_pk, state, n in db.execute(select(SdvMark.form_pk, SdvMark.state, func.count())
                                                .group_by(SdvMark.form_pk, SdvMark.state)):
                if (form_pk, state) in marked:
                    marked[(form_pk, state)] = n
            return kept, marked

    with site.user("monitor") as monitor:
        sdv.verify_form(monitor, site.ref("SCR", "DM"))
        sdv.verify_items(monitor, site.ref("SCR", "IE"), ["IEIN01", "IEIN02"])
        sdv.unverify(monitor, site.ref("SCR", "IE"), ["IEIN02"], "wrong page")
    with site.user("nurse") as nurse:
        forms.save_form(nurse, site.ref("SCR", "DM"), {"ICVER": "V3"}, reason="typo", complete=True)
        kept, marked = counts(nurse)
    assert kept == marked
    assert sum(kept.values()) == 3
