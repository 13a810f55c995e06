"""Queries the eCRF raises by itself (monitoring plan: confirmed warnings on VS, LB, AE; required data missing 7 days
after the visit window closed): once per check and place, closing themselves when the data are put right, and
re-opening when the site said "fixed" but the check still fails."""
from __future__ import annotations

from datetime import timedelta

import pytest
from subject_helpers import events_after, last_seq, save_confirming

from ecrf.services import auto_queries, queries
from ecrf.services.forms import save_form
from ecrf.services.queries import QueryView
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study import clock as app_clock
from ecrf.study.status import QueryOrigin, QueryState, ResponseCode, Scope
from tests.monitoring.query_helpers import vital_signs_site

pytestmark = pytest.mark.req("P11.10f")


@pytest.fixture
def site(sites, study):  # type: ignore[no-untyped-def]
    desk, ref = vital_signs_site(sites, study)
    yield desk, ref
    desk.close()


def _auto(session: SiteSession) -> list[QueryView]:
    return [v for v in queries.query_inbox(session) if v.origin == QueryOrigin.AUTO]


def _fever(session: SiteSession, ref: FormRef, temp: str = "41.5") -> None:
    save_confirming(session, ref, {"TEMP": temp})


def test_a_confirmed_warning_raises_one_query_on_its_item(site):
    desk, ref = site
    nurse = desk("nurse")
    before = last_seq(nurse)
    _fever(nurse, ref)
    [query] = _auto(nurse)
    assert (query.place.scope, query.place.item, query.state) == (Scope.ITEM, "TEMP", QueryState.OPEN)
    assert query.check_key.startswith("TEMP:")
    assert (query.raised_by, query.last_author) == ("ecrf", "ecrf")
    assert "A warning was confirmed at entry" in query.last_text and "录入时确认了警告" in query.last_text
    assert "query_raised" in [e.action for e in events_after(nurse, before)]
    # Saving other items, or the same warning confirmed again on a new value, raises no second query.
    save_form(nurse, ref, {"PULSE": "82"})
    _fever(nurse, ref, "41.8")
    assert [v.id for v in _auto(nurse)] == [query.id]


def test_forms_not_in_the_plan_raise_no_query(site, study):
    desk, ref = site
    assert "DM" not in study.monitoring.auto_queries.confirmed_warnings
    _fever(desk("nurse"), ref)
    assert len(_auto(desk("nurse"))) == 1  # VS is listed; the plan is what decides


def test_a_new_value_that_clears_the_check_closes_the_query(site):
    desk, ref = site
    nurse = desk("nurse")
    _fever(nurse, ref)
    save_form(nurse, ref, {"TEMP": "38.2"})
    [query] = _auto(nurse)
    assert (query.state, query.last_kind, query.last_author) == (QueryState.CLOSED, "closed", "ecrf")
    thread = queries.query_thread(nurse, query.id)
    assert [(m.kind, m.author) for m in thread.messages] == [("raised", "ecrf"), ("closed", "ecrf")]


def test_an_answer_with_a_clearing_correction_closes_it_in_the_same_step(site):
    desk, ref = site
    _fever(desk("nurse"), ref)
    [query] = _auto(desk("nurse"))
    queries.answer_query(desk("nurse"), query.id, "Typed 41.5 for 37.5.", ResponseCode.TYPING_ERROR,
                         values={"TEMP": "37.5"}, reason="typing error")
    thread = queries.query_thread(desk("nurse"), query.id)
    assert [m.kind for m in thread.messages] == ["raised", "answered", "closed"]
    assert thread.query.state == QueryState.CLOSED


def test_said_fixed_but_still_failing_reopens(site):
    desk, ref = site
    nurse = desk("nurse")
    _fever(nurse, ref)
    [query] = _auto(nurse)
    key = query.check_key
    queries.answer_query(nurse, query.id, "Corrected.", ResponseCode.TYPING_ERROR, values={"TEMP": "41.2"},
                         reason="re-measured", confirm={key})
    thread = queries.query_thread(nurse, query.id)
    assert [(m.kind, m.author) for m in thread.messages] == [
        ("raised", "ecrf"), ("answered", "nurse"), ("reopened", "ecrf")]
    assert thread.query.state == QueryState.OPEN
    assert len(_auto(nurse)) == 1


def test_said_fixed_without_changing_anything_reopens_at_once(site):
    desk, ref = site
    nurse = desk("nurse")
    _fever(nurse, ref)
    [query] = _auto(nurse)
    queries.answer_query(nurse, query.id, "Corrected in the form.", ResponseCode.TYPING_ERROR)
    thread = queries.query_thread(nurse, query.id)
    assert [(m.kind, m.author) for m in thread.messages] == [
        ("raised", "ecrf"), ("answered", "nurse"), ("reopened", "ecrf")]
    assert thread.query.state == QueryState.OPEN and "nothing was changed" in thread.messages[-1].text
    # Fixed in the form first, then answered: the save closed it already; nothing re-opens a closed query.
    save_form(nurse, ref, {"TEMP": "37.5"})
    assert queries.query_thread(nurse, query.id).query.state == QueryState.CLOSED


def test_confirmed_correct_waits_for_the_monitor(site):
    desk, ref = site
    _fever(desk("nurse"), ref)
    [query] = _auto(desk("nurse"))
    queries.answer_query(desk("nurse"), query.id, "The patient had a fever: 41.5 is right.",
                         ResponseCode.CONFIRMED_CORRECT)
    save_form(desk("nurse"), ref, {"PULSE": "90"})
    assert queries.query_thread(desk("nurse"), query.id).query.state == QueryState.ANSWERED
    queries.close_query(desk("monitor"), query.id, "Agreed: fever documented.")
    # A carried confirmation is not queried again once the monitor closed the query.
    save_form(desk("nurse"), ref, {"PULSE": "91"})
    assert [v.state for v in _auto(desk("nurse"))] == [QueryState.CLOSED]


# -- overdue required data ----------------------------------------------------------------------------------

@pytest.fixture
def late_site(sites, study):  # type: ignore[no-untyped-def]
    """Day 0 twenty days ago, nothing of the treatment visits entered."""
    desk, ref = vital_signs_site(sites, study, day0_days_ago=20)
    yield desk, ref
    desk.close()


def test_overdue_required_data_raise_one_query_per_visit_and_form(late_site):
    desk, ref = late_site
    nurse = desk("nurse")
    today = app_clock.today()
    raised = auto_queries.raise_overdue(nurse, today)
    places = {(v.place.scope, v.place.visit, v.place.form) for v in _auto(nurse)}
    # Windows that closed more than 7 days ago: screening, D0, D3 (closed day 4) and D6 (closed day 7); not D14.
    assert {(Scope.VISIT, visit, "") for visit in ("SCR", "D0", "D3", "D6")} == places
    assert raised == 4
    assert auto_queries.raise_overdue(nurse, today) == 0  # once per place
    assert "Forms not started 7 days after" in _auto(nurse)[-1].last_text
    # Once every form of D0 is started the visit's query closes; what is still empty is asked on each form.
    day0 = (today - timedelta(days=20)).isoformat()
    save_form(nurse, ref, {"VSDAT": day0, "PULSE": "80"})
    assert {v.place.visit: v for v in _auto(nurse)}["D0"].state == QueryState.OPEN  # AECHK and CS not started
    save_form(nurse, FormRef(ref.subject, "D0", "AECHK"), {"AEYN": "N"}, complete=True)
    save_form(nurse, FormRef(ref.subject, "D0", "CS"), {"CSDAT": day0})
    assert {v.place.visit: v for v in _auto(nurse)}["D0"].state == QueryState.CLOSED
    assert auto_queries.raise_overdue(nurse, today) == 2  # D0 VS and D0 CS
    [on_form] = [v for v in _auto(nurse) if v.place.form == "VS" and v.state == QueryState.OPEN]
    assert "Required items still empty" in on_form.last_text and "TEMP" in on_form.last_text
    save_confirming(nurse, ref, {"VSTIM": "08:00", "TEMP": "37.0", "RESP": "16", "SYSBP": "120", "DIABP": "80",
                                 "OXYSAT": "97", "O2SUP": "RA"}, complete=True)
    assert queries.query_thread(nurse, on_form.id).query.state == QueryState.CLOSED


def test_an_overdue_query_the_monitor_closed_is_not_raised_again(late_site):
    desk, _ = late_site
    today = app_clock.today()
    auto_queries.raise_overdue(desk("nurse"), today)
    d3 = next(v for v in _auto(desk("nurse")) if v.place.visit == "D3")
    queries.close_query(desk("monitor"), d3.id, "Visit missed: the subject was transferred; documented.")
    assert auto_queries.raise_overdue(desk("nurse"), today) == 0  # once per check and place, ever
    assert [v.state for v in _auto(desk("nurse")) if v.place.visit == "D3"] == [QueryState.CLOSED]


def test_overdue_is_nothing_for_a_read_only_user(late_site):
    desk, _ = late_site
    reader = desk("reader")
    before = last_seq(reader)
    assert auto_queries.raise_overdue(reader, app_clock.today()) == 0
    assert last_seq(reader) == before


@pytest.mark.req("P11.10g")
def test_no_person_may_take_the_name_the_automatic_steps_are_recorded_under(site):
    from ecrf.services.errors import InvalidInput
    from ecrf.services.users import add_user

    desk, _ = site
    admin = desk("admin")
    with pytest.raises(InvalidInput) as refused:
        add_user(admin, "ecrf", "Someone", "nurse", password="someone-password-1")
    assert refused.value.code == "username-reserved"
