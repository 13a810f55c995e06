"""The demo scenario (`forms/demo/scenario.yaml`): what makes one study's demo realistic, as data.

The generator works from the definition alone; the scenario only refines it: how often each fate
occurs, per item a value spec (a course over study days, a choice, a value that follows another
item), named events (an infusion reaction, a raised liver enzyme, a medication) and which items a
log uses for its dates. The file is optional. Its format is in docs/forms-format.md ("Demo scenario");
`check_scenario` in ecrf/demo/scenario_check.py reports its problems in the definition's catalogue.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ecrf.study.model import Study
from ecrf.study.yamlsource import LineMap, YamlSyntaxError, parse_yaml

SCENARIO_PATH = Path("demo") / "scenario.yaml"
FATES = ("screening", "screen_failure", "ongoing", "completed", "withdrawn", "died")
ENDING_FATES = ("died", "withdrawn")
Spec = Any  # a value spec as written: a constant, or a mapping of spec keys (see values.py)


@dataclass(frozen=True)
class FateRule:
    """How often a fate occurs (share of the subjects) and, for an early end, on which study day."""

    share: float = 0.0
    day: int | None = None
    reason: str | None = None  # recorded when participation ends
    forms_at_end: tuple[str, ...] = ()  # forms recorded at the end even if their visit is cancelled


@dataclass(frozen=True)
class LogRoles:
    """Which items of a log form carry an entry's dates, and which yes/no item elsewhere announces it."""

    start: str | None = None
    end: str | None = None
    ongoing: str | None = None
    check: str | None = None  # FORM.ITEM answered Yes at the first visit after a new entry


@dataclass(frozen=True)
class Event:
    """Something that happens to some subjects: values at a visit and/or entries in logs."""

    name: str
    line: int
    subjects: int | None = None  # exactly this many subjects (None: by chance)
    chance: float = 0.0  # per subject, when `subjects` is not given
    pick: str = "first"  # first | last: by Day 0
    arms: tuple[str, ...] = ()  # arm codes or arm types; empty: any arm
    fates: tuple[str, ...] = ()  # empty: any allocated subject
    at: Mapping[str, Any] = field(default_factory=dict)
    lasts: Any = None  # days, [low, high], "end" (until the subject's end) or None (ongoing)
    values: Mapping[str, Mapping[str, Spec]] = field(default_factory=dict)  # form → item → spec at `at`
    in_progress: tuple[str, ...] = ()  # forms at `at` saved unfinished
    log: Mapping[str, tuple[Mapping[str, Spec], ...]] = field(default_factory=dict)
    group: str | None = None  # one of a catalogue: the group says how many of its events a subject gets


@dataclass(frozen=True)
class Group:
    """A catalogue of events (e.g. the ward's usual medications): each subject, with `chance`, gets
    `per_subject` of them (a number or [fewest, most]), picked at random among those that qualify."""

    chance: float = 1.0
    per_subject: Any = 1


@dataclass(frozen=True)
class Correction:
    """A completed value corrected afterwards with a reason, so the audit trail shows old → new."""

    visit: str | None = None
    form: str | None = None
    item: str | None = None
    plus: float = 1
    reason: str = "Transcription error: corrected from the source document"


@dataclass(frozen=True)
class Scenario:
    fates: Mapping[str, FateRule] = field(default_factory=dict)
    forms: Mapping[str, Mapping[str, Spec]] = field(default_factory=dict)
    logs: Mapping[str, LogRoles] = field(default_factory=dict)
    events: tuple[Event, ...] = ()
    groups: Mapping[str, Group] = field(default_factory=dict)
    correction: Correction = Correction()
    source: str = ""  # where it was read from, for messages

    def spec(self, form: str, item: str) -> Spec | None:
        return self.forms.get(form, {}).get(item)


DEFAULT_FATES = MappingProxyType({
    "screen_failure": FateRule(0.1), "screening": FateRule(0.05), "withdrawn": FateRule(0.05),
    "died": FateRule(0.0)})


def scenario_file(study: Study) -> Path | None:
    """The scenario beside the study definition, if there is one."""
    if study.folder is None:
        return None
    path = study.folder / SCENARIO_PATH
    return path if path.is_file() else None


def read_raw(path: Path) -> Any:
    """The scenario file as line-aware mappings (raises YamlSyntaxError)."""
    return parse_yaml(path.read_bytes())


def load_scenario(study: Study) -> Scenario:
    """The study's scenario, or an empty one (the definition alone drives the demo); logs no event
    fills get an entry now and then, so every log of any study shows data."""
    path = scenario_file(study)
    scenario = Scenario(fates=DEFAULT_FATES)
    if path is not None:
        try:
            raw = read_raw(path)
        except YamlSyntaxError:
            raw = None
        scenario = build_scenario(raw if isinstance(raw, dict) else {}, str(path))
    filled = {form for event in scenario.events for form in event.log}
    extra = tuple(_default_log_event(code) for code in study.logs if code not in filled)
    return replace(scenario, events=scenario.events + extra) if extra else scenario


def _default_log_event(form: str) -> Event:
    """Half the subjects get one entry in a log the scenario does not describe, in their first days."""
    return Event(name=f"{form} entry", line=0, chance=0.5, at=MappingProxyType({"day": [1, 10]}), lasts=[2, 10],
                 log=MappingProxyType({form: ({},)}))


def build_scenario(raw: Mapping[str, Any], source: str = "") -> Scenario:
    """A Scenario from checked raw data (entries of the wrong shape are skipped, not guessed)."""
    fates = dict(DEFAULT_FATES)
    for name, rule in _mapping(raw.get("fates")).items():
        if name in FATES and isinstance(rule, Mapping):
            fates[name] = FateRule(float(rule.get("share", fates.get(name, FateRule()).share)), rule.get("day"),
                                   rule.get("reason"), tuple(rule.get("forms_at_end") or ()))
    forms = {code: MappingProxyType(dict(items)) for code, items in _mapping(raw.get("forms")).items()
             if isinstance(items, Mapping)}
    logs = {code: LogRoles(**{k: v for k, v in roles.items() if k in ("start", "end", "ongoing", "check")})
            for code, roles in _mapping(raw.get("logs")).items() if isinstance(roles, Mapping)}
    events = tuple(_event(e, i) for i, e in enumerate(raw.get("events") or ()) if isinstance(e, Mapping))
    groups = {name: Group(float(g.get("chance", 1)), g.get("per_subject", 1))
              for name, g in _mapping(raw.get("groups")).items() if isinstance(g, Mapping)}
    fix = _mapping(raw.get("correction"))
    correction = Correction(fix.get("visit"), fix.get("form"), fix.get("item"), fix.get("plus", 1),
                            fix.get("reason", Correction.reason))
    return Scenario(MappingProxyType(fates), MappingProxyType(forms), MappingProxyType(logs), events,
                    MappingProxyType(groups), correction, source)


def _event(raw: Mapping[str, Any], index: int) -> Event:
    line = raw.line if isinstance(raw, LineMap) else 0
    log = {form: tuple(e for e in (entries if isinstance(entries, list) else [entries]) if isinstance(e, Mapping))
           for form, entries in _mapping(raw.get("log")).items()}
    return Event(
        name=str(raw.get("name", f"event {index + 1}")), line=line, subjects=raw.get("subjects"),
        chance=float(raw.get("chance", 0)), pick=str(raw.get("pick", "first")), arms=tuple(raw.get("arms") or ()),
        fates=tuple(raw.get("fates") or ()), at=MappingProxyType(dict(_mapping(raw.get("at")))),
        lasts=raw.get("lasts"), values=MappingProxyType({f: MappingProxyType(dict(v))
                                                        for f, v in _mapping(raw.get("values")).items()
                                                        if isinstance(v, Mapping)}),
        in_progress=tuple(raw.get("in_progress") or ()), log=MappingProxyType(log), group=raw.get("group"))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
