"""Check the demo scenario against the study definition, in the definition's problem catalogue.

Reported like a definition problem (`file:line: [code] where: message`), by `ecrf check-forms` and
before a demo is made: unknown keys, fates, forms, items, arms and visits; values outside an item's
hard range or not in its codelist; specs that could not be evaluated.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ecrf.demo.scenario import FATES, SCENARIO_PATH, read_raw, scenario_file
from ecrf.demo.values import ANCHORS, BASE_KEYS, MODIFIER_KEYS, SELECTORS, TRENDS, as_number
from ecrf.study.model import NUMERIC_TYPES, Item, ItemType, Study, format_bound
from ecrf.study.problems import P, Problem, Problems
from ecrf.study.reader import did_you_mean
from ecrf.study.yamlsource import LineList, LineMap, YamlSyntaxError

TOP_KEYS = ("fates", "forms", "logs", "events", "groups", "correction")
GROUP_KEYS = ("chance", "per_subject")
FATE_KEYS = ("share", "day", "reason", "forms_at_end")
LOG_KEYS = ("start", "end", "ongoing", "check")
EVENT_KEYS = ("name", "subjects", "chance", "pick", "arms", "fates", "at", "lasts", "values", "in_progress", "log",
              "group")
AT_KEYS = ("day", "from", "form", "visit", "nth", "partial")
CORRECTION_KEYS = ("visit", "form", "item", "plus", "reason")


def check_scenario(study: Study) -> list[Problem]:
    """Every problem of the study's demo scenario (none when there is no scenario)."""
    path = scenario_file(study)
    if path is None:
        return []
    name = f"{study.folder.name if study.folder else ''}/{SCENARIO_PATH.as_posix()}".lstrip("/")
    checker = _Checker(study, name)
    try:
        raw = read_raw(path)
    except YamlSyntaxError as exc:
        checker.problems.add(name, exc.line, P.YAML_SYNTAX, detail=exc.message)
        return checker.problems.sorted()
    if raw is not None:
        checker.check(raw)
    return checker.problems.sorted()


def _line(container: Any, key: Any) -> int:
    if isinstance(container, (LineMap, LineList)):
        return container.line_of(key)
    return 0


class _Checker:
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
                self.add(_line(raw, key), P.UNKNOWN_KEY, what, key=key, what=what,
                         hint=did_you_mean(str(key), allowed), allowed=", ".join(allowed))

    # -- sections -------------------------------------------------------------------------------

    def check(self, raw: Any) -> None:
        top = self.mapping(raw, 1, "the scenario")
        self.keys(top, TOP_KEYS, "the scenario")
        self.fates(self.mapping(top.get("fates"), _line(top, "fates"), "fates"))
        forms = self.mapping(top.get("forms"), _line(top, "forms"), "forms")
        for form, items in forms.items():
            self.form_specs(form, items, _line(forms, form))
        self.logs(self.mapping(top.get("logs"), _line(top, "logs"), "logs"))
        events = top.get("events") or []
        if not isinstance(events, list):
            self.add(_line(top, "events"), P.WRONG_SHAPE, "events", what="events", expected="a list",
                     got=type(events).__name__)
            events = []
        groups = self.mapping(top.get("groups"), _line(top, "groups"), "groups")
        self.groups(groups)
        for i, event in enumerate(events):
            self.event(event, _line(events, i), groups)
        self.correction(self.mapping(top.get("correction"), _line(top, "correction"), "correction"))

    def fates(self, fates: Mapping[Any, Any]) -> None:
        for fate, rule in fates.items():
            line = _line(fates, fate)
            if fate not in FATES:
                self.add(line, P.DEMO_UNKNOWN_FATE, str(fate), fate=fate, allowed=", ".join(FATES))
                continue
            rule = self.mapping(rule, line, f"fate {fate}")
            self.keys(rule, FATE_KEYS, f"fate {fate}")
            share = rule.get("share", 0)
            if not isinstance(share, (int, float)) or not 0 <= share <= 1:
                self.add(_line(rule, "share"), P.BAD_VALUE, f"fate {fate}", what="share",
                         detail=f"{share!r} is not a fraction between 0 and 1")
            if "day" in rule and not isinstance(rule["day"], int):
                self.add(_line(rule, "day"), P.BAD_VALUE, f"fate {fate}", what="day",
                         detail=f"{rule['day']!r} is not a whole study day")
            for form in rule.get("forms_at_end") or ():
                self.known_form(form, _line(rule, "forms_at_end"))

    def logs(self, logs: Mapping[Any, Any]) -> None:
        for form, roles in logs.items():
            line = _line(logs, form)
            if form not in self.study.logs:
                self.add(line, P.DEMO_NOT_A_LOG, str(form), form=form, allowed=", ".join(self.study.logs))
                continue
            roles = self.mapping(roles, line, f"log {form}")
            self.keys(roles, LOG_KEYS, f"log {form}")
            for role in ("start", "end", "ongoing"):
                if role in roles:
                    self.known_item(form, roles[role], _line(roles, role))
            if "check" in roles:
                self.known_ref(roles["check"], form, _line(roles, "check"))

    def form_specs(self, form: Any, items: Any, line: int) -> None:
        if not self.known_form(form, line):
            return
        items = self.mapping(items, line, f"form {form}")
        for code, spec in items.items():
            item = self.known_item(form, code, _line(items, code))
            if item is not None:
                self.spec(form, item, spec, _line(items, code))

    def groups(self, groups: Mapping[Any, Any]) -> None:
        for name, group in groups.items():
            group = self.mapping(group, _line(groups, name), f"group {name}")
            self.keys(group, GROUP_KEYS, f"group {name}")
            chance = group.get("chance", 1)
            if not isinstance(chance, (int, float)) or not 0 <= chance <= 1:
                self.add(_line(group, "chance"), P.BAD_VALUE, f"group {name}", what="chance",
                         detail=f"{chance!r} is not a probability between 0 and 1")
            if not _days(group.get("per_subject", 1)):
                self.add(_line(group, "per_subject"), P.BAD_VALUE, f"group {name}", what="per_subject",
                         detail="give a number of events or [fewest, most]")

    def event(self, event: Any, line: int, groups: Mapping[Any, Any]) -> None:
        event = self.mapping(event, line, "an event")
        name = str(event.get("name", f"at line {line}"))
        self.keys(event, EVENT_KEYS, f"event {name}")
        if "group" in event and event["group"] not in groups:
            self.add(_line(event, "group"), P.DEMO_BAD_EVENT, name, event=name,
                     detail=f"group '{event['group']}' is not defined under groups: ({', '.join(map(str, groups))})")
        if "subjects" in event and not (isinstance(event["subjects"], int) and event["subjects"] >= 0):
            self.add(_line(event, "subjects"), P.DEMO_BAD_EVENT, name, event=name,
                     detail="subjects: must be a whole number of subjects")
        chance = event.get("chance", 0)
        if not isinstance(chance, (int, float)) or not 0 <= chance <= 1:
            self.add(_line(event, "chance"), P.DEMO_BAD_EVENT, name, event=name,
                     detail="chance: must be a probability between 0 and 1")
        if "subjects" not in event and "chance" not in event and "group" not in event:
            self.add(line, P.DEMO_BAD_EVENT, name, event=name, detail="give subjects: (how many) or chance:")
        for fate in event.get("fates") or ():
            if fate not in FATES:
                self.add(_line(event, "fates"), P.DEMO_UNKNOWN_FATE, name, fate=fate, allowed=", ".join(FATES))
        arms = {a.code for a in self.study.arms} | {a.type for a in self.study.arms}
        for arm in event.get("arms") or ():
            if arm not in arms:
                self.add(_line(event, "arms"), P.UNKNOWN_ARM, name, arm=arm, allowed=", ".join(sorted(arms)))
        self.at(name, self.mapping(event.get("at"), _line(event, "at"), f"event {name} at"))
        lasts = event.get("lasts")
        if lasts is not None and lasts != "end" and not _days(lasts):
            self.add(_line(event, "lasts"), P.DEMO_BAD_EVENT, name, event=name,
                     detail="lasts: must be days, [fewest, most] or 'end'")
        values = self.mapping(event.get("values"), _line(event, "values"), f"event {name} values")
        for form, items in values.items():
            self.form_specs(form, items, _line(values, form))
        for form in event.get("in_progress") or ():
            self.known_form(form, _line(event, "in_progress"))
        log = self.mapping(event.get("log"), _line(event, "log"), f"event {name} log")
        for form, entries in log.items():
            if form not in self.study.logs:
                self.add(_line(log, form), P.DEMO_NOT_A_LOG, name, form=form, allowed=", ".join(self.study.logs))
                continue
            for entry in entries if isinstance(entries, list) else [entries]:
                self.form_specs(form, entry, _line(log, form))

    def at(self, name: str, at: Mapping[Any, Any]) -> None:
        self.keys(at, AT_KEYS, f"event {name} at")
        if "day" in at and not _days(at["day"]):
            self.add(_line(at, "day"), P.DEMO_BAD_EVENT, name, event=name, detail="at.day: must be a day or [a, b]")
        if at.get("from", "day0") not in ("day0", "consent"):
            self.add(_line(at, "from"), P.DEMO_BAD_EVENT, name, event=name, detail="at.from: use day0 or consent")
        if "form" in at:
            self.known_form(at["form"], _line(at, "form"))
        if "visit" in at and at["visit"] not in {v.code for v in self.study.visits}:
            self.add(_line(at, "visit"), P.UNKNOWN_VISIT, name, visit=at["visit"],
                     allowed=", ".join(v.code for v in self.study.visits))

    def correction(self, fix: Mapping[Any, Any]) -> None:
        self.keys(fix, CORRECTION_KEYS, "correction")
        if "visit" in fix and fix["visit"] not in {v.code for v in self.study.visits}:
            self.add(_line(fix, "visit"), P.UNKNOWN_VISIT, "correction", visit=fix["visit"],
                     allowed=", ".join(v.code for v in self.study.visits))
        if "form" in fix and self.known_form(fix["form"], _line(fix, "form")) and "item" in fix:
            self.known_item(fix["form"], fix["item"], _line(fix, "item"))

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
        line = _line(spec, next(iter(spec), None)) or line
        for key in spec:
            if key not in BASE_KEYS and key not in MODIFIER_KEYS:
                self.add(_line(spec, key), P.DEMO_BAD_SPEC, where, item=where,
                         detail=f"unknown key '{key}'{did_you_mean(str(key), BASE_KEYS + MODIFIER_KEYS)}")
        bases = [k for k in BASE_KEYS if k in spec]
        if len(bases) > 1:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail=f"give one of {', '.join(bases)}, not several")
        for base in bases[:1]:
            getattr(self, "_" + base)(form, item, where, spec, spec[base], _line(spec, base))

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
            at = _line(given, day)
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
            self.spec(form, item, spec.get(key, default), _line(spec, key) or line)

    def _from(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        self.known_ref(given, form, line)
        for key in ("map", "steps"):
            cases = spec.get(key)
            if cases is None:
                continue
            for case, value in self.mapping(cases, _line(spec, key), f"{where} {key}").items():
                if key == "steps" and case != "default" and not isinstance(case, (int, float)):
                    self.add(_line(cases, case), P.DEMO_BAD_SPEC, where, item=where,
                             detail=f"step {case!r} is not a number")
                self.spec(form, item, value, _line(cases, case))

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
            self.code(where, item, code, _line(given, code))
            self.known_ref(ref, form, _line(given, code))
        if "none" in spec:
            self.spec(form, item, spec["none"], _line(spec, "none"))

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
        cases = self.mapping(spec.get("map"), _line(spec, "map"), f"{where} map")
        for trend, value in cases.items():
            if trend not in TRENDS:
                self.add(_line(cases, trend), P.DEMO_BAD_SPEC, where, item=where,
                         detail=f"change '{trend}' is not one of {', '.join(TRENDS)}")
            self.spec(form, item, value, _line(cases, trend))

    def _by(self, form: str, item: Item, where: str, spec: Any, given: Any, line: int) -> None:
        if given not in SELECTORS:
            self.known_ref(given, form, line)
        cases = self.mapping(spec.get("cases"), _line(spec, "cases") or line, f"{where} cases")
        if not cases:
            self.add(line, P.DEMO_BAD_SPEC, where, item=where, detail="by: needs cases:")
        for case, value in cases.items():
            if given == "fate" and case not in FATES and case != "default":
                self.add(_line(cases, case), P.DEMO_UNKNOWN_FATE, where, fate=case, allowed=", ".join(FATES))
            self.spec(form, item, value, _line(cases, case))


def _days(value: Any) -> bool:
    if isinstance(value, list):
        return len(value) == 2 and all(isinstance(x, int) for x in value)
    return isinstance(value, int)


def _is_time(value: Any) -> bool:
    try:
        return isinstance(value, str) and 0 <= as_number(value) < 24 * 60
    except ValueError:
        return False
