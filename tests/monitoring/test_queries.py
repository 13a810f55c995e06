"""Queries by people: a monitor raises one on an item, a form or a visit; the site answers it (and may correct the
value in the same step, with a reason); the monitor closes, cancels or re-opens it. Every step is a message of the
thread and an audit event; refusals say who may (21 CFR 11.10(f), 11.10(g))."""
from __future__ import annotations

from dataclasses import replace

import pytest
from subject_helpers import events_after, last_seq, stored

from ecrf.services import queries
from ecrf.services.errors import InvalidInput, NotFound, PermissionDenied, ReasonRequired, WrongState
from ecrf.services.permissions import ALLOWED, Do
from ecrf.services.queries import QueryPlace
from ecrf.study.status import QueryOrigin, QueryState, ResponseCode, Scope
from tests.monitoring.query_helpers import vital_signs_site


@pytest.fixture
def site(sites, study):  # type: ignore[no-untyped-def]
    desk, ref = vital_signs_site(sites, study)
    yield desk, ref, desk.time
    desk.close()


def _raise(monitor, ref, text="Pulse 80 is not in the source (ECG shows 88).", item="PULSE"):  # type: ignore[no-untyped-def]
    return queries.raise_query(monitor, QueryPlace.on_item(ref, item), text)


@pytest.mark.req("P11.10f")
def test_a_monitor_raises_a_query_on_an_item(site):
    s, ref, _ = site
    before = last_seq(s("monitor"))
    qid = _raise(s("monitor"), ref)
    thread = queries.query_thread(s("monitor"), qid)
    assert thread.query.number == f"Q-{qid:04d}"
    assert thread.query.place == QueryPlace(ref.subject, Scope.ITEM, "D0", "VS", "", 0, "PULSE")
    assert (thread.query.state, thread.query.origin, thread.query.raised_by) == (QueryState.OPEN, QueryOrigin.MANUAL,
                                                                                   "monitor")
    assert [(m.kind, m.author, m.role) for m in thread.messages] == [("raised", "monitor", "monitor")]
    [event] = events_after(s("monitor"), before)
    assert (event.action, event.subject, event.visit, event.form, event.item, event.new_value) == (
        "query_raised", ref.subject, "D0", "VS", "PULSE", "open")
    assert event.reason.startswith(f"Q-{qid:04d}: Pulse 80")


def test_queries_on_a_form_and_a_visit(site):
    s, ref, _ = site
    on_form = queries.raise_query(s("monitor"), QueryPlace.on_form(ref), "Which device measured these?")
    on_visit = queries.raise_query(s("monitor"), QueryPlace.on_visit(ref.subject, "D3"), "Was the D3 visit done?")
    assert [t.query.id for t in queries.queries_at(s("nurse"), ref)] == [on_form]
    assert {v.id for v in queries.query_inbox(s("nurse"))} == {on_form, on_visit}


@pytest.mark.req("P11.10f")
def test_the_site_answers_and_corrects_the_value_with_a_reason(site):
    s, ref, _ = site
    qid = _raise(s("monitor"), ref)
    before = last_seq(s("nurse"))
    queries.answer_query(s("nurse"), qid, "Typed 80 for 88.", ResponseCode.TYPING_ERROR, values={"PULSE": "88"},
                         reason="corrected from the ECG printout")
    assert stored(s("nurse"), ref)["PULSE"] == 88
    events = events_after(s("nurse"), before)
    assert [e.action for e in events][:2] == ["query_answered", "value"]
    answered, value = events[0], events[1]
    assert (answered.old_value, answered.new_value, answered.username) == ("open", "answered", "nurse")
    assert (value.item, value.old_value, value.new_value, value.reason) == (
        "PULSE", "80", "88", "corrected from the ECG printout")
    thread = queries.query_thread(s("monitor"), qid)
    assert thread.query.state == QueryState.ANSWERED
    assert thread.messages[-1].response == ResponseCode.TYPING_ERROR
    assert thread.messages[-1].text == "Typed 80 for 88."


def test_a_correction_without_a_reason_is_refused_and_nothing_is_written(site):
    s, ref, _ = site
    qid = _raise(s("monitor"), ref)
    before = last_seq(s("nurse"))
    with pytest.raises(ReasonRequired) as refused:
        queries.answer_query(s("nurse"), qid, "Fixed.", ResponseCode.TYPING_ERROR, values={"PULSE": "88"})
    assert refused.value.code == "query-change-reason-required"
    assert "PULSE" in refused.value.message
    assert last_seq(s("nurse")) == before
    assert queries.query_thread(s("nurse"), qid).query.state == QueryState.OPEN
    assert stored(s("nurse"), ref)["PULSE"] == 80


@pytest.mark.req("P11.10g")
def test_only_the_site_answers_and_only_the_monitor_closes(site):
    s, ref, _ = site
    qid = _raise(s("monitor"), ref)
    with pytest.raises(PermissionDenied) as monitor_answering:
        queries.answer_query(s("monitor"), qid, "Answering my own query.", ResponseCode.OTHER)
    assert "investigator or study nurse" in monitor_answering.value.message
    queries.answer_query(s("nurse"), qid, "The source says 80.", ResponseCode.CONFIRMED_CORRECT)
    for site_user in ("nurse", "investigator"):
        before = last_seq(s(site_user))
        with pytest.raises(PermissionDenied) as closing:
            queries.close_query(s(site_user), qid, "Done.")
        assert "monitor" in closing.value.message
        assert last_seq(s(site_user)) == before
    queries.close_query(s("monitor"), qid, "Source checked again: 80 is right.")
    assert queries.query_thread(s("monitor"), qid).query.state == QueryState.CLOSED


def test_answering_a_closed_query_is_refused_with_what_to_do(site):
    s, ref, _ = site
    qid = _raise(s("monitor"), ref)
    queries.close_query(s("monitor"), qid, "Found it in the nurse's notes.")
    with pytest.raises(WrongState) as refused:
        queries.answer_query(s("nurse"), qid, "Late answer.", ResponseCode.OTHER)
    assert refused.value.code == "query-not-answerable"
    assert refused.value.message.startswith(f"Query Q-{qid:04d} is closed")
    assert "ask a monitor to re-open it" in refused.value.message
    assert "重新打开" in refused.value.text("zh")


def test_cancel_needs_a_reason_and_a_cancelled_query_stays(site):
    s, ref, _ = site
    qid = _raise(s("monitor"), ref)
    with pytest.raises(ReasonRequired):
        queries.cancel_query(s("monitor"), qid, "  ")
    before = last_seq(s("monitor"))
    queries.cancel_query(s("monitor"), qid, "Raised on the wrong subject.")
    [event] = events_after(s("monitor"), before)
    assert (event.action, event.old_value, event.new_value) == ("query_cancelled", "open", "cancelled")
    with pytest.raises(WrongState) as refused:
        queries.reopen_query(s("monitor"), qid, "Again.")
    assert refused.value.code == "query-wrong-state"
    assert "answered or closed" in refused.value.message
    assert [t.query.state for t in queries.queries_at(s("nurse"), ref)] == [QueryState.CANCELLED]


def test_reopen_from_answered_or_closed_then_answer_again(site):
    s, ref, _ = site
    qid = _raise(s("monitor"), ref)
    queries.answer_query(s("nurse"), qid, "Checked.", ResponseCode.CONFIRMED_CORRECT)
    queries.reopen_query(s("monitor"), qid, "The ECG printout says 88: please look again.")
    queries.answer_query(s("investigator"), qid, "Corrected.", ResponseCode.WRONG_SOURCE, values={"PULSE": "88"},
                         reason="ECG printout is the source")
    queries.close_query(s("monitor"), qid, "Thanks.")
    queries.reopen_query(s("monitor"), qid, "Reopened after the audit.")
    thread = queries.query_thread(s("monitor"), qid)
    assert [m.kind for m in thread.messages] == ["raised", "answered", "reopened", "answered", "closed", "reopened"]
    assert thread.query.state == QueryState.OPEN

@pytest.mark.parametrize("place, why", [
    (QueryPlace("X", Scope.ITEM, "D0", "VS", "", 0, "NOPE"), "has no item"),
    (QueryPlace("X", Scope.FORM, "D0", "DM"), "not asked at D0"),
    (QueryPlace("X", Scope.VISIT, "D99"), "no visit"),
    (QueryPlace("X", Scope.FORM, "", "VS", "", 1), "not a log form"),
])
def test_a_query_on_a_place_that_does_not_exist_is_refused(site, place, why):
    s, ref, _ = site
    with pytest.raises(InvalidInput) as refused:
        queries.raise_query(s("monitor"), replace(place, subject=ref.subject), "Why?")
    assert refused.value.code == "query-place-unknown"
    assert why in refused.value.message


def test_empty_text_and_unknown_numbers_are_refused(site):
    s, ref, _ = site
    with pytest.raises(InvalidInput, match="needs a text"):
        _raise(s("monitor"), ref, text="   ")
    with pytest.raises(NotFound, match="Q-0999"):
        queries.close_query(s("monitor"), 999, "Done.")


def test_the_inbox_filters_by_state_subject_form_and_age(site):
    s, ref, time = site
    old = _raise(s("monitor"), ref)
    time.move(days=10)
    new = queries.raise_query(s("monitor"), QueryPlace.on_visit(ref.subject, "D3"), "Was the D3 visit done?")
    queries.answer_query(s("nurse"), new, "Not yet due.", ResponseCode.OTHER)
    inbox = {v.id: v for v in queries.query_inbox(s("nurse"))}
    assert (inbox[old].age_days, inbox[new].age_days) == (10, 0)
    assert (inbox[new].last_kind, inbox[new].last_author, inbox[new].last_text) == ("answered", "nurse",
                                                                                     "Not yet due.")
    assert [v.id for v in queries.query_inbox(s("nurse"), state=QueryState.OPEN)] == [old]
    assert [v.id for v in queries.query_inbox(s("nurse"), form="VS")] == [old]
    assert [v.id for v in queries.query_inbox(s("nurse"), older_than_days=10)] == [old]
    assert [v.id for v in queries.query_inbox(s("nurse"), older_than_days=11)] == []
    assert {v.id for v in queries.query_inbox(s("nurse"), subject=ref.subject)} == {old, new}
    assert queries.query_inbox(s("nurse"), subject="CN01-999") == []


@pytest.mark.req("P11.10g")
def test_only_the_raisers_role_decides_even_with_the_permission(site, monkeypatch):
    """Closing, cancelling and re-opening belong to the role that raised the query (the eCRF's own: the monitor's),
    not to whoever holds the permission."""
    s, ref, _ = site
    qid = _raise(s("monitor"), ref)
    monkeypatch.setitem(ALLOWED, "investigator", ALLOWED["investigator"] | {Do.CLOSE_QUERY})
    investigator = s("investigator")
    before = last_seq(investigator)
    with pytest.raises(PermissionDenied) as refused:
        queries.close_query(investigator, qid, "Closing it myself.")
    assert refused.value.code == "query-raiser-only"
    assert refused.value.message == (f"Query Q-{qid:04d} was raised by a monitor; as an investigator you may not "
                                     "close it. Only a monitor may close it: ask them.")
    assert last_seq(investigator) == before


def test_cancelling_without_the_permission_says_who_may_before_asking_a_reason(site):
    s, ref, _ = site
    qid = _raise(s("monitor"), ref)
    with pytest.raises(PermissionDenied, match="monitor"):
        queries.cancel_query(s("nurse"), qid, "")
