"""What expressions may read about one subject beyond the form being edited.

The store (a later layer) fills a SubjectData from the database; tests and tools fill it by hand.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ecrf.study import clock
from ecrf.study.expr import ItemKey


@dataclass
class SubjectData:
    """Values of a subject's forms, keyed by (visit, form, timepoint); a log entry's visit is ''."""

    arm: str | None = None
    day0: date | None = None
    forms: dict[tuple[str, str, str], Mapping[str, Any]] = field(default_factory=dict)
    visit_dates: dict[str, date] = field(default_factory=dict)

    def put(self, visit: str, form: str, values: Mapping[str, Any], timepoint: str = "") -> None:
        self.forms[(visit, form, timepoint)] = values

    def value(self, visit: str, form: str, item: str, timepoint: str = "") -> Any:
        # Same timepoint first, then the untimed instance; a form asked for at several timepoints
        # read from an untimed form is ambiguous and stays unknown.
        values = self.forms.get((visit, form, timepoint))
        if values is None and timepoint:
            values = self.forms.get((visit, form, ""))
        return None if values is None else values.get(item)


@dataclass(frozen=True)
class Where:
    """The form instance being validated: which visit and timepoint, and what day it is."""

    visit: str = ""
    timepoint: str = ""
    today: date | None = None

    def context(self, subject: SubjectData | None) -> dict[str, Any]:
        today = self.today or clock.today()
        return {
            "arm": subject.arm if subject else None,
            "day0": subject.day0 if subject else None,
            "visit": self.visit or None,
            "visit_date": subject.visit_dates.get(self.visit) if subject and self.visit else None,
            "timepoint": self.timepoint or None,
            "today": today,
        }

    def lookup(self, subject: SubjectData | None) -> Callable[[ItemKey], Any] | None:
        """A function giving the value an ItemKey points at, from the current visit's point of view."""
        if subject is None:
            return None

        def lookup(key: ItemKey) -> Any:
            visit = key.visit if key.visit is not None else self.visit
            return subject.value(visit, key.form or "", key.item, self.timepoint)

        return lookup
