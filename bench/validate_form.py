"""Validating one 50-item form as the UI sends it (raw strings), as on every keystroke-level re-check.

Figure: median time of one `validate_form` call. Floor: a bare dict walk over the same 50 raw values
(look the value up, strip it, compare it to a stored bound).
"""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from bench.result import Result
from bench.scale import Scale
from bench.synthetic_form import FORM, Values, write_study
from bench.timing import per_call_ns
from ecrf.study.loader import load_study
from ecrf.study.model import NUMERIC_TYPES, Form
from ecrf.study.subject import Where
from ecrf.study.validate import validate_form

GOAL_US = 1000.0
Plan = list[tuple[str, float | str]]


def bare_walk(values: Values, plan: Plan) -> int:
    """The barest check of the same values: numbers against their upper bound, the rest as text."""
    over = 0
    for code, bound in plan:
        text = values.get(code, "").strip()
        if text and (float(text) if isinstance(bound, float) else text) > bound:  # type: ignore[operator]
            over += 1
    return over


def plan_of(form: Form) -> Plan:
    plan: Plan = []
    for item in form.items:
        if item.value_type in NUMERIC_TYPES:
            plan.append((item.code, float(item.hard.high) if item.hard and item.hard.high is not None else 1e9))
        else:
            plan.append((item.code, "\uffff"))
    return plan


def run(scale: Scale = Scale.FULL) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        values = write_study(Path(tmp))
        form = load_study(tmp).form(FORM)
    where = Where(visit="V1", today=date(2024, 1, 1))
    if validate_form(form, values, where=where).hard:  # the values are meant to be savable
        raise AssertionError("the synthetic values should raise no refusal")
    plan = plan_of(form)
    repeat, sample_ns = scale.pick(full=(15, 50_000_000), quick=(3, 2_000_000), smoke=(1, 1_000_000))
    figure = per_call_ns(lambda: validate_form(form, values, where=where), repeat=repeat, min_sample_ns=sample_ns)
    floor = per_call_ns(lambda: bare_walk(values, plan), repeat=repeat, min_sample_ns=sample_ns)
    figure_us, floor_us = figure / 1000, floor / 1000
    return [Result(f"validate a {len(form.items)}-item form", figure_us, "µs", floor_us,
                   "≤ 1 ms", figure_us <= GOAL_US)]
