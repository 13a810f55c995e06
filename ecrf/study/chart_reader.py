"""Read `display/charts.yaml` into a ChartSet, recording each problem in the definition's catalogue
(format: docs/forms-format.md, "Charts"). Like the other readers it never raises: a wrong entry is
left out and reported, so `ecrf check-forms` lists every problem at once."""
from __future__ import annotations

from collections.abc import Collection

from ecrf.study.charts import NO_CHARTS, ChartDef, ChartSet, InfusionDef
from ecrf.study.model import NUMERIC_TYPES, Item, ItemType, Study
from ecrf.study.problems import P
from ecrf.study.reader import Reader, did_you_mean, shape_name
from ecrf.study.yamlsource import LineMap

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

FILE_KEYS = ("study", "charts", "infusions")
CHART_KEYS = ("form", "item", "label", "unit", "axis")
INFUSION_KEYS = ("form", "date", "given", "label")


def read_charts(doc: LineMap, study: Study, r: Reader, damaged: Collection[str] = ()) -> ChartSet:
    """The charts of `study` from the parsed chart file; problems go to `r`.

    `damaged` are the definition files that already have problems. A form or item the chart file names
    may be missing only because of them, so such a name is not reported as unknown: the form's own
    problem is the one to fix, and check-forms checks the name again once the form loads cleanly."""
    r.keys(doc, FILE_KEYS, ("study",), "the chart file", "charts")
    found = doc.get("study")
    if found is None:
        return NO_CHARTS  # reported as a missing key
    if found != study.info.oid:  # its forms and items would be another study's: check nothing more
        r.add(doc.line_of("study"), P.CHART_WRONG_STUDY, "charts", found=found, oid=study.info.oid)
        return NO_CHARTS
    reader = _ChartReader(r, study, frozenset(damaged))
    entries = r.sequence(doc["charts"], doc.line_of("charts"), "'charts'", "charts") if "charts" in doc else None
    charts = [reader.chart(raw, entries.line_of(i)) for i, raw in enumerate(entries)] if entries is not None else []
    infusions = reader.infusions(doc["infusions"], doc.line_of("infusions")) if "infusions" in doc else None
    return ChartSet(tuple(c for c in charts if c is not None), infusions)


class _ChartReader:
    def __init__(self, r: Reader, study: Study, damaged: frozenset[str]) -> None:
        self.r, self.study, self.damaged = r, study, damaged
        # A form file with problems that gave no form at all: any form name may be missing because of it.
        self.forms_lost = bool(damaged - {form.source.file for form in study.forms.values()})

    def chart(self, raw: Any, line: int) -> ChartDef | None:
        r = self.r
        m = r.mapping(raw, line, "a chart", "charts")
        if m is None:
            return None
        r.keys(m, CHART_KEYS, ("form", "item"), "a chart", "charts")
        item = self.item(m, "item")
        if item is None:
            return None
        form = str(m["form"])
        where = f"chart {form}.{item.code}"
        if not _plottable(item):
            r.add(m.line_of("item"), P.CHART_NOT_NUMERIC, where, form=form, item=item.code,
                  type=item.value_type.value)
        axis = _axis(m.get("axis"))
        if "axis" in m and axis is None:
            r.add(m.line_of("axis"), P.CHART_BAD_AXIS, where, got=_shown(m["axis"]))
        # A plain string serves every language, as for units.
        label, unit = r.unit(m, "label", "chart", where), r.unit(m, "unit", "chart", where)
        if not _plottable(item) or ("axis" in m and axis is None):
            return None
        integer = item.value_type in (ItemType.INTEGER, ItemType.SINGLE_CHOICE)
        return ChartDef(form, item.code, label or item.label, unit or item.unit, axis, integer)

    def infusions(self, raw: Any, line: int) -> InfusionDef | None:
        r = self.r
        m = r.mapping(raw, line, "'infusions'", "infusions")
        if m is None:
            return None
        r.keys(m, INFUSION_KEYS, ("form", "date", "given"), "'infusions'", "infusions")
        date_item, given = self.item(m, "date"), self.item(m, "given")
        sound = date_item is not None and given is not None
        for key, item, expected, types in (("date", date_item, "date", {ItemType.DATE}),
                                           ("given", given, "number", NUMERIC_TYPES)):
            if item is not None and item.value_type not in types:
                r.add(m.line_of(key), P.CHART_INFUSION_ITEM, "infusions", key=key, expected=expected,
                      form=m["form"], item=item.code, type=item.value_type.value)
                sound = False
        label = r.unit(m, "label", "'infusions'", "infusions")
        if not sound or date_item is None or given is None:
            return None
        form = self.study.form(str(m["form"]))
        return InfusionDef(form.code, date_item.code, given.code, label or form.label)

    def item(self, m: LineMap, key: str) -> Item | None:
        """The item named by `key` in the form named by 'form', or None (with the problem recorded)."""
        r, study = self.r, self.study
        form_code, code = r.string(m, "form", "chart", "charts"), r.string(m, key, "chart", "charts")
        if form_code is None or code is None:
            return None
        if form_code not in study.forms:
            if not self.forms_lost:
                r.add(m.line_of("form"), P.UNKNOWN_FORM, "charts", form=form_code,
                      hint=did_you_mean(form_code, study.forms))
            return None
        form = study.form(form_code)
        if not form.has_item(code):
            if form.source.file not in self.damaged:
                r.add(m.line_of(key), P.UNKNOWN_ITEM, "charts", item=code, form=form_code,
                      hint=did_you_mean(code, [i.code for i in form.items]))
            return None
        return form.item(code)


def _axis(raw: Any) -> tuple[float, float] | None:
    """[low, high] as floats, or None unless it is two numbers with low < high."""
    if isinstance(raw, list) and len(raw) == 2 and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in raw) and raw[0] < raw[1]:
        return float(raw[0]), float(raw[1])
    return None


def _shown(raw: Any) -> str:
    return str(list(raw)) if isinstance(raw, list) else shape_name(raw)


def _plottable(item: Item) -> bool:
    """A number, or a single choice whose codes are whole numbers (an ordinal scale such as WHO 0–8)."""
    kind = item.value_type
    if kind in NUMERIC_TYPES:
        return True
    return kind is ItemType.SINGLE_CHOICE and item.codelist is not None and item.codelist.data_type == "integer"
