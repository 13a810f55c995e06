"""Per-subject charts: which measures to plot comes from `forms/display/charts.yaml` (data, not code);
the values come from the subject's saved forms, placed by study day (date − Day 0).

The chart file sits in a subfolder of the study folder because the definition loader accepts no
unknown key in study.yaml and reads every top-level *.yaml as a form. It only affects display: the
definition fingerprint that saved forms record does not cover it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TypeGuard

from ecrf.paths import default_forms_dir
from ecrf.services.errors import ServiceError
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import find_subject, load_subject_data
from ecrf.study.model import NUMERIC_TYPES, Item, ItemType, Study, Text
from ecrf.study.subject import SubjectData
from ecrf.study.yamlsource import LineList, LineMap, YamlSyntaxError, parse_yaml

CHARTS_FILE = Path("display") / "charts.yaml"
INFUSIONS = "infusions"  # the key of the infusion-day series


class ChartDefinitionError(ServiceError):
    """The chart file is unreadable or names a form or item the study does not have."""


@dataclass(frozen=True)
class ChartDef:
    form: str
    item: str
    label: Text
    unit: Text | None
    axis: tuple[float, float] | None  # y range to show at least; widened to fit the data
    integer: bool  # whole-number values (ordinal scales, scores): integer ticks

    @property
    def key(self) -> str:
        return f"{self.form}.{self.item}"


@dataclass(frozen=True)
class InfusionDef:
    form: str
    date: str  # item holding the infusion date (the visit date when empty)
    given: str  # numeric item: the infusion counts when it is > 0
    label: Text


@dataclass(frozen=True)
class ChartSet:
    charts: tuple[ChartDef, ...]
    infusions: InfusionDef | None


@dataclass(frozen=True)
class Point:
    day: int  # study day: date − Day 0 (negative before allocation)
    value: float
    visit: str
    timepoint: str
    on: date


@dataclass(frozen=True)
class Series:
    key: str  # "FORM.ITEM", or INFUSIONS for the infusion days
    label: Text
    unit: Text | None
    points: tuple[Point, ...]
    axis: tuple[float, float] | None = None
    integer: bool = False

    @property
    def is_infusions(self) -> bool:
        return self.key == INFUSIONS


# -- the chart file ---------------------------------------------------------------------------

def load_chart_set(study: Study, folder: Path | None = None) -> ChartSet:
    """The charts of `study` from `folder`/display/charts.yaml (default: the folder the study was loaded
    from, else the bundled forms).
    No file, or a file for another study: no charts. A wrong file raises ChartDefinitionError."""
    path = (folder or study.folder or default_forms_dir()) / CHARTS_FILE
    if not path.is_file():
        return ChartSet((), None)
    try:
        doc = parse_yaml(path.read_bytes())
    except (YamlSyntaxError, OSError) as exc:
        raise ChartDefinitionError(f"{path}: {getattr(exc, 'message', None) or exc}") from None
    reader = _Reader(path, study)
    if not isinstance(doc, LineMap) or doc.get("study") != study.info.oid:
        return ChartSet((), None)  # written for another study
    charts = doc.get("charts") or LineList()
    if not isinstance(charts, list):
        reader.fail(doc.line_of("charts"), "'charts' must be a list of {form, item, label} entries")
    infusions = doc.get("infusions")
    return ChartSet(tuple(reader.chart(entry) for entry in charts),
                    reader.infusions(infusions) if infusions is not None else None)


class _Reader:
    def __init__(self, path: Path, study: Study) -> None:
        self.path, self.study = path, study

    def fail(self, line: int, what: str) -> NoReturn:
        raise ChartDefinitionError(f"{self.path}:{line}: {what}. See docs/forms-format.md, 'Charts'.")

    def item(self, entry: LineMap, key: str, form_key: str = "form") -> Item:
        form, code = str(entry.get(form_key)), str(entry.get(key))
        if form not in self.study.forms:
            self.fail(entry.line, f"there is no form '{form}' in the study")
        if not self.study.form(form).has_item(code):
            self.fail(entry.line, f"form {form} has no item '{code}'")
        return self.study.form(form).item(code)

    def text(self, entry: LineMap, key: str, default: Text | None) -> Text | None:
        raw = entry.get(key)
        if raw is None:
            return default
        if isinstance(raw, str):
            return Text(tuple((lang, raw) for lang in self.study.info.languages))
        if isinstance(raw, dict) and all(isinstance(raw.get(lang), str) for lang in self.study.info.languages):
            return Text(tuple((lang, raw[lang]) for lang in self.study.info.languages))
        langs = ", ".join(self.study.info.languages)
        self.fail(entry.line_of(key), f"'{key}' must be a text in every language ({langs})")

    def chart(self, entry: Any) -> ChartDef:
        if not isinstance(entry, LineMap):
            self.fail(getattr(entry, "line", 0), "each chart is a mapping with form, item and label")
        item = self.item(entry, "item")
        if not _plottable(item):
            self.fail(entry.line, f"item {item.code} is not a number or a numbered scale, so it cannot be plotted")
        axis = entry.get("axis")
        if axis is not None and not (isinstance(axis, list) and len(axis) == 2 and all(
                isinstance(x, (int, float)) and not isinstance(x, bool) for x in axis) and axis[0] < axis[1]):
            self.fail(entry.line_of("axis"), "'axis' must be [low, high] with low < high")
        integer = item.value_type in (ItemType.INTEGER, ItemType.SINGLE_CHOICE)
        return ChartDef(entry["form"], item.code, self.text(entry, "label", item.label),  # type: ignore[arg-type]
                        self.text(entry, "unit", item.unit), (float(axis[0]), float(axis[1])) if axis else None,
                        integer)

    def infusions(self, entry: Any) -> InfusionDef:
        if not isinstance(entry, LineMap):
            self.fail(0, "'infusions' must be a mapping with form, date, given and label")
        date_item, given = self.item(entry, "date"), self.item(entry, "given")
        if date_item.value_type is not ItemType.DATE or given.value_type not in NUMERIC_TYPES:
            self.fail(entry.line, "'date' must name a date item and 'given' a number item")
        label = self.text(entry, "label", self.study.form(entry["form"]).label)
        return InfusionDef(entry["form"], date_item.code, given.code, label)  # type: ignore[arg-type]


def _plottable(item: Item) -> bool:
    kind = item.value_type
    if kind in NUMERIC_TYPES:
        return True
    return kind is ItemType.SINGLE_CHOICE and item.codelist is not None and item.codelist.data_type == "integer"


# -- one subject's series ---------------------------------------------------------------------

def chart_series(session: SiteSession, label: str, charts: ChartSet | None = None) -> list[Series]:
    """One series per chart (points in day order), then the infusion days when the file names them.
    A subject without Day 0 has no study days yet: every series is empty."""
    charts = charts if charts is not None else load_chart_set(session.study)
    with session.read() as db:
        subject = find_subject(db, label)
        data = load_subject_data(db, session.study, subject)
    study = session.study
    series = [Series(c.key, c.label, c.unit, _points(study, data, c.form, c.item), c.axis, c.integer)
              for c in charts.charts]
    if charts.infusions is not None:
        inf = charts.infusions
        given = _points(study, data, inf.form, inf.given, date_item=inf.date)
        series.append(Series(INFUSIONS, inf.label, None, tuple(p for p in given if p.value > 0)))
    return series


def _points(study: Study, data: SubjectData, form: str, item: str, date_item: str | None = None) -> tuple[Point, ...]:
    if data.day0 is None:
        return ()
    order = {v.code: i for i, v in enumerate(study.visits)}
    points = []
    for (visit, form_code, timepoint), values in data.forms.items():
        value = values.get(item)
        if form_code != form or visit not in order or not _is_number(value):
            continue
        on = _date_of(study, data, form, visit, values, date_item)
        if on is not None:
            points.append((on, order[visit], timepoint, Point((on - data.day0).days, float(value), visit,
                                                               timepoint, on)))
    timepoints = list(study.timepoints)
    points.sort(key=lambda p: (p[0], p[1], timepoints.index(p[2]) if p[2] in timepoints else -1))
    return tuple(p[3] for p in points)


def _date_of(study: Study, data: SubjectData, form: str, visit: str, values: Any, date_item: str | None) -> date | None:
    """When the value was measured: the form's own date (e.g. the blood sampling date), else the visit's."""
    codes = [date_item] if date_item else [i.code for i in study.form(form).items if i.value_type is ItemType.DATE]
    for code in codes:
        if type(values.get(code)) is date:
            return values[code]
    return data.visit_dates.get(visit)


def _is_number(value: Any) -> TypeGuard[int | float | Decimal]:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
