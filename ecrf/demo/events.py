"""Place the scenario's named events in the subjects' plans: values at a visit, entries in the logs.

An event with `subjects: N` goes to N subjects (the first or last by Day 0, preferring subjects that
have no such event yet, so a handful of events show on different subjects); one with `chance: p`
happens to each subject that qualifies with that probability. Deterministic: seeded per subject and event.
"""
from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import Any

from ecrf.demo.plan import SEED, LogEntry, Plan
from ecrf.demo.scenario import Event, Group, LogRoles, Scenario
from ecrf.study.model import Study


def place_events(study: Study, scenario: Scenario, plans: list[Plan], today: date) -> None:
    allocated = sorted((p for p in plans if p.allocated), key=lambda p: (p.day0, p.index))
    arm_types = {a.code: a.type for a in study.arms}
    for event in scenario.events:
        if event.group is not None:
            continue
        candidates = [p for p in allocated if _qualifies(event, p, arm_types)]
        if event.subjects is None:
            for plan in candidates:
                rng = Random(f"{SEED}:{plan.index}:{event.name}")
                if rng.random() < event.chance:
                    _place(study, event, plan, today, rng)
            continue
        ordered = candidates if event.pick != "last" else candidates[::-1]
        ordered = sorted(ordered, key=lambda p: p.counted_events > 0)  # stable: keeps first/last order
        given = 0
        for plan in ordered:
            if given >= event.subjects:
                break
            if _place(study, event, plan, today, Random(f"{SEED}:{plan.index}:{event.name}")):
                given += 1
                plan.counted_events += 1


    for name, group in scenario.groups.items():
        members = [e for e in scenario.events if e.group == name]
        for plan in allocated:
            _place_from_group(study, name, group, [e for e in members if _qualifies(e, plan, arm_types)], plan,
                              today)


def _place_from_group(study: Study, name: str, group: Group, events: list[Event], plan: Plan, today: date) -> None:
    rng = Random(f"{SEED}:{plan.index}:group:{name}")
    if not events or rng.random() >= group.chance:
        return
    for event in rng.sample(events, min(len(events), _days(group.per_subject, rng))):
        _place(study, event, plan, today, Random(f"{SEED}:{plan.index}:{event.name}"))


def announce_entries(study: Study, roles: dict[str, LogRoles], plans: list[Plan]) -> None:
    """Mark the first visit after each new log entry whose check item (e.g. 'any new adverse event?') says Yes."""
    for plan in plans:
        for entry in plan.entries:
            check = roles.get(entry.form, LogRoles()).check
            if not check:
                continue
            form = check.rpartition(".")[0]
            for visit, on in plan.dated_visits(study):
                if on >= entry.start and any(vf.form == form for vf in visit.forms_for(plan.arm)):
                    plan.announced.add(visit.code)
                    break


def _qualifies(event: Event, plan: Plan, arm_types: dict[str, str]) -> bool:
    if event.fates and plan.fate.value not in event.fates:
        return False
    return not event.arms or plan.arm in event.arms or arm_types.get(plan.arm or "") in event.arms


def _place(study: Study, event: Event, plan: Plan, today: date, rng: Random) -> bool:
    """Put the event into the plan; False when it cannot happen to this subject (no such visit, too late)."""
    when = _when(study, event.at, plan, rng)
    last = min(today, plan.end or today)
    if when is None or when[1] > last:
        return False
    visit, on = when
    if visit:
        for form, specs in event.values.items():
            for item, spec in specs.items():
                plan.override(visit, form, item, spec)
        plan.in_progress |= {(visit, form) for form in event.in_progress}
    end = _end(event.lasts, on, plan, rng, last)
    partial = event.at.get("partial") == "month"
    for form, entries in event.log.items():
        plan.entries.extend(LogEntry(form, event.name, on, end, dict(specs), partial) for specs in entries)
    return True


def _when(study: Study, at: Any, plan: Plan, rng: Random) -> tuple[str, date] | None:
    """(visit or '', date) of an event: a study day, or the n-th visit with a form from that day on."""
    anchor = plan.consent if at.get("from") == "consent" else plan.day0
    assert anchor is not None
    day = at.get("day")
    base = None if day is None else anchor + timedelta(days=_days(day, rng))
    if "form" in at or "visit" in at:
        visits = [(v.code, on) for v, on in plan.dated_visits(study)
                  if (base is None or on >= base) and ("visit" not in at or v.code == at["visit"])
                  and ("form" not in at or any(vf.form == at["form"] for vf in v.forms_for(plan.arm)))]
        if not visits:
            return None
        nth = int(at.get("nth", 1))
        return visits[min(nth, len(visits)) - 1] if nth > 0 else visits[max(nth, -len(visits))]
    return "", base if base is not None else anchor


def _end(lasts: Any, start: date, plan: Plan, rng: Random, last: date) -> date | None:
    if lasts is None:
        return None
    end = plan.end if lasts == "end" else start + timedelta(days=_days(lasts, rng))
    return end if end is not None and end <= last else None


def _days(given: Any, rng: Random) -> int:
    if isinstance(given, list):
        return rng.randint(int(given[0]), int(given[1]))
    return int(given)
