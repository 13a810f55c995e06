"""Per-subject charts: which measures to plot is the study's chart set (`Study.charts`, read from
`forms/display/charts.yaml` and checked by the study loader, see `ecrf.study.charts`); the values come
from the subject's saved forms, placed by study day (date − Day 0).

The band behind a measure is the item's expected range from the definition (`range: soft:`, the range whose
crossing the form asks the user to confirm); an item without one has no band. The definition holds no
laboratory normal ranges, so the band is named "expected range", not "normal range"."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, TypeGuard

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.services.session import SiteSession
from ecrf.services.subject_data import find_subject, load_subject_data
from ecrf.store.models import FormInstance, ItemValue, Subject
from ecrf.study.charts import ChartDef, ChartSet
from ecrf.study.findings import F
from ecrf.study.model import Item, ItemType, Study, Text
from ecrf.study.subject import SubjectData

INFUSIONS = "infusions"  # the key of the infusion-day series


@dataclass(frozen=True)
class Point:
    day: int  # study day: date − Day 0 (negative before allocation)
    value: float
    visit: str
    timepoint: str
    on: date
    outside: bool = False  # outside the item's expected range
    confirmed: bool = False  # ... and the user confirmed it at entry (the soft check was overridden)


@dataclass(frozen=True)
class Series:
    key: str  # "FORM.ITEM", or INFUSIONS for the infusion days
    label: Text
    unit: Text | None
    points: tuple[Point, ...]
    axis: tuple[float, float] | None = None
    integer: bool = False
    expected: tuple[float | None, float | None] | None = None  # (low, high); an open end is None

    @property
    def is_infusions(self) -> bool:
        return self.key == INFUSIONS


# -- one subject's series ---------------------------------------------------------------------

def chart_series(session: SiteSession, label: str, charts: ChartSet | None = None) -> list[Series]:
    """One series per chart (points in day order), then the infusion days when the file names them.
    A subject without Day 0 has no study days yet: every series is empty."""
    charts = charts if charts is not None else session.study.charts
    study = session.study
    with session.read() as db:
        subject = find_subject(db, label)
        data = load_subject_data(db, study, subject)
        series = [_series(db, study, data, subject, c) for c in charts.charts]
    if charts.infusions is not None:
        inf = charts.infusions
        given = _points(study, data, inf.form, inf.given, date_item=inf.date)
        series.append(Series(INFUSIONS, inf.label, None, tuple(p for p in given if p.value > 0)))
    return series


def _series(db: Session, study: Study, data: SubjectData, subject: Subject, chart: ChartDef) -> Series:
    item = study.form(chart.form).item(chart.item)
    expected = (item.soft.low, item.soft.high) if item.soft is not None else None
    points = _points(study, data, chart.form, chart.item)
    if expected is not None:
        confirmed = _confirmed_places(db, subject, chart.form, item)
        points = tuple(_flagged(p, item, (p.visit, p.timepoint) in confirmed) for p in points)
    return Series(chart.key, chart.label, chart.unit, points, chart.axis, chart.integer, expected)


def _flagged(point: Point, item: Item, confirmed: bool) -> Point:
    assert item.soft is not None
    outside = not item.soft.contains(point.value)
    return replace(point, outside=outside, confirmed=outside and confirmed)


def _confirmed_places(db: Session, subject: Subject, form: str, item: Item) -> set[tuple[str, str]]:
    """(visit, timepoint) of the saved values of `item` whose out-of-range warning the user confirmed."""
    key = f"{item.code}:{F.OUTSIDE_SOFT.value}"  # the stored key of that confirmation (Finding.key)
    rows = db.execute(select(FormInstance.visit_code, FormInstance.timepoint, ItemValue.confirmed)
                      .join(ItemValue, ItemValue.form_pk == FormInstance.id)
                      .where(FormInstance.subject_pk == subject.id, FormInstance.form_code == form,
                             FormInstance.deleted.is_(False), ItemValue.item_code == item.code))
    return {(visit, timepoint) for visit, timepoint, keys in rows if key in (keys or "").split("\n")}


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
