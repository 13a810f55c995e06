"""The plan of the demo's subjects: who they are, what becomes of them (their fate) and when.

Pure: dates and choices only, from fixed seeds, so the same number of subjects and the same `today`
give the same plan. What happens at each visit is decided by values.py from the definition and the
scenario; events.py places the scenario's named events.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from random import Random

from ecrf.demo.scenario import Scenario
from ecrf.study.model import Study, Visit
from ecrf.study.schedule import window_of

SEED = 20200127  # the first study's start date: the same demo on every machine
MIN_ALLOCATED = 2  # subjects kept for allocation before any is made a screen failure or left in screening


class Fate(StrEnum):
    SCREENING = "screening"
    SCREEN_FAILURE = "screen_failure"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    DIED = "died"


@dataclass(frozen=True)
class LogEntry:
    """One entry to add to a log form: its dates and the value specs that differ from the log's usual."""

    form: str
    name: str
    start: date
    end: date | None  # None: ongoing
    specs: dict[str, object]
    partial_start: bool = False  # only the month is known (e.g. a medication taken since before admission)


@dataclass
class Plan:
    """One synthetic subject."""

    index: int
    fate: Fate
    consent: date
    severity: float  # 0 = the mildest course the scenario describes, 1 = the most severe
    day0: date | None = None
    arm: str | None = None
    end: date | None = None  # death, withdrawal or completion
    visits: dict[str, date] = field(default_factory=dict)  # visits after Day 0 that took place
    failed_item: str | None = None  # the criterion a screen failure does not meet
    overrides: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)  # visit → form → item → spec
    in_progress: set[tuple[str, str]] = field(default_factory=set)  # (visit, form) saved unfinished
    entries: list[LogEntry] = field(default_factory=list)
    announced: set[str] = field(default_factory=set)  # visits whose log check item says Yes
    counted_events: int = 0  # events given to a set number of subjects, so they go to different ones
    label: str = ""

    @property
    def allocated(self) -> bool:
        return self.day0 is not None and self.fate not in (Fate.SCREENING, Fate.SCREEN_FAILURE)

    def dated_visits(self, study: Study) -> list[tuple[Visit, date]]:
        """Every visit that took place, screening (on the consent date) first."""
        before = [(v, self.consent) for v in study.visits if v.before_day0]
        return before + [(study.visit(code), on) for code, on in self.visits.items()]

    def override(self, visit: str, form: str, item: str, spec: object) -> None:
        self.overrides.setdefault(visit, {}).setdefault(form, {})[item] = spec


def allocation_rows(study: Study, subjects: int) -> list[tuple[str, str]]:
    """A block-randomised list (each block holds every arm twice), long enough for the demo subjects."""
    arms, rng, rows = [a.code for a in study.arms], Random(SEED), list[str]()
    while arms and len(rows) < max(subjects, study.info.planned_subjects or 0, 1):
        block = arms * 2
        rng.shuffle(block)
        rows += block
    return [(f"R{n:03d}", arm) for n, arm in enumerate(rows, start=1)]


def plan_subjects(study: Study, scenario: Scenario, count: int, today: date, arms: list[str]) -> list[Plan]:
    """Every subject's plan: allocated ones in order of Day 0 (allocation follows the list), then the others."""
    failures, screening = _unallocated_counts(scenario, count)
    span = _schedule_length(study)
    allocated = [_allocated(study, i, offset, today)
                 for i, offset in enumerate(_offsets(count - failures - screening, span))]
    allocated.sort(key=lambda p: (p.day0, p.index))
    for plan, arm in zip(allocated, arms, strict=False):
        plan.arm = arm
    _assign_endings(study, scenario, allocated, today)
    _assign_gaps(study, allocated, today)
    plans = list(allocated)
    for k in range(failures):
        consent = today - timedelta(days=(span + 20) * (k + 1) // (failures + 1))
        plans.append(_unallocated(study, len(plans), Fate.SCREEN_FAILURE, consent, k))
    for _ in range(screening):
        plans.append(_unallocated(study, len(plans), Fate.SCREENING, today, 0))
    return plans


def _unallocated_counts(scenario: Scenario, count: int) -> tuple[int, int]:
    """Screen failures and subjects still in screening, keeping at least MIN_ALLOCATED to allocate."""
    result = []
    left = count
    for fate in (Fate.SCREEN_FAILURE, Fate.SCREENING):
        rule = scenario.fates.get(fate.value)
        wanted = math.ceil(rule.share * count - 1e-9) if rule else 0
        taken = max(0, min(wanted, left - MIN_ALLOCATED))
        result.append(taken)
        left -= taken
    return result[0], result[1]


def _schedule_length(study: Study) -> int:
    """Study day of the last visit: subjects whose Day 0 lies further back have finished."""
    after = [v.day for v in study.visits if not v.before_day0]
    return max(after, default=0)


def _offsets(allocated: int, span: int) -> list[int]:
    """Days before today of each Day 0: a third early enough to have finished, the rest spread to now."""
    early = min(allocated, max(1, round(allocated * 0.35))) if allocated else 0

    def spread(first: int, last: int, k: int) -> list[int]:
        return [first - round((first - last) * i / max(k - 1, 1)) for i in range(k)]

    return spread(span + 18, span + 4, early) + spread(max(span - 10, 5), 4, allocated - early)


def _subject_rng(index: int) -> Random:
    return Random(SEED * 1000 + index)


def _allocated(study: Study, index: int, offset: int, today: date) -> Plan:
    rng = _subject_rng(index)
    day0 = today - timedelta(days=offset + rng.randint(-2, 2))
    consent = day0 - timedelta(days=rng.randint(0, 2))
    plan = Plan(index, Fate.ONGOING, consent, rng.random(), day0=day0)
    after_day0, previous = [v for v in study.visits if not v.before_day0], day0 - timedelta(days=2)
    for visit in after_day0:
        target, _, latest = window_of(visit, day0)
        actual = target + timedelta(days=rng.randint(-min(2, visit.window_before), min(2, visit.window_after)))
        actual = min(max(actual, previous + timedelta(days=2)), latest)  # visits at least two days apart
        if actual > today:
            break
        plan.visits[visit.code] = previous = actual
    if after_day0 and len(plan.visits) == len(after_day0):
        plan.fate, plan.end = Fate.COMPLETED, max(plan.visits.values())
    return plan


def _unallocated(study: Study, index: int, fate: Fate, consent: date, k: int) -> Plan:
    rng = _subject_rng(index)
    plan = Plan(index, fate, consent, rng.random())
    if fate is Fate.SCREEN_FAILURE and study.eligibility_form:
        criteria = study.form(study.eligibility_form).criteria
        exclusions = [i for i in criteria if i.criterion and i.criterion.kind == "exclusion"] or list(criteria)
        plan.failed_item = exclusions[-1 - k % len(exclusions)].code if exclusions else None
    return plan


def _assign_endings(study: Study, scenario: Scenario, allocated: list[Plan], today: date) -> None:
    """Deaths early in the schedule, withdrawals later, each among subjects still ongoing on that day."""
    span = _schedule_length(study)
    for fate, position, default_day in ((Fate.DIED, 1, max(1, span // 18)), (Fate.WITHDRAWN, None, span // 4)):
        rule = scenario.fates.get(fate.value)
        if rule is None or rule.share <= 0:
            continue
        wanted = math.ceil(rule.share * len(allocated) - 1e-9)
        day = rule.day if rule.day is not None else default_day
        for _ in range(wanted):
            ongoing = [p for p in allocated if p.fate is Fate.ONGOING]
            if len(ongoing) < 3 + (fate is Fate.WITHDRAWN):
                break
            plan = ongoing[position if position is not None else len(ongoing) // 2]
            assert plan.day0 is not None
            end = plan.day0 + timedelta(days=day)
            if end >= today:
                break
            plan.fate, plan.end = fate, end
            plan.visits = {code: on for code, on in plan.visits.items() if on <= end}


def _assign_gaps(study: Study, allocated: list[Plan], today: date) -> None:
    """A missed visit (overdue) and a visit done a day after its window closed."""
    ongoing = [p for p in allocated if p.fate is Fate.ONGOING]
    for plan in ongoing[len(ongoing) * 2 // 3:]:
        last = list(plan.visits)[-1] if plan.visits else None
        if last and len(plan.visits) >= 3 and _window(study, plan, last)[2] < today:
            del plan.visits[last]
            break
    codes = [v.code for v in study.visits if not v.before_day0]
    late = min(4, len(codes) - 2)
    for plan in ongoing[:len(ongoing) * 2 // 3]:
        if late >= 0 and codes[late + 1] in plan.visits:
            moved = _window(study, plan, codes[late])[2] + timedelta(days=1)
            if moved < plan.visits[codes[late + 1]]:
                plan.visits[codes[late]] = moved
                break


def _window(study: Study, plan: Plan, visit: str) -> tuple[date, date, date]:
    assert plan.day0 is not None
    return window_of(study.visit(visit), plan.day0)
