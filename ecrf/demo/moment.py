"""The moment values are made for: one visit (and timepoint) of one subject, or one of its log entries."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ecrf.demo.plan import Plan
from ecrf.study.model import Visit


@dataclass
class Moment:
    """When values are made: a visit (and timepoint) of one subject, or one of its log entries."""

    plan: Plan
    visit: str  # "" for a log entry
    on: date  # the visit's date, or the entry's start
    day: int  # study day, for courses
    today: date
    timepoint: str = ""
    key: str = ""  # what makes the seed unique (visit:timepoint, or the entry)
    end: date | None = None  # a log entry's end
    specs: Mapping[str, Any] = field(default_factory=dict)  # a log entry's own value specs
    partial_start: bool = False  # a log entry whose start is known to the month only
    cache: dict[tuple[str, str], Any] = field(default_factory=dict)


def study_day(visit: Visit, plan: Plan, on: date) -> int:
    """The day used by courses: days since Day 0, or just before it at screening."""
    if visit.before_day0 or plan.day0 is None:
        return -1
    return (on - plan.day0).days
