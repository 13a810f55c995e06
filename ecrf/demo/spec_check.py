"""Check value specs of the demo scenario against the items they fill (see specs.py for their meaning).

The base of the scenario checker: problems in the definition's catalogue, references to forms and
items, and per spec: one base key, known keys, values the item can hold (type, hard range, codelist).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ecrf.demo.scenario import FATES
from ecrf.demo.specs import ANCHORS, BASE_KEYS, MODIFIER_KEYS, SELECTORS, TRENDS, as_number
from ecrf.study.model import NUMERIC_TYPES, Item, ItemType, Study, format_bound
from ecrf.study.problems import P, Problems
from ecrf.study.reader import did_you_mean
from ecrf.study.yamlsource import LineList, LineMap


def line_of(container: Any, key: Any) -> int:
    if isinstance(container, (LineMap, LineList)):
        return container.line_of(key)
    return 0


class SpecChecker:
    """Reports problems of one scenario file; knows the study's forms and items."""

    def __init__(self, study: Study, file: str) -> None:
        self.study, self.file, self.problems = study, file, Problems()

    def add(self, line: int, code: P, where: str = "", /, **params: object) -> None:
        self.problems.add(self.file, line, code, where, **params)

    def mapping(self, value: Any, line: int, what: str) -> Mapping[Any, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.add(line, P.WRONG_SHAPE, what, what=what, expected="a mapping", got=type(value).__name__)
            return {}
        return value

    def keys(self, raw: Mapping[Any, Any], allowed: tuple[str, ...], what: str) -> None:
        for key in raw:
            if key not in allowed:
                self.add(line_of(raw, key), P.UNKNOWN_KEY, what, key=key, what=what,
                         hint=did_you_mean(str(key), allowed), allowed=", ".join(allowed))

    # -- references -----------------------------------------------------------------------------

    def known_form(self, form: Any, line: int) -> bool:
        if form in self.study.forms:
            return True
        self.add(line, P.UNKNOWN_FORM, str(form), form=form, hint=did_you_mean(str(form), list(self.study.forms)))
        return False

    def known_item(self, form: str, code: Any, line: int) -> Item | None:
        definition = self.study.form(form)
        if isinstance(code, str) and definition.has_item(code):
            return definition.item(code)
        self.add(line, P.UNKNOWN_ITEM, f"{form}.{code}", item=code, form=form,
                 hint=did_you_mean(str(code), [i.code for i in definition.items]))
        return None

    def known_ref(self, ref: Any, form: str, line: int) -> Item | None:
        """FORM.ITEM, or ITEM of the form the spec belongs to."""
        if not isinstance(ref, str):
            self.add(line, P.DEMO_BAD_SPEC, form, item=form, detail=f"{ref!r} is not FORM.ITEM")
            return None
        other, _, code = ref.rpartition(".")
        other = other or form
        return self.known_item(other, code, line) if self.known_form(other, line) else None

    # -- value specs ----------------------------------------------------------------------------

    def spec(self, form: str, item: Item, spec: Any, line: int) -> None:
        where = f"{form}.{item.code}"
        if not isinstance(spec, Mapping):
            self.constant(where, item, spec, line)
            return
        line = line_of(spec, next(iter(spec), None)) or line
        for key in spec:
            if key not in BASE_KEYS and key not in MODIFIER_KEYS:
                self.add(line_of(spec, key), P.DEMO_BAD_SPEC, where, item=where,
                         detail=f"unknown key '{key}'{did_you_mean(str(key), BASE_KEYS + MODIFIER_KEYS)}")
        bases = [k for k in BASE_KEYS if k in spec]
        if len(bases) > 1:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail=f"give one of {', '.join(bases)}, not several")
        for base in bases[:1]:
            getattr(self, "_" + base)(form, item, where, spec, spec[base], line_of(spec, base))

    def constant(self, where: str, item: Item, value: Any, line: int) -> None:
        """A value as written in the scenario must be one the item can hold."""
        if value is None:
            return
        kind = item.value_type
        if kind in NUMERIC_TYPES:
            self.number(where, item, value, line)
        elif kind in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE, ItemType.YES_NO):
            for code in value if isinstance(value, list) and kind is ItemType.MULTI_CHOICE else [value]:
                self.code(where, item, code, line)
        elif kind in (ItemType.DATE, ItemType.PARTIAL_DATE) and not isinstance(value, date):
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail=f"{value!r} is not a date (YYYY-MM-DD)")
        elif kind is ItemType.TIME and not _is_time(value):
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail=f"{value!r} is not a time \"HH:MM\" (quoted)")

    def number(self, where: str, item: Item, value: Any, line: int) -> None:
        try:
            x = as_number(value)
        except (TypeError, ValueError):
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail=f"{value!r} is not a number")
            return
        if item.hard is not None and not item.hard.contains(x):
            self.add(line, P.DEMO_OUT_OF_RANGE, where, item=where, value=value, range=str(item.hard))

    def code(self, where: str, item: Item, code: Any, line: int) -> None:
        codes: tuple[Any, ...] = ("Y", "N") if item.value_type is ItemType.YES_NO else (
            item.codelist.codes() if item.codelist else ())
        if code not in codes:
            name = item.codelist.name if item.codelist else "yes/no"
            self.add(line, P.DEMO_NOT_IN_CODELIST, where, item=where, value=code, codelist=name,
                     allowed=", ".join(map(str, codes)))

    def scale_point(self, where: str, item: Item, value: Any, line: int) -> None:
        """A number in a course or range: inside the hard range, or the span of an integer codelist."""
        if item.value_type in NUMERIC_TYPES or item.value_type is ItemType.TIME:
            self.number(where, item, value, line)
        elif item.codelist is not None and item.codelist.data_type == "integer":
            codes = [c for c in item.codelist.codes() if isinstance(c, int)]
            if not isinstance(value, (int, float)) or not min(codes) <= value <= max(codes):
                self.add(line, P.DEMO_OUT_OF_RANGE, where, item=where, value=value,
                         range=f"{format_bound(min(codes))}–{format_bound(max(codes))}")
        else:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where,
                     detail=f"a {item.value_type.value} item cannot follow a numeric course or range")

    def _value(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        self.constant(where, item, given, line)

    def _missing(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        if given not in item.missing:
            allowed = ", ".join(item.missing) or "none"
            self.add(line, P.DEMO_BAD_SPEC, where, item=where,
                     detail=f"missing code '{given}' is not allowed for this item (allowed: {allowed})")

    def _empty(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        return None

    def _choices(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        if not isinstance(given, (list, Mapping)) or not given:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail="choices: must be a list or {choice: weight}")
            return
        for choice in given:
            self.constant(where, item, choice, line)

    def _range(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        if not (isinstance(given, list) and len(given) == 2):
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail="range: must be [low, high]")
            return
        for bound in given:
            self.scale_point(where, item, bound, line)

    def _course(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int,
                probability: bool = False) -> None:
        if not isinstance(given, Mapping) or not given:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail="course: must map study days to values")
            return
        for day, point in given.items():
            at = line_of(given, day)
            if not isinstance(day, int):
                self.add(at, P.DEMO_BAD_SPEC, where, item=where, detail=f"course day {day!r} is not a whole number")
            for x in point if isinstance(point, list) else [point]:
                if probability:
                    if not isinstance(x, (int, float)) or not 0 <= x <= 1:
                        self.add(at, P.DEMO_BAD_SPEC, where, item=where, detail=f"chance {x!r} is not between 0 and 1")
                else:
                    self.scale_point(where, item, x, at)

    def _chance(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        if isinstance(given, Mapping):
            self._course(form, item, where, spec, given, line, probability=True)
        elif not isinstance(given, (int, float)) or not 0 <= given <= 1:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail=f"chance {given!r} is not between 0 and 1")
        for key, default in (("then", "Y"), ("else", "N")):
            self.spec(form, item, spec.get(key, default), line_of(spec, key) or line)

    def _from(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        self.known_ref(given, form, line)
        for key in ("map", "steps"):
            cases = spec.get(key)
            if cases is None:
                continue
            for case, value in self.mapping(cases, line_of(spec, key), f"{where} {key}").items():
                if key == "steps" and case != "default" and not isinstance(case, (int, float)):
                    self.add(line_of(cases, case), P.DEMO_BAD_SPEC, where, item=where,
                             detail=f"step {case!r} is not a number")
                self.spec(form, item, value, line_of(cases, case))

    def _sum_of(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        if not isinstance(given, list) or not given:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail="sum_of: must list FORM.ITEM references")
            return
        for ref in given:
            self.known_ref(ref, form, line)

    def _codes_of(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        if not isinstance(given, Mapping) or not given:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail="codes_of: must map codes to FORM.ITEM")
            return
        for code, ref in given.items():
            self.code(where, item, code, line_of(given, code))
            self.known_ref(ref, form, line_of(given, code))
        if "none" in spec:
            self.spec(form, item, spec["none"], line_of(spec, "none"))

    def _date(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        if given not in ANCHORS:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where,
                     detail=f"date: '{given}' is not one of {', '.join(ANCHORS)}")

    def _format(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        try:
            str(given).format(consent=date(2020, 1, 1), visit_date=date(2020, 1, 1), day0=date(2020, 1, 1), n=1,
                              visit="V")
        except (KeyError, ValueError, IndexError, AttributeError) as exc:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where,
                     detail=f"format {given!r} cannot be filled ({exc}); fields: consent, visit_date, day0, n, visit")

    def _change_of(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        self.known_ref(given, form, line)
        cases = self.mapping(spec.get("map"), line_of(spec, "map"), f"{where} map")
        for trend, value in cases.items():
            if trend not in TRENDS:
                self.add(line_of(cases, trend), P.DEMO_BAD_SPEC, where, item=where,
                         detail=f"change '{trend}' is not one of {', '.join(TRENDS)}")
            self.spec(form, item, value, line_of(cases, trend))

    def _by(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        if given not in SELECTORS:
            self.known_ref(given, form, line)
        cases = self.mapping(spec.get("cases"), line_of(spec, "cases") or line, f"{where} cases")
        if not cases:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail="by: needs cases:")
        for case, value in cases.items():
            if given == "fate" and case not in FATES and case != "default":
                self.add(line_of(cases, case), P.DEMO_UNKNOWN_FATE, where, fate=case, allowed=", ".join(FATES))
            self.spec(form, item, value, line_of(cases, case))



def days_given(value: Any) -> bool:
    if isinstance(value, list):
        return len(value) == 2 and all(isinstance(x, int) for x in value)
    return isinstance(value, int)


def _is_time(value: Any) -> bool:
    try:
        return isinstance(value, str) and 0 <= as_number(value) < 24 * 60
    except ValueError:
        return False
