"""The visit schedule: target dates and windows from Day 0, status on a given date."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from ecrf.study.schedule import VisitStatus as S
from ecrf.study.schedule import subject_schedule, visit_status, window_of

pytestmark = pytest.mark.req("SCHED-WINDOW")
DAY0 = date(2020, 2, 1)


def status(study, visit: str, on: date, actual: date | None = None, ended: date | None = None) -> S:
    return visit_status(study.visit(visit), DAY0, actual, on, ended).status


def test_the_trial_has_eight_visits_in_order(study):
    assert [v.code for v in study.visits] == ["SCR", "D0", "D3", "D6", "D14", "D28", "D90", "D180"]
    assert [v.day for v in study.visits] == [0, 0, 3, 6, 14, 28, 90, 180]


@pytest.mark.parametrize("visit, target, earliest, latest", [
    ("SCR", "2020-02-01", "2020-01-29", "2020-02-01"),
    ("D0", "2020-02-01", "2020-02-01", "2020-02-01"),
    ("D3", "2020-02-04", "2020-02-03", "2020-02-05"),
    ("D28", "2020-02-29", "2020-02-26", "2020-03-03"),
    ("D180", "2020-07-30", "2020-07-16", "2020-08-13"),
])
def test_target_and_window(study, visit, target, earliest, latest):
    assert window_of(study.visit(visit), DAY0) == tuple(date.fromisoformat(d) for d in (target, earliest, latest))


def test_status_over_time_for_d3(study):
    assert status(study, "D3", date(2020, 2, 2)) is S.UPCOMING
    assert status(study, "D3", date(2020, 2, 3)) is S.DUE
    assert status(study, "D3", date(2020, 2, 5)) is S.DUE
    assert status(study, "D3", date(2020, 2, 6)) is S.OVERDUE


def test_done_inside_and_outside_the_window(study):
    assert status(study, "D3", date(2020, 3, 1), actual=date(2020, 2, 5)) is S.DONE
    late = visit_status(study.visit("D3"), DAY0, date(2020, 2, 7), date(2020, 3, 1))
    assert late.status is S.OUT_OF_WINDOW and late.days_off == 2
    early = visit_status(study.visit("D14"), DAY0, date(2020, 2, 10), date(2020, 3, 1))
    assert early.status is S.OUT_OF_WINDOW and early.days_off == -3


def test_before_allocation_only_screening_is_due(study):
    schedule = subject_schedule(study, None, date(2020, 1, 30))
    assert [v.status for v in schedule] == [S.DUE] + [S.NOT_SCHEDULED] * 7
    assert schedule[0].target is None


def test_death_or_withdrawal_cancels_later_visits(study):
    on = date(2020, 9, 1)
    actual = {"SCR": date(2020, 1, 31), "D0": DAY0, "D3": date(2020, 2, 4)}
    schedule = {v.code: v.status for v in subject_schedule(study, DAY0, on, actual, ended_on=date(2020, 2, 10))}
    assert schedule == {"SCR": S.DONE, "D0": S.DONE, "D3": S.DONE, "D6": S.OVERDUE, "D14": S.CANCELLED,
                        "D28": S.CANCELLED, "D90": S.CANCELLED, "D180": S.CANCELLED}


def test_every_visit_overdue_long_after_the_end(study):
    later = DAY0 + timedelta(days=400)
    assert {v.status for v in subject_schedule(study, DAY0, later)} == {S.OVERDUE}
