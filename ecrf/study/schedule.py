"""The visit schedule of a subject: target dates and windows from Day 0, and each visit's status."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ecrf.study.model import Study, Visit


class VisitStatus(StrEnum):
    NOT_SCHEDULED = "not_scheduled"  # Day 0 is not known yet
    UPCOMING = "upcoming"  # the window has not opened
    DUE = "due"  # today is inside the window
    OVERDUE = "overdue"  # the window has closed and the visit has not happened
    DONE = "done"  # happened inside the window
    OUT_OF_WINDOW = "out_of_window"  # happened, outside the window
    CANCELLED = "cancelled"  # the subject's participation ended before the window opened


@dataclass(frozen=True)
class ScheduledVisit:
    visit: Visit
    target: date | None
    earliest: date | None
    latest: date | None
    actual: date | None
    status: VisitStatus

    @property
    def code(self) -> str:
        return self.visit.code

    @property
    def days_off(self) -> int | None:
        """How many days the actual date lies outside the window (negative: early)."""
        if self.actual is None or self.earliest is None or self.latest is None:
            return None
        if self.actual < self.earliest:
            return (self.actual - self.earliest).days
        if self.actual > self.latest:
            return (self.actual - self.latest).days
        return 0


def window_of(visit: Visit, day0: date) -> tuple[date, date, date]:
    """(target, earliest, latest) of a visit for a subject whose Day 0 is `day0`."""
    target = day0 + timedelta(days=visit.day)
    return target, target - timedelta(days=visit.window_before), target + timedelta(days=visit.window_after)


def visit_status(visit: Visit, day0: date | None, actual: date | None, on: date,
                 ended_on: date | None = None) -> ScheduledVisit:
    """Where `visit` stands on date `on`, for a subject with Day 0 `day0` (None: not allocated yet)."""
    if day0 is None:
        if actual is not None:
            status = VisitStatus.DONE if visit.before_day0 else VisitStatus.OUT_OF_WINDOW
        else:
            status = VisitStatus.DUE if visit.before_day0 else VisitStatus.NOT_SCHEDULED
        return ScheduledVisit(visit, None, None, None, actual, status)
    target, earliest, latest = window_of(visit, day0)
    if actual is not None:
        status = VisitStatus.DONE if earliest <= actual <= latest else VisitStatus.OUT_OF_WINDOW
    elif ended_on is not None and ended_on < earliest:
        status = VisitStatus.CANCELLED
    elif on < earliest:
        status = VisitStatus.UPCOMING
    elif on <= latest:
        status = VisitStatus.DUE
    else:
        status = VisitStatus.OVERDUE
    return ScheduledVisit(visit, target, earliest, latest, actual, status)


def subject_schedule(study: Study, day0: date | None, on: date, actual: Mapping[str, date] | None = None,
                     ended_on: date | None = None) -> list[ScheduledVisit]:
    """Every visit of the study for one subject, in order, with its status on date `on`.

    `ended_on`: the date death or withdrawal ended the subject's participation; visits whose window
    opens after it are cancelled, those already done keep their status.
    """
    actual = actual or {}
    return [visit_status(v, day0, actual.get(v.code), on, ended_on) for v in study.visits]
