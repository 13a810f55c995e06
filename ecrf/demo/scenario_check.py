"""Check the demo scenario against the study definition, in the definition's problem catalogue.

Reported like a definition problem (`file:line: [code] where: message`), by `ecrf check-forms` and
before a demo is made: unknown keys, fates, forms, items, arms and visits; values outside an item's
hard range or not in its codelist; specs that could not be evaluated.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ecrf.demo.scenario import FATES, SCENARIO_PATH, read_raw, scenario_file
from ecrf.demo.spec_check import SpecChecker, days_given, line_of
from ecrf.study.model import Study
from ecrf.study.problems import P, Problem
from ecrf.study.yamlsource import YamlSyntaxError

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


class _Checker(SpecChecker):
    """The scenario's sections: fates, logs, forms, groups, events, correction."""

    # -- sections -------------------------------------------------------------------------------

    def check(self, raw: Any) -> None:
        top = self.mapping(raw, 1, "the scenario")
        self.keys(top, TOP_KEYS, "the scenario")
        self.fates(self.mapping(top.get("fates"), line_of(top, "fates"), "fates"))
        forms = self.mapping(top.get("forms"), line_of(top, "forms"), "forms")
        for form, items in forms.items():
            self.form_specs(form, items, line_of(forms, form))
        self.logs(self.mapping(top.get("logs"), line_of(top, "logs"), "logs"))
        events = top.get("events") or []
        if not isinstance(events, list):
            self.add(line_of(top, "events"), P.WRONG_SHAPE, "events", what="events", expected="a list",
                     got=type(events).__name__)
            events = []
        groups = self.mapping(top.get("groups"), line_of(top, "groups"), "groups")
        self.groups(groups)
        for i, event in enumerate(events):
            self.event(event, line_of(events, i), groups)
        self.correction(self.mapping(top.get("correction"), line_of(top, "correction"), "correction"))

    def fates(self, fates: Mapping[Any, Any]) -> None:
        for fate, rule in fates.items():
            line = line_of(fates, fate)
            if fate not in FATES:
                self.add(line, P.DEMO_UNKNOWN_FATE, str(fate), fate=fate, allowed=", ".join(FATES))
                continue
            rule = self.mapping(rule, line, f"fate {fate}")
            self.keys(rule, FATE_KEYS, f"fate {fate}")
            share = rule.get("share", 0)
            if not isinstance(share, (int, float)) or not 0 <= share <= 1:
                self.add(line_of(rule, "share"), P.BAD_VALUE, f"fate {fate}", what="share",
                         detail=f"{share!r} is not a fraction between 0 and 1")
            if "day" in rule and not isinstance(rule["day"], int):
                self.add(line_of(rule, "day"), P.BAD_VALUE, f"fate {fate}", what="day",
                         detail=f"{rule['day']!r} is not a whole study day")
            for form in rule.get("forms_at_end") or ():
                self.known_form(form, line_of(rule, "forms_at_end"))

    def logs(self, logs: Mapping[Any, Any]) -> None:
        for form, roles in logs.items():
            line = line_of(logs, form)
            if form not in self.study.logs:
                self.add(line, P.DEMO_NOT_A_LOG, str(form), form=form, allowed=", ".join(self.study.logs))
                continue
            roles = self.mapping(roles, line, f"log {form}")
            self.keys(roles, LOG_KEYS, f"log {form}")
            for role in ("start", "end", "ongoing"):
                if role in roles:
                    self.known_item(form, roles[role], line_of(roles, role))
            if "check" in roles:
                self.known_ref(roles["check"], form, line_of(roles, "check"))

    def form_specs(self, form: Any, items: Any, line: int) -> None:
        if not self.known_form(form, line):
            return
        items = self.mapping(items, line, f"form {form}")
        for code, spec in items.items():
            item = self.known_item(form, code, line_of(items, code))
            if item is not None:
                self.spec(form, item, spec, line_of(items, code))

    def groups(self, groups: Mapping[Any, Any]) -> None:
        for name, group in groups.items():
            group = self.mapping(group, line_of(groups, name), f"group {name}")
            self.keys(group, GROUP_KEYS, f"group {name}")
            chance = group.get("chance", 1)
            if not isinstance(chance, (int, float)) or not 0 <= chance <= 1:
                self.add(line_of(group, "chance"), P.BAD_VALUE, f"group {name}", what="chance",
                         detail=f"{chance!r} is not a probability between 0 and 1")
            if not days_given(group.get("per_subject", 1)):
                self.add(line_of(group, "per_subject"), P.BAD_VALUE, f"group {name}", what="per_subject",
                         detail="give a number of events or [fewest, most]")

    def event(self, event: Any, line: int, groups: Mapping[Any, Any]) -> None:
        event = self.mapping(event, line, "an event")
        name = str(event.get("name", f"at line {line}"))
        self.keys(event, EVENT_KEYS, f"event {name}")
        if "group" in event and event["group"] not in groups:
            self.add(line_of(event, "group"), P.DEMO_BAD_EVENT, name, event=name,
                     detail=f"group '{event['group']}' is not defined under groups: ({', '.join(map(str, groups))})")
        if "subjects" in event and not (isinstance(event["subjects"], int) and event["subjects"] >= 0):
            self.add(line_of(event, "subjects"), P.DEMO_BAD_EVENT, name, event=name,
                     detail="subjects: must be a whole number of subjects")
        chance = event.get("chance", 0)
        if not isinstance(chance, (int, float)) or not 0 <= chance <= 1:
            self.add(line_of(event, "chance"), P.DEMO_BAD_EVENT, name, event=name,
                     detail="chance: must be a probability between 0 and 1")
        if "subjects" not in event and "chance" not in event and "group" not in event:
            self.add(line, P.DEMO_BAD_EVENT, name, event=name, detail="give subjects: (how many) or chance:")
        for fate in event.get("fates") or ():
            if fate not in FATES:
                self.add(line_of(event, "fates"), P.DEMO_UNKNOWN_FATE, name, fate=fate, allowed=", ".join(FATES))
        arms = {a.code for a in self.study.arms} | {a.type for a in self.study.arms}
        for arm in event.get("arms") or ():
            if arm not in arms:
                self.add(line_of(event, "arms"), P.UNKNOWN_ARM, name, arm=arm, allowed=", ".join(sorted(arms)))
        self.at(name, self.mapping(event.get("at"), line_of(event, "at"), f"event {name} at"))
        lasts = event.get("lasts")
        if lasts is not None and lasts != "end" and not days_given(lasts):
            self.add(line_of(event, "lasts"), P.DEMO_BAD_EVENT, name, event=name,
                     detail="lasts: must be days, [fewest, most] or 'end'")
        values = self.mapping(event.get("values"), line_of(event, "values"), f"event {name} values")
        for form, items in values.items():
            self.form_specs(form, items, line_of(values, form))
        for form in event.get("in_progress") or ():
            self.known_form(form, line_of(event, "in_progress"))
        log = self.mapping(event.get("log"), line_of(event, "log"), f"event {name} log")
        for form, entries in log.items():
            if form not in self.study.logs:
                self.add(line_of(log, form), P.DEMO_NOT_A_LOG, name, form=form, allowed=", ".join(self.study.logs))
                continue
            for entry in entries if isinstance(entries, list) else [entries]:
                self.form_specs(form, entry, line_of(log, form))

    def at(self, name: str, at: Mapping[Any, Any]) -> None:
        self.keys(at, AT_KEYS, f"event {name} at")
        if "day" in at and not days_given(at["day"]):
            self.add(line_of(at, "day"), P.DEMO_BAD_EVENT, name, event=name, detail="at.day: must be a day or [a, b]")
        if at.get("from", "day0") not in ("day0", "consent"):
            self.add(line_of(at, "from"), P.DEMO_BAD_EVENT, name, event=name, detail="at.from: use day0 or consent")
        if "form" in at:
            self.known_form(at["form"], line_of(at, "form"))
        if "visit" in at and at["visit"] not in {v.code for v in self.study.visits}:
            self.add(line_of(at, "visit"), P.UNKNOWN_VISIT, name, visit=at["visit"],
                     allowed=", ".join(v.code for v in self.study.visits))

    def correction(self, fix: Mapping[Any, Any]) -> None:
        self.keys(fix, CORRECTION_KEYS, "correction")
        if "visit" in fix and fix["visit"] not in {v.code for v in self.study.visits}:
            self.add(line_of(fix, "visit"), P.UNKNOWN_VISIT, "correction", visit=fix["visit"],
                     allowed=", ".join(v.code for v in self.study.visits))
        if "form" in fix and self.known_form(fix["form"], line_of(fix, "form")) and "item" in fix:
            self.known_item(fix["form"], fix["item"], line_of(fix, "item"))
