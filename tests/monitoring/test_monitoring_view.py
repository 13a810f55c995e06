"""The monitoring read model: per form, visit and subject, the SDV state with "n of m verified", open or answered
queries, signature and lock, the same for the subject page (`form_states`), the form editor (`form_monitoring`,
one form read alone, with each item's verification) and the matrices (`matrix_states`)."""
from __future__ import annotations

import pytest

from ecrf.services import forms, locks, monitoring_view, sdv
from ecrf.services.form_monitoring import form_monitoring
from ecrf.services.sdv import SdvSummary
from ecrf.services.subject_data import FormRef
from ecrf.study.status import Scope, SdvState, SignatureState
from tests.monitoring.helpers import add_query, add_signature, site_with_subject

pytestmark = pytest.mark.req("SDV")


@pytest.fixture
def site(sites):  # type: ignore[no-untyped-def]
    return site_with_subject(sites)


def _each_form_alone(session, subject: str, view: monitoring_view.SubjectMonitoring) -> dict:  # type: ignore[no-untyped-def]
    """What the form editor's `form_monitoring` says of every form `form_states` knows, read one form at a time,
    with the same item states as `sdv.form_sdv`."""
    alone = {}
    for key in view.forms:
        editor = form_monitoring(session, FormRef(subject, *key))
        assert editor.sdv == sdv.form_sdv(session, FormRef(subject, *key)), key
        alone[key] = editor.state
    return alone


def test_states_per_form_visit_and_subject(site):
    with site.user("monitor") as monitor:
        sdv.verify_form(monitor, site.ref("SCR", "DM"))
        sdv.verify_items(monitor, site.ref("SCR", "IE"), ["IEIN01"])
        add_query(monitor, site.ref("SCR", "IE"), item="IEIN02")
        add_query(monitor, site.ref("SCR", "IE"), state="closed")
        add_signature(monitor, site.subject, "form", "SCR", "RAND")
    with site.user("investigator") as investigator:
        locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
        view = monitoring_view.form_states(investigator, site.subject)
        matrix = monitoring_view.matrix_states(investigator)
        alone = _each_form_alone(investigator, site.subject, view)
        editor_never_saved = form_monitoring(investigator, site.ref("D3", "VS"))
    assert alone == view.forms and editor_never_saved.state is None
    assert editor_never_saved.sdv.summary == sdv.NOT_REQUIRED and not editor_never_saved.sdv.complete
    dm, ie, rand = (view.forms[("SCR", code, "", 0)] for code in ("DM", "IE", "RAND"))
    assert (dm.sdv, dm.locked, dm.queries, dm.complete) == (SdvSummary(SdvState.VERIFIED, 2, 2, 0), True, 0, True)
    assert (ie.sdv.state, ie.sdv.verified, ie.queries, ie.locked) == (SdvState.NOT_VERIFIED, 1, 1, False)
    assert (rand.signature, dm.signature) == (SignatureState.VALID, None)
    scr = view.visits["SCR"]
    assert (scr.sdv.verified, scr.sdv.required, scr.queries, scr.locked, scr.signature) == (
        3, 2 + 9 + 3, 1, False, None)
    assert view.subject.sdv == scr.sdv
    assert matrix[(site.subject, "SCR")] == scr
    assert monitoring_view.subject_totals(matrix)[site.subject].sdv == scr.sdv


def test_a_change_shows_as_changed_and_a_broken_signature_as_broken(site):
    with site.user("monitor") as monitor:
        sdv.verify_form(monitor, site.ref("SCR", "DM"))
        add_signature(monitor, site.subject, "subject")
    with site.user("nurse") as nurse:
        forms.save_form(nurse, site.ref("SCR", "DM"), {"ICVER": "V2"}, reason="typo", complete=True)
        view = monitoring_view.form_states(nurse, site.subject)
        assert _each_form_alone(nurse, site.subject, view) == view.forms
    dm = view.forms[("SCR", "DM", "", 0)]
    assert dm.sdv == SdvSummary(SdvState.CHANGED, 1, 2, 1)
    assert (dm.signature, view.visits["SCR"].signature, view.subject.signature) == (SignatureState.BROKEN,) * 3
    assert view.visits["SCR"].sdv.state is SdvState.CHANGED


def test_the_matrix_and_the_subject_view_agree_on_conditional_adverse_event_sdv(site):
    from ecrf.services import logs
    from tests.monitoring.test_sdv import AE_SEVERE

    with site.user("nurse") as nurse:
        logs.add_log_entry(nurse, site.subject, "AE", AE_SEVERE, complete=True)  # grade 3: to verify
        logs.add_log_entry(nurse, site.subject, "AE", {**AE_SEVERE, "AETOXGR": "1"}, complete=True)  # not
    with site.user("monitor") as monitor:
        sdv.verify_items(monitor, site.ref("", "AE", repeat=1), ["AETERM", "AESTDAT"])
        view = monitoring_view.form_states(monitor, site.subject)
        matrix = monitoring_view.matrix_states(monitor)
        alone = _each_form_alone(monitor, site.subject, view)
    assert alone == view.forms  # the `when` of the AE rule read from the one form's values
    assert alone[("", "AE", "", 1)].sdv.required > 0 and view.forms[("", "AE", "", 2)].sdv == sdv.NOT_REQUIRED
    logs_state = view.visits[""]
    assert (logs_state.sdv.verified, logs_state.sdv.state) == (2, SdvState.NOT_VERIFIED)
    assert matrix[(site.subject, "")] == logs_state
    assert matrix[(site.subject, "SCR")] == view.visits["SCR"]


def test_a_query_on_a_visit_whose_forms_were_never_started_shows_on_that_visit(site):
    from ecrf.services import queries
    from ecrf.services.queries import QueryPlace

    with site.user("monitor") as monitor:
        queries.raise_query(monitor, QueryPlace.on_visit(site.subject, "D3"), "Was the D3 visit done?")
        closed = queries.raise_query(monitor, QueryPlace.on_visit(site.subject, "D6"), "Was the D6 visit done?")
        queries.close_query(monitor, closed, "Raised too early.")
        view = monitoring_view.form_states(monitor, site.subject)
        matrix = monitoring_view.matrix_states(monitor)
    assert not any(key[0] == "D3" for key in view.forms)  # nothing entered at D3
    d3 = view.visits["D3"]
    assert (d3.queries, d3.sdv, d3.complete, d3.locked) == (1, sdv.NOT_REQUIRED, False, False)
    assert matrix[(site.subject, "D3")] == d3
    assert "D6" not in view.visits and (site.subject, "D6") not in matrix  # a closed query asks for nothing
    assert view.subject.queries == 1
