"""Evaluate the scenario's value specs (see docs/forms-format.md, "Demo scenario").

A spec is a plain value, or a mapping with one base key (value, missing, empty, choices, range, course,
chance, from, sum_of, codes_of, date, format, change_of, by) and optional modifiers (plus, times, noise,
and the base key's own: map, steps, cases, then, else, none, years, n, partial). Randomness comes from
the generator handed in, seeded per subject, moment and item, so a spec gives the same value every time.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time, timedelta
from decimal import Decimal
from itertools import pairwise
from random import Random
from typing import TYPE_CHECKING, Any

from ecrf.demo.moment import Moment, study_day
from ecrf.demo.plan import SEED
from ecrf.study.model import Item
from ecrf.study.values import Missing, PartialDate

if TYPE_CHECKING:
    from ecrf.demo.values import ValueMaker

BASE_KEYS = ("value", "missing", "empty", "choices", "range", "course", "chance", "from", "sum_of", "codes_of",
             "date", "format", "change_of", "by")
MODIFIER_KEYS = ("plus", "times", "noise", "map", "steps", "cases", "then", "else", "none", "years", "n", "partial")
ANCHORS = ("visit", "consent", "day0", "end", "start", "today")
SELECTORS = ("fate", "arm", "timepoint", "visit")
TRENDS = ("lower", "same", "higher", "none")


class SpecRun:
    """Evaluates one value spec for one item at one moment."""

    def __init__(self, maker: ValueMaker, item: Item, form: str, moment: Moment, rng: Random) -> None:
        self.maker, self.item, self.form, self.moment, self.rng = maker, item, form, moment, rng

    def evaluate(self, spec: Any) -> Any:
        if not isinstance(spec, Mapping):
            return spec
        if "by" in spec:
            return self._modify(self.evaluate(self._case(spec)), spec)
        for key in BASE_KEYS:
            if key in spec:
                return self._modify(getattr(self, "_" + key)(spec[key], spec), spec)
        return self._modify(self.maker.generic(self.item, self.moment, self.rng), spec)  # modifiers only

    def _modify(self, value: Any, spec: Mapping[str, Any]) -> Any:
        if value is None or isinstance(value, Missing):
            return value
        if isinstance(value, Decimal):
            value = float(value)
        if "times" in spec:
            value = value * self._number(spec["times"])
        if "plus" in spec:
            value = shift(value, self._number(spec["plus"]))
        if "noise" in spec and isinstance(value, (int, float)):
            value = value + self.rng.uniform(-float(spec["noise"]), float(spec["noise"]))
        return value

    def _number(self, given: Any) -> float:
        if isinstance(given, list):
            low, high = (as_number(x) for x in given)
            return self.rng.uniform(low, high)
        return as_number(given)

    # -- base keys ------------------------------------------------------------------------------

    def _value(self, given: Any, spec: Mapping[str, Any]) -> Any:
        return tuple(given) if isinstance(given, list) else given

    def _missing(self, given: Any, spec: Mapping[str, Any]) -> Any:
        return Missing(str(given))

    def _empty(self, given: Any, spec: Mapping[str, Any]) -> Any:
        return None

    def _choices(self, given: Any, spec: Mapping[str, Any]) -> Any:
        if isinstance(given, Mapping):
            options = list(given)
            return self.rng.choices(options, weights=[float(given[o]) for o in options])[0]
        return self.rng.choice(list(given))

    def _range(self, given: Any, spec: Mapping[str, Any]) -> Any:
        low, high = (as_number(x) for x in given)
        return self.rng.uniform(low, high)

    def _course(self, given: Mapping[Any, Any], spec: Mapping[str, Any]) -> float:
        return course_at(given, self.moment.day, self._severity())

    def _severity(self) -> float:
        """The subject's severity, nudged per item so that not every item moves in lockstep."""
        plan = self.moment.plan
        jitter = Random(f"{SEED}:{plan.index}:{self.form}:{self.item.code}:severity").gauss(0, 0.12)
        return min(1.0, max(0.0, plan.severity + jitter))

    def _chance(self, given: Any, spec: Mapping[str, Any]) -> Any:
        p = course_at(given, self.moment.day, self._severity()) if isinstance(given, Mapping) else float(given)
        return spec.get("then", "Y") if self.rng.random() < p else spec.get("else", "N")

    def _from(self, given: str, spec: Mapping[str, Any]) -> Any:
        source = self._read(given, self.moment)
        if "map" in spec:
            cases = spec["map"]
            key = _key(source)
            return self.evaluate(cases[key] if key in cases else cases.get("default"))
        if "steps" in spec:
            return self.evaluate(step_of(spec["steps"], source))
        return source

    def _sum_of(self, given: list[str], spec: Mapping[str, Any]) -> Any:
        parts = [self._read(ref, self.moment) for ref in given]
        numbers = [float(x) for x in parts if isinstance(x, (int, float, Decimal))]
        return sum(numbers) if len(numbers) == len(parts) else None

    def _codes_of(self, given: Mapping[Any, str], spec: Mapping[str, Any]) -> Any:
        """The codes whose item is above zero or Yes (e.g. the lobes with a lesion score)."""
        codes = tuple(code for code, ref in given.items() if _positive(self._read(ref, self.moment)))
        return codes or self.evaluate(spec.get("none"))

    def _date(self, given: str, spec: Mapping[str, Any]) -> Any:
        plan, moment = self.moment.plan, self.moment
        anchor = {"visit": moment.on, "start": moment.on, "consent": plan.consent, "day0": plan.day0,
                  "end": moment.end or plan.end, "today": moment.today}.get(given)
        if anchor is None:
            return None
        if "years" in spec:
            anchor = anchor + timedelta(days=round(self._number(spec["years"]) * 365.25))
        if spec.get("partial") == "month":
            return PartialDate(anchor.year, anchor.month)
        return anchor

    def _format(self, given: str, spec: Mapping[str, Any]) -> str:
        n = round(self._number(spec["n"])) if "n" in spec else 0
        plan = self.moment.plan
        return given.format(consent=plan.consent, visit_date=self.moment.on, day0=plan.day0 or plan.consent, n=n,
                            visit=self.moment.visit)

    def _change_of(self, given: str, spec: Mapping[str, Any]) -> Any:
        now = self._read(given, self.moment)
        before = self._previous(given)
        if now is None or before is None:
            trend = "none"
        else:
            trend = "lower" if now < before else "higher" if now > before else "same"
        return self.evaluate(spec.get("map", {}).get(trend, trend))

    def _by(self, given: str, spec: Mapping[str, Any]) -> Any:  # pragma: no cover - handled in evaluate
        return self.evaluate(self._case(spec))

    # -- helpers --------------------------------------------------------------------------------

    def _case(self, spec: Mapping[str, Any]) -> Any:
        cases: Mapping[str, Any] = spec.get("cases") or {}
        plan, moment, selector = self.moment.plan, self.moment, spec["by"]
        keys: list[Any]
        if selector == "fate":
            keys = [plan.fate.value]
        elif selector == "arm":
            keys = [plan.arm, self.maker.arm_types.get(plan.arm or "")]
        elif selector == "timepoint":
            keys = [moment.timepoint]
        elif selector == "visit":
            keys = [moment.visit]
        else:
            keys = [_key(self._read(selector, moment))]
        for key in keys:
            if key is not None and key in cases:
                return cases[key]
        return cases.get("default")

    def _read(self, ref: str, moment: Moment) -> Any:
        form, _, item = ref.rpartition(".")
        return self.maker.value_of(form or self.form, item, moment)

    def _previous(self, ref: str) -> Any:
        """The referenced item at the last earlier visit of this subject that had its form."""
        form = ref.rpartition(".")[0] or self.form
        plan, study = self.moment.plan, self.maker.study
        earlier = None
        for visit, on in plan.dated_visits(study):
            if visit.code == self.moment.visit:
                break
            if any(vf.form == form for vf in visit.forms_for(plan.arm)):
                earlier = (visit, on)
        if earlier is None:
            return None
        visit, on = earlier
        return self._read(ref, Moment(plan, visit.code, on, study_day(visit, plan, on), self.moment.today,
                                      key=visit.code + ":"))


def _positive(value: Any) -> bool:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return bool(value > 0)
    return bool(value == "Y")


def _key(value: Any) -> Any:
    """A value as a case key: codes as written in YAML (numbers stay numbers)."""
    if isinstance(value, Decimal):
        return int(value) if value == int(value) else float(value)
    return value


def as_number(given: Any) -> float:
    """A number, or a clock time "HH:MM" as minutes after midnight."""
    if isinstance(given, str) and ":" in given:
        hours, minutes = given.split(":")
        return int(hours) * 60 + int(minutes)
    return float(given)


def shift(value: Any, amount: float) -> Any:
    """Add to a number, a date (days), a clock time (minutes) or a Decimal."""
    if isinstance(value, date):
        return value + timedelta(days=round(amount))
    if isinstance(value, time):
        return minutes_to_time(value.hour * 60 + value.minute + amount)
    if isinstance(value, str) and ":" in value:
        return as_number(value) + amount
    if isinstance(value, Decimal):
        return float(value) + amount
    return value + amount


def course_at(points: Mapping[Any, Any], day: int, severity: float) -> float:
    """A course {study day: value or [mildest, most severe]} at `day`, linear between the given days."""
    marks = sorted((int(d), _at_severity(v, severity)) for d, v in points.items())
    if day <= marks[0][0]:
        return marks[0][1]
    for (d0, v0), (d1, v1) in pairwise(marks):
        if day <= d1:
            return v0 + (v1 - v0) * (day - d0) / (d1 - d0)
    return marks[-1][1]


def _at_severity(value: Any, severity: float) -> float:
    if isinstance(value, list):
        mild, severe = (as_number(x) for x in value)
        return mild + (severe - mild) * severity
    return as_number(value)


def step_of(steps: Mapping[Any, Any], value: Any) -> Any:
    """The entry of the highest threshold at or below `value` (the first entry below every threshold)."""
    if value is None or isinstance(value, Missing):
        return steps.get("default")
    marks = sorted((float(k), v) for k, v in steps.items() if k != "default")
    chosen = marks[0][1] if marks else steps.get("default")
    for threshold, entry in marks:
        if float(value) >= threshold:
            chosen = entry
    return chosen


def minutes_to_time(minutes: float) -> time:
    total = max(0, min(round(minutes), 24 * 60 - 1))
    return time(total // 60, total % 60)
