"""Typed, immutable objects of a study definition (what `forms/` turns into).

Small values (texts, ranges, code items) compare by value. The objects that make up the definition itself
(items, forms, visits, ...) are `eq=False, repr=False`: each exists once per loaded study, so identity is their
equality; comparing or printing whole trees field by field is never wanted, and every generated method is
compiled at each start."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from ecrf.study.charts import NO_CHARTS, ChartSet

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

    from ecrf.study.expr import Expression
    from ecrf.study.monitoring import MonitoringPlan


class ItemType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    PARTIAL_DATE = "partial_date"
    TIME = "time"
    DATETIME = "datetime"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"
    CALCULATED = "calculated"


NUMERIC_TYPES = frozenset({ItemType.INTEGER, ItemType.DECIMAL})
DATE_TYPES = frozenset({ItemType.DATE, ItemType.PARTIAL_DATE, ItemType.DATETIME})
ROLES = ("site_admin", "investigator", "nurse", "monitor", "read_only")


@dataclass(frozen=True)
class Text:
    """A user-visible string in every language of the study."""

    values: tuple[tuple[str, str], ...]

    def get(self, lang: str) -> str:
        for code, value in self.values:
            if code == lang:
                return value
        return self.values[0][1] if self.values else ""

    @property
    def en(self) -> str:
        return self.get("en")

    @classmethod
    def of(cls, **values: str) -> Text:
        return cls(tuple(values.items()))

    def as_dict(self) -> dict[str, str]:
        return dict(self.values)


@dataclass(frozen=True)
class Source:
    """Where a piece of the definition was written, for messages."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class CodeItem:
    """One answer of a codelist: its stored code and its label."""

    code: str | int
    label: Text


@dataclass(frozen=True, eq=False, repr=False)
class Codelist:
    """A named list of coded answers."""

    name: str
    data_type: str  # "text" | "integer"
    items: tuple[CodeItem, ...]
    source: Source

    def codes(self) -> tuple[str | int, ...]:
        return tuple(ci.code for ci in self.items)

    def label_of(self, code: str | int, lang: str) -> str:
        for ci in self.items:
            if ci.code == code:
                return ci.label.get(lang)
        return str(code)


@dataclass(frozen=True)
class Range:
    """Lowest and highest accepted value; None where a side is open."""

    low: float | None
    high: float | None

    def contains(self, value: Any) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def __str__(self) -> str:
        low = format_bound(self.low)
        high = format_bound(self.high)
        return f"{low}–{high}"


def format_bound(x: float | None) -> str:
    """A range limit as people write it: 30, not 30.0; empty when open."""
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)


@dataclass(frozen=True, eq=False, repr=False)
class Criterion:
    """An inclusion or exclusion criterion that a yes/no item answers."""

    kind: str  # "inclusion" | "exclusion"
    number: int
    rule: Expression | None = None
    rule_label: Text | None = None

    @property
    def required_answer(self) -> str:
        return "Y" if self.kind == "inclusion" else "N"


@dataclass(frozen=True, eq=False, repr=False)
class Item:
    """One question of a form: its type, labels, limits and the rules that apply to it."""

    code: str
    type: ItemType
    label: Text
    cdash: str
    source: Source
    help: Text | None = None
    sdtm: str | None = None
    testcd: str | None = None
    unit: Text | None = None
    precision: int | None = None
    max_length: int = 200
    required: bool = False
    missing: tuple[str, ...] = ()
    hard: Range | None = None
    soft: Range | None = None
    codelist: Codelist | None = None
    widget: str | None = None
    show_if: Expression | None = None
    derive: Expression | None = None
    result_type: ItemType | None = None
    future_allowed: bool = False
    criterion: Criterion | None = None

    @property
    def value_type(self) -> ItemType:
        """The type of the stored value (a calculated item stores its result type)."""
        return self.result_type if self.type is ItemType.CALCULATED and self.result_type else self.type

    @property
    def is_calculated(self) -> bool:
        return self.type is ItemType.CALCULATED


@dataclass(frozen=True, eq=False, repr=False)
class Check:
    """An edit check of a form: an expression that must hold, and what to say when it does not."""

    id: str
    expr: Expression
    severity: str  # "hard" | "soft"
    items: tuple[str, ...]
    message: Text
    source: Source
    when: Expression | None = None


@dataclass(frozen=True, eq=False, repr=False)
class Form:
    """One form of the definition with its items and checks."""

    code: str
    label: Text
    domain: str
    repeating: bool
    items: tuple[Item, ...]
    checks: tuple[Check, ...]
    source: Source
    help: Text | None = None
    _by_code: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code.update({item.code: item for item in self.items})

    def item(self, code: str) -> Item:
        return self._by_code[code]

    def has_item(self, code: str) -> bool:
        return code in self._by_code

    @property
    def criteria(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.criterion is not None)

    @cached_property
    def forms_read(self) -> frozenset[tuple[str | None, str]]:
        """(visit, form) of the other forms its expressions read (skip logic, derived values, checks, eligibility
        rules); visit None is the visit being entered. What a save has to load besides the form itself."""
        expressions = [e for i in self.items for e in (i.show_if, i.derive, i.criterion and i.criterion.rule) if e]
        expressions += [e for c in self.checks for e in (c.expr, c.when) if e]
        return frozenset((k.visit, k.form) for e in expressions for k in e.refs if k.form and k.form != self.code)

    @cached_property
    def derive_order(self) -> tuple[str, ...]:
        """Calculated items, each after the calculated items it reads (the loader rejects cycles)."""
        calculated = {i.code: i.derive for i in self.items if i.derive is not None}
        order: list[str] = []

        def place(code: str, path: frozenset[str]) -> None:
            if code in order or code in path:
                return
            for dep in calculated[code].local_refs():
                if dep in calculated:
                    place(dep, path | {code})
            order.append(code)

        for code in calculated:
            place(code, frozenset())
        return tuple(order)


@dataclass(frozen=True, eq=False, repr=False)
class Arm:
    """A treatment arm."""

    code: str
    label: Text
    type: str
    planned_subjects: int | None
    description: Text | None = None


@dataclass(frozen=True, eq=False, repr=False)
class VisitForm:
    """A form asked for at a visit, possibly for some arms only, possibly at several timepoints."""

    form: str
    arms: tuple[str, ...] = ()  # empty: every arm
    timepoints: tuple[str, ...] = ()  # empty: once
    line: int = field(default=0, compare=False)  # where study.yaml asks for it, for messages

    def applies_to(self, arm: str | None) -> bool:
        return not self.arms or arm is None or arm in self.arms


@dataclass(frozen=True, eq=False, repr=False)
class Visit:
    """A visit of the schedule: its day, window and forms."""

    code: str
    label: Text
    day: int
    window_before: int
    window_after: int
    forms: tuple[VisitForm, ...]
    source: Source
    before_day0: bool = False

    def forms_for(self, arm: str | None) -> tuple[VisitForm, ...]:
        return tuple(vf for vf in self.forms if vf.applies_to(arm))


@dataclass(frozen=True, eq=False, repr=False)
class StudyInfo:
    """The study's identity: OID, version, titles, phase and languages."""

    oid: str
    version: str
    title: Text
    short_title: Text
    phase: str
    planned_subjects: int | None
    start_date: date | None
    languages: tuple[str, ...]


def _no_monitoring() -> MonitoringPlan:
    from ecrf.study.monitoring import NO_MONITORING  # the plan's module builds on this one

    return NO_MONITORING


@dataclass(frozen=True, eq=False, repr=False)
class Study:
    """The whole validated definition, immutable once loaded."""

    info: StudyInfo
    missing_codes: Mapping[str, Text]
    roles: Mapping[str, Text]
    arms: tuple[Arm, ...]
    timepoints: Mapping[str, Text]
    visits: tuple[Visit, ...]
    logs: tuple[str, ...]
    forms: Mapping[str, Form]
    codelists: Mapping[str, Codelist]
    eligibility_form: str | None = None
    allocation_form: str | None = None
    end_of_study_form: str | None = None
    end_of_study_visit: str | None = None
    fingerprint: str = ""  # SHA-256 over every definition file: two sites on the same forms agree on it
    folder: Path | None = field(default=None, compare=False)  # where it was loaded from (display files beside it)
    charts: ChartSet = field(default=NO_CHARTS, compare=False)  # display/charts.yaml: display only, not fingerprinted
    # monitoring.yaml: SDV plan, automatic queries, signature meaning, lock needs (part of the fingerprint)
    monitoring: MonitoringPlan = field(default_factory=_no_monitoring, compare=False)

    def __post_init__(self) -> None:
        # Read-only views: a loaded definition cannot be changed behind the validator's back.
        for name in ("missing_codes", "roles", "timepoints", "forms", "codelists"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    def form(self, code: str) -> Form:
        return self.forms[code]

    def visit(self, code: str) -> Visit:
        for v in self.visits:
            if v.code == code:
                return v
        raise KeyError(code)

    def arm(self, code: str) -> Arm:
        for a in self.arms:
            if a.code == code:
                return a
        raise KeyError(code)

    def visits_of_form(self, form: str) -> tuple[str, ...]:
        return tuple(v.code for v in self.visits if any(vf.form == form for vf in v.forms))
