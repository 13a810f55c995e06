"""services.editing.open_form: what the form editor is given to show and to check live."""
from __future__ import annotations

from datetime import timedelta

import pytest
from subject_helpers import enrol, save_confirming, screen, subject_row

from ecrf.services import logs
from ecrf.services.editing import open_form
from ecrf.services.errors import NotFound
from ecrf.services.subject_data import FormRef
from ecrf.study import clock as app_clock
from ecrf.study.status import FormStatus
from ecrf.study.values import Missing

TODAY = app_clock.today()


def _d3(session) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    label = enrol(session, day0=TODAY - timedelta(days=3), consent=TODAY - timedelta(days=4))
    return label, subject_row(session, label).arm or ""


def test_a_form_not_saved_yet_is_empty_and_editable(nurse) -> None:  # type: ignore[no-untyped-def]
    label, _arm = _d3(nurse)
    state = open_form(nurse, FormRef(label, "D3", "LB"))
    assert not state.exists and state.status == FormStatus.NOT_STARTED and state.values == {}
    assert state.editable and state.why_not == ""
    assert state.where.visit == "D3" and state.where.today == TODAY
    assert state.subject.arm in ("MSC", "CTRL") and state.subject.day0 == TODAY - timedelta(days=3)


@pytest.mark.req("VAL-SOFT")
def test_stored_values_status_and_confirmations(nurse) -> None:  # type: ignore[no-untyped-def]
    label, _arm = _d3(nurse)
    ref = FormRef(label, "D3", "LB")
    save_confirming(nurse, ref, {"LBDAT": TODAY.isoformat(), "WBC": "45.00", "HGB": Missing("ND")})
    state = open_form(nurse, ref)
    assert state.exists and state.status == FormStatus.IN_PROGRESS
    assert str(state.values["WBC"]) == "45.00" and state.values["LBDAT"] == TODAY
    assert state.confirmed == {"WBC": frozenset({"WBC:outside-soft-range"})}
    assert state.all_confirmed() == {"WBC:outside-soft-range"}
    assert not state.completed and state.updated_by == "nurse"


def test_missing_codes_come_back_as_missing(nurse) -> None:  # type: ignore[no-untyped-def]
    label, _arm = _d3(nurse)
    ref = FormRef(label, "D3", "LB")
    save_confirming(nurse, ref, {"LBDAT": TODAY.isoformat(), "CD19": Missing("ND")})
    assert open_form(nurse, ref).values["CD19"] == Missing("ND")


def test_read_only_roles_are_told_why(sites) -> None:  # type: ignore[no-untyped-def]
    db_path, _code = sites.make()
    nurse = sites.login(db_path, "nurse")
    label, _arm = _d3(nurse)
    nurse.close()
    for user in ("monitor", "reader"):
        session = sites.login(db_path, user)
        try:
            state = open_form(session, FormRef(label, "D3", "LB"))
            assert not state.editable and "may not enter or change data" in state.why_not
        finally:
            session.close()


def test_a_form_of_the_other_arm_is_not_editable(nurse) -> None:  # type: ignore[no-untyped-def]
    label, arm = _d3(nurse)
    ref = FormRef(label, "D3", "EX") if arm == "CTRL" else FormRef(label, "D3", "VS")
    state = open_form(nurse, ref)
    assert not state.editable and "is not asked for" in state.why_not


def test_new_log_entry_needs_an_allocated_subject(nurse) -> None:  # type: ignore[no-untyped-def]
    label, _arm = _d3(nurse)
    new = open_form(nurse, FormRef(label, "", "AE", "", 0))
    assert new.is_new_log_entry and new.editable and not new.exists
    screened = screen(nurse)
    state = open_form(nurse, FormRef(screened, "", "AE", "", 0))
    assert not state.editable and "not allocated yet" in state.why_not


def test_a_removed_log_entry_is_read_only(nurse) -> None:  # type: ignore[no-untyped-def]
    label, _arm = _d3(nurse)
    repeat, _ = logs.add_log_entry(nurse, label, "AE", {"AETERM": "Headache"})
    logs.remove_log_entry(nurse, label, "AE", repeat, "entered for the wrong subject")
    state = open_form(nurse, FormRef(label, "", "AE", "", repeat))
    assert state.exists and not state.editable and "wrong subject" in state.why_not


def test_unknown_form_or_subject(nurse) -> None:  # type: ignore[no-untyped-def]
    label, _arm = _d3(nurse)
    with pytest.raises(NotFound):
        open_form(nurse, FormRef(label, "D3", "XX"))
    with pytest.raises(NotFound):
        open_form(nurse, FormRef("NOBODY", "D3", "LB"))


def test_live_checks_read_what_a_save_reads(nurse) -> None:  # type: ignore[no-untyped-def]
    """The editor is given the forms a save of this form reads (its expressions' forms and its own visit's), not
    the subject's whole record: the findings shown while typing are the ones the save gives."""
    label, arm = _d3(nurse)
    state = open_form(nurse, FormRef(label, "D3", "LB"))
    loaded = {(visit, form) for visit, form, _tp in state.subject.forms}
    assert ("SCR", "DM") in loaded  # LBDAT >= DM.RFICDAT
    assert ("SCR", "IE") not in loaded  # saved, but nothing on LB reads it
    assert state.subject.value("SCR", "DM", "RFICDAT") == TODAY - timedelta(days=4)
    study = nurse.study
    assert loaded <= {(v or "D3", f) for v, f in study.form("LB").forms_read} | {
        ("D3", vf.form) for vf in study.visit("D3").forms_for(arm)}
