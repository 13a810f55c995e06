"""The batch services (`save_forms`, `add_log_entries`, `sdv.verify_visits`, `subjects.allocate_all`,
`subjects.screen_subjects`): one transaction and one seal for many steps, each step checked and audited exactly as
its one-at-a-time service does it. A batch reads a subject's locks, signatures and automatic queries once
(`SubjectRecords`); these tests hold it to the real checks: a lock still refuses, each covering signature still
breaks once, an automatic query raised earlier in the batch is still seen."""
from __future__ import annotations

import pytest
from subject_helpers import (
    IE_ELIGIBLE,
    actions_after,
    dm_values,
    enrol,
    events_after,
    head,
    instance_of,
    screen,
    seal_count,
    stored,
    subject_row,
)

from ecrf.services import forms, locks, sdv, subjects
from ecrf.services.errors import InvalidInput, NotFound, WrongState
from ecrf.services.form_batch import FormSave, save_forms
from ecrf.services.logs import LogEntrySave, add_log_entries
from ecrf.services.subject_data import FormRef
from ecrf.study import clock as app_clock
from ecrf.study.status import Scope
from tests.monitoring.helpers import add_signature, signature_states, site_with_subject
from tests.monitoring.query_helpers import vital_signs_site

WEIGHT_FIXED = "Transcription error, corrected from the source"


def _weights(label: str, *weights: str) -> list[FormSave]:
    return [FormSave(FormRef(label, "SCR", "DM"), {"WEIGHT": w}, reason=WEIGHT_FIXED) for w in weights]


@pytest.mark.req("P11.10e")
def test_a_batch_into_a_locked_form_is_refused_and_stores_nothing(sites):
    site = site_with_subject(sites)
    with site.user("monitor") as monitor:
        sdv.verify_form(monitor, site.ref("SCR", "DM"))
    with site.user("investigator") as investigator:
        locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
    with site.user("nurse") as nurse:
        start, sealed = head(nurse), seal_count(nurse)
        vitals = FormSave(site.ref("SCR", "VS"), {"PULSE": "80"})
        with pytest.raises(WrongState) as refused:
            save_forms(nurse, [vitals, *_weights(site.subject, "70.0")])
        assert refused.value.code == "form-locked" and refused.value.params["ref"] == site.ref("SCR", "DM")
        assert (head(nurse), seal_count(nurse)) == (start, sealed)
        assert instance_of(nurse, vitals.ref) is None  # saved before the refusal, rolled back with it


@pytest.mark.req("P11.10e")
def test_a_batch_breaks_each_covering_signature_once_as_saves_one_by_one_do(sites):
    site = site_with_subject(sites)
    with site.user("investigator") as investigator:
        other = screen(investigator)  # the same forms, saved one by one below
        for label in (site.subject, other):
            add_signature(investigator, label, Scope.SUBJECT)
            add_signature(investigator, label, Scope.FORM, visit="SCR", form="DM")
    with site.user("nurse") as nurse:
        start = head(nurse)
        for save in _weights(other, "70.0", "71.0"):
            forms.save_form(nurse, save.ref, save.values, reason=save.reason)
        one_by_one = actions_after(nurse, start)
        start = head(nurse)
        save_forms(nurse, _weights(site.subject, "70.0", "71.0"))
        assert actions_after(nurse, start) == one_by_one
        assert one_by_one.count("signature_broken") == 2  # the casebook's and the form's, each once
        assert {state for state, _ in signature_states(nurse).values()} == {"broken"}
        # The second save of one form in the batch reads its rows again (the first added and changed them).
        assert stored(nurse, FormRef(site.subject, "SCR", "DM")) == stored(nurse, FormRef(other, "SCR", "DM"))


@pytest.mark.req("P11.10f")
def test_a_batch_sees_the_automatic_query_an_earlier_save_of_it_raised(sites, study):
    desk, ref = vital_signs_site(sites, study)
    nurse = desk("nurse")
    fever, higher, normal = ({"TEMP": t} for t in ("41.5", "41.8", "37.0"))
    start = head(nurse)
    save_forms(nurse, [FormSave(ref, fever, confirm_warnings=True), FormSave(ref, higher, confirm_warnings=True),
                       FormSave(ref, normal)])
    actions = actions_after(nurse, start)
    # One query for the warning confirmed twice, closed by the value that clears it, all in one transaction.
    assert (actions.count("query_raised"), actions.count("query_closed")) == (1, 1)
    desk.close()


@pytest.mark.req("P11.10e")
def test_a_form_saved_twice_in_a_batch_reads_the_rows_its_first_save_added(sites, study):
    desk, ref = vital_signs_site(sites, study)  # VS saved before, without a respiratory rate
    nurse = desk("nurse")
    start = head(nurse)
    save_forms(nurse, [FormSave(ref, {"RESP": "16"}), FormSave(ref, {"RESP": "18"})])
    changes = [(e.old_value, e.new_value) for e in events_after(nurse, start) if e.item == "RESP"]
    assert changes == [(None, "16"), ("16", "18")] and str(stored(nurse, ref)["RESP"]) == "18"
    desk.close()


@pytest.mark.req("P11.10e")
def test_log_entries_in_a_batch_get_consecutive_repeats(sites):
    site = site_with_subject(sites)
    with site.user("nurse") as nurse:
        added = add_log_entries(nurse, [LogEntrySave(site.subject, "AE", {"AETERM": term}) for term in
                                        ("Headache", "Nausea", "Rash")])
        assert [repeat for repeat, _ in added] == [1, 2, 3]
        assert stored(nurse, FormRef(site.subject, "", "AE", "", 3))["AETERM"] == "Rash"


@pytest.mark.req("P11.10e")
def test_visits_verified_in_one_transaction_as_one_by_one_refusals_in_place(sites):
    site = site_with_subject(sites)
    with site.user("investigator") as investigator:
        other = enrol(investigator)  # the same forms, verified one visit at a time below
    with site.user("monitor") as monitor:
        start = head(monitor)
        sdv.verify_visit(monitor, other, "SCR")
        one_by_one = actions_after(monitor, start)
        start, sealed = head(monitor), seal_count(monitor)
        no_visit, done, nobody = sdv.verify_visits(monitor, [(site.subject, "NOPE"), (site.subject, "SCR"),
                                                             ("NOBODY-S999", "SCR")])
        assert isinstance(done, sdv.VisitVerified) and done.items > 0
        assert isinstance(no_visit, InvalidInput) and no_visit.code == "visit-unknown"
        assert isinstance(nobody, NotFound)
        assert actions_after(monitor, start) == one_by_one and one_by_one.count("sdv_verified") == done.items
        assert seal_count(monitor) == sealed + 1


@pytest.mark.req("P11.10e")
def test_subjects_screened_and_allocated_in_one_transaction_each(sites):
    db, _ = sites.make()
    investigator = sites.login(db, "investigator")
    try:
        sealed = seal_count(investigator)
        first, second = subjects.screen_subjects(investigator, 2)
        assert (first[-3:], second[-3:]) == ("001", "002") and seal_count(investigator) == sealed + 1
        for label, ie in ((first, IE_ELIGIBLE), (second, {**IE_ELIGIBLE, "IEEX02": "Y"})):
            forms.save_form(investigator, FormRef(label, "SCR", "DM"), dm_values(), complete=True)
            forms.save_form(investigator, FormRef(label, "SCR", "IE"), ie, complete=True)
        sealed, start = seal_count(investigator), head(investigator)
        allocated, refused = subjects.allocate_all(investigator, [(first, app_clock.today()), (second, None)])
        assert isinstance(allocated, subjects.Allocation) and allocated.rand_no
        assert isinstance(refused, WrongState) and refused.code == "subject-not-eligible"
        assert actions_after(investigator, start).count("allocated") == 1 and seal_count(investigator) == sealed + 1
        assert subject_row(investigator, second).status == "screening"  # refused before anything was written
    finally:
        investigator.close()


def test_the_demo_allocates_one_by_one_when_the_batch_is_refused_as_a_whole(sites, monkeypatch):
    """The demo allocates everyone in one transaction; a batch refused as a whole (one subject's allocation
    form refused by the study's checks) is taken back, and the demo allocates one by one instead."""
    from types import SimpleNamespace

    from ecrf.demo import writer

    db, _ = sites.make()
    investigator = sites.login(db, "investigator")
    try:
        labels = subjects.screen_subjects(investigator, 2)
        for label in labels:
            forms.save_form(investigator, FormRef(label, "SCR", "DM"), dm_values(), complete=True)
            forms.save_form(investigator, FormRef(label, "SCR", "IE"), IE_ELIGIBLE, complete=True)

        def refused(*_args: object) -> None:
            raise InvalidInput("form-refused")

        monkeypatch.setattr(writer, "allocate_all", refused)
        plans = [SimpleNamespace(label=label, day0=app_clock.today()) for label in labels]
        outcomes = writer._allocations(investigator, plans)  # type: ignore[arg-type]  # a plan as the writer reads it
        assert all(isinstance(o, subjects.Allocation) for o in outcomes) and len(outcomes) == 2
        assert {subject_row(investigator, label).status for label in labels} == {"enrolled"}
    finally:
        investigator.close()
