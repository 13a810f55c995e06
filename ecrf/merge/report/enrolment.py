"""Enrolment over time: cumulative allocated subjects by date, per site and per arm.

A subject counts from its Day 0 (the allocation date, subjects.csv `day0`) once it has an arm; screened
subjects never allocated (screening, screen failures) do not count.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from ecrf.merge.report.model import Enrolment, Series
from ecrf.merge.report.read import SiteRows

Allocation = tuple[str, str]  # (day0, arm)


def allocations(site: SiteRows) -> list[Allocation]:
    return [(str(s["day0"]), str(s["arm"])) for s in site.subjects if s["day0"] and s["arm"]]


def enrolment(per_site: Sequence[tuple[str, list[Allocation]]], arm_order: Sequence[str]) -> Enrolment:
    """`per_site`: (site label, its allocations) in report order; arms in the study's order, unknown ones after."""
    every = [a for _, site in per_site for a in site]
    arms = [*arm_order, *sorted({arm for _, arm in every} - set(arm_order))]
    by_site = tuple(_series(label, (day for day, _ in site)) for label, site in per_site)
    by_arm = tuple(_series(arm, (day for day, a in every if a == arm)) for arm in arms)
    return Enrolment(dates=tuple(sorted({day for day, _ in every})), by_site=by_site, by_arm=by_arm)


def _series(label: str, days: Iterable[str]) -> Series:
    counts = Counter(days)
    total, points = 0, []
    for day in sorted(counts):
        total += counts[day]
        points.append((day, total))
    return Series(label, tuple(points))
