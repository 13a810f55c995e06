"""Values for the demo from the definition, refined by the scenario's value specs.

Every value is a pure function of (subject, moment, form, item): its random generator is seeded by
them, so an item that follows another (`from:`) recomputes the same value in any order, and the
same plan always gives the same data. Without a spec an item gets a valid, unremarkable value from
its type, ranges, precision and codelist; skip logic is respected by leaving hidden items out.

Spec keys (documented in docs/forms-format.md, "Demo scenario"): value, missing, empty, choices,
range, course, chance, from (+ map/steps), date, format, change_of, by (+ cases), plus, times, noise.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from random import Random
from typing import Any

from ecrf.demo.plan import SEED, Plan
from ecrf.demo.scenario import LogRoles, Scenario
from ecrf.study.model import Form, Item, ItemType, Study
from ecrf.study.subject import Where
from ecrf.study.validate import validate_form
from ecrf.study.values import Missing, PartialDate

BASE_KEYS = ("value", "missing", "empty", "choices", "range", "course", "chance", "from", "sum_of", "codes_of",
             "date", "format", "change_of", "by")
MODIFIER_KEYS = ("plus", "times", "noise", "map", "steps", "cases", "then", "else", "none", "years", "n", "partial")
ANCHORS = ("visit", "consent", "day0", "end", "start", "today")
SELECTORS = ("fate", "arm", "timepoint", "visit")
TRENDS = ("lower", "same", "higher", "none")
ADULT_YEARS = (25.0, 65.0)
GENERIC_YES = 0.25
FATE_WORDS = {"completed": ("COMPLET",), "withdrawn": ("WITHDRAWAL BY SUBJECT", "WDSUBJ", "WITHDR", "WD"),
              "died": ("DEATH", "DIED", "DTH")}  # a birth date (CDASH BRTHDAT) without a spec: an adult


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


class ValueMaker:
    """Makes the values of forms for moments of subjects, from the definition and the scenario."""

    def __init__(self, study: Study, scenario: Scenario) -> None:
        self.study, self.scenario = study, scenario
        self.arm_types = {a.code: a.type for a in study.arms}
        self.log_roles = {code: self._roles(code) for code in study.logs}

    def _roles(self, code: str) -> LogRoles:
        """The scenario's roles for a log, else CDASH conventions: --STDAT, --ENDAT and --ONGO items."""
        given = self.scenario.logs.get(code)
        if given is not None:
            return given
        form = self.study.form(code)

        def ending(suffix: str) -> str | None:
            return next((i.code for i in form.items if i.cdash.endswith(suffix)), None)

        return LogRoles(ending("STDAT"), ending("ENDAT"), ending("ONGO"))

    # -- a whole form ---------------------------------------------------------------------------

    def form_values(self, form: Form, moment: Moment) -> dict[str, Any]:
        """Values for every item the form shows (calculated items are left to the services)."""
        values: dict[str, Any] = {}
        for item in form.items:
            if not item.is_calculated:
                value = self.value_of(form.code, item.code, moment)
                if value is not None:
                    values[item.code] = value
        return drop_hidden(form, values, moment)

    def value_of(self, form_code: str, item_code: str, moment: Moment) -> Any:
        """The value one item has at `moment` (cached: the same for every item that reads it)."""
        key = (form_code, item_code)
        if key not in moment.cache:
            moment.cache[key] = None  # a spec that reads itself ends as empty, not as a recursion error
            moment.cache[key] = self._make(self.study.form(form_code), form_code, item_code, moment)
        return moment.cache[key]

    def _make(self, form: Form, form_code: str, item_code: str, moment: Moment) -> Any:
        item = form.item(item_code)
        if item.is_calculated:
            return self._derived(form, item_code, moment)
        if item.criterion is not None:
            return self._criterion(item, moment)
        spec = self._spec(form_code, item_code, moment)
        if spec is _ROLE:
            return self._role_value(form_code, item_code, item, moment)
        rng = Random(f"{SEED}:{moment.plan.index}:{moment.key}:{form_code}:{item_code}")
        if spec is None:
            return generic_value(item, moment, rng)
        return fit(item, SpecRun(self, item, form_code, moment, rng).evaluate(spec))

    def _spec(self, form_code: str, item_code: str, moment: Moment) -> Any:
        """An event's override at this visit, the log's date role, or the scenario's spec."""
        override = moment.plan.overrides.get(moment.visit, {}).get(form_code, {}) if moment.visit else {}
        if item_code in override:
            return override[item_code]
        if item_code in moment.specs:
            return moment.specs[item_code]
        roles = self.log_roles.get(form_code)
        if roles and item_code in (roles.start, roles.end, roles.ongoing):
            return _ROLE
        check = self._check_item(form_code, item_code)
        if check:
            return "Y" if moment.visit in moment.plan.announced else "N"
        return self.scenario.spec(form_code, item_code)

    def _check_item(self, form_code: str, item_code: str) -> bool:
        return any(r.check == f"{form_code}.{item_code}" for r in self.log_roles.values())

    def _role_value(self, form_code: str, item_code: str, item: Item, moment: Moment) -> Any:
        roles = self.log_roles[form_code]
        if item_code == roles.start:
            return PartialDate(moment.on.year, moment.on.month) if moment.partial_start else moment.on
        if item_code == roles.end:
            return moment.end
        return "N" if moment.end is not None else "Y"

    def _criterion(self, item: Item, moment: Moment) -> Any:
        assert item.criterion is not None
        answer = item.criterion.required_answer
        if item.code == moment.plan.failed_item:
            return "N" if answer == "Y" else "Y"
        if moment.plan.fate == "screening" and item.criterion.kind == "exclusion":
            return None  # still being screened: the exclusions are not answered yet
        return answer

    def _derived(self, form: Form, item_code: str, moment: Moment) -> Any:
        """A calculated item as the services will compute it, from the items its expression reads."""
        reads = _reads(form, item_code)
        values = {code: self.value_of(form.code, code, moment) for code in reads}
        return validate_form(form, values, where=Where(moment.visit, moment.timepoint, moment.today)).derived.get(
            item_code)


def _reads(form: Form, item_code: str) -> set[str]:
    """The entered items a calculated item depends on, through other calculated items too."""
    found: set[str] = set()
    pending = [item_code]
    while pending:
        derive = form.item(pending.pop()).derive
        for ref in derive.local_refs() if derive is not None else ():
            if form.has_item(ref) and form.item(ref).is_calculated:
                pending.append(ref)
            elif form.has_item(ref):
                found.add(ref)
    return found


_ROLE = object()  # marks an item whose value is the log entry's date or ongoing flag


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
        return self._modify(generic_value(self.item, self.moment, self.rng), spec)

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
        return _minutes_to_time(value.hour * 60 + value.minute + amount)
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


def study_day(visit: Any, plan: Plan, on: date) -> int:
    """The day used by courses: days since Day 0, or just before it at screening."""
    if visit.before_day0 or plan.day0 is None:
        return -1
    return (on - plan.day0).days


# -- fitting a value to its item ---------------------------------------------------------------

def fit(item: Item, value: Any) -> Any:
    """A raw value as the item stores it: rounded to its precision, inside its hard range, a listed code."""
    if value is None or isinstance(value, Missing):
        return value
    kind = item.value_type
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        return fit_number(item, float(value))
    if kind in (ItemType.DATE, ItemType.PARTIAL_DATE):
        return date.fromisoformat(value) if isinstance(value, str) else value
    if kind is ItemType.TIME:
        return value if isinstance(value, time) else _minutes_to_time(as_number(value))
    if kind is ItemType.DATETIME:
        return value if isinstance(value, datetime) else datetime.combine(value, time(9, 0))
    if kind is ItemType.YES_NO:
        return ("Y" if value else "N") if isinstance(value, bool) else str(value)
    if kind is ItemType.MULTI_CHOICE:
        return tuple(value) if isinstance(value, (list, tuple)) else (value,)
    if kind is ItemType.SINGLE_CHOICE:
        return _nearest_code(item, value)
    if kind is ItemType.TEXT:
        return str(value)[:item.max_length]
    return value


def fit_number(item: Item, x: float) -> int | Decimal:
    hard = item.hard
    if hard is not None:
        x = min(max(x, hard.low if hard.low is not None else x), hard.high if hard.high is not None else x)
    if item.value_type is ItemType.INTEGER:
        return round(x)
    digits = item.precision or 0
    return Decimal(str(round(x, digits))).quantize(Decimal(1).scaleb(-digits))


def _nearest_code(item: Item, value: Any) -> Any:
    """Integer codelists (scales) take the nearest code to a number; others the code as written."""
    if item.codelist is None or item.codelist.data_type != "integer" or not isinstance(value, (int, float)):
        return value
    codes = [c for c in item.codelist.codes() if isinstance(c, int)]
    return min(codes, key=lambda c: abs(c - value)) if codes else round(value)


def _minutes_to_time(minutes: float) -> time:
    total = max(0, min(round(minutes), 24 * 60 - 1))
    return time(total // 60, total % 60)


# -- from the definition alone -------------------------------------------------------------------

def generic_value(item: Item, moment: Moment, rng: Random) -> Any:
    """A valid, unremarkable value from the item definition alone."""
    kind = item.value_type
    if item.cdash == "BRTHDAT" and kind in (ItemType.DATE, ItemType.PARTIAL_DATE):
        return moment.plan.consent - timedelta(days=round(rng.uniform(*ADULT_YEARS) * 365.25))
    if kind in (ItemType.DATE, ItemType.PARTIAL_DATE):
        return moment.on
    if kind is ItemType.DATETIME:
        return datetime.combine(moment.on, time(9, rng.randint(0, 59)))
    if kind is ItemType.TIME:
        return time(rng.randint(8, 11), rng.randint(0, 59))
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        bounds = item.soft or item.hard
        low = bounds.low if bounds and bounds.low is not None else 0
        high = bounds.high if bounds and bounds.high is not None else low + 100
        return fit_number(item, rng.uniform(float(low), float(high)))
    codes = item.codelist.codes() if item.codelist else ()
    if item.cdash == "DSDECOD" and _code_for_fate(codes, moment.plan.fate.value):
        return _code_for_fate(codes, moment.plan.fate.value)
    if kind is ItemType.YES_NO:  # mostly No, sometimes Yes: the items a Yes shows appear too
        return "Y" if rng.random() < GENERIC_YES else "N"
    if kind is ItemType.SINGLE_CHOICE and codes:
        return rng.choice(codes)
    if kind is ItemType.MULTI_CHOICE and codes:
        return (codes[0],)
    if kind is ItemType.TEXT:
        return "Synthetic demo entry"[:item.max_length]
    return None


def _code_for_fate(codes: tuple[str | int, ...], fate: str) -> str | int | None:
    """The disposition code (CDISC NCOMPLT terms or their short forms) that says how a subject ended."""
    for stem in FATE_WORDS.get(fate, ()):
        for code in codes:
            if str(code).upper().startswith(stem):
                return code
    return None


def drop_hidden(form: Form, values: dict[str, Any], moment: Moment) -> dict[str, Any]:
    """Leave out items whose skip logic (over this form's own items) hides them; the service refuses them."""
    local = {i.code for i in form.items if i.show_if is not None and all(k.form is None for k in i.show_if.refs)}
    if not local:
        return values
    for _ in range(len(local) + 1):
        hidden = validate_form(form, values, where=Where(moment.visit, moment.timepoint, moment.today)).hidden
        gone = [code for code in hidden & local if code in values]
        if not gone:
            break
        for code in gone:
            del values[code]
    return values
