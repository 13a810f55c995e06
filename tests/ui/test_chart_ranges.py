"""Charts as a ward doctor reads them: units written properly (×10⁹/L), the item's expected range as a band,
and a value outside it that the user confirmed at entry ringed in red, with legend entries that explain both."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCharts import QAreaSeries, QScatterSeries

from ecrf.services import charts as charts_service
from ecrf.services.charts import Point, Series
from ecrf.services.errors import NeedsConfirmation
from ecrf.services.forms import save_form
from ecrf.services.subject_data import FormRef
from ecrf.study.model import Text
from ecrf.ui.charts import ChartsWidget
from ecrf.ui.charts.build import BAND, CONFIRMED, OUTSIDE, make_chart, title_of
from ecrf.ui.charts.units import display_unit

pytestmark = pytest.mark.req("WARD-AUDIT-4")


@pytest.fixture
def nurse(small_demo):  # type: ignore[no-untyped-def]
    s = small_demo.login("nurse")
    yield s
    s.close()


def named(chart, name: str) -> list:  # type: ignore[no-untyped-def]
    return [s for s in chart.series() if s.name() == name]


@pytest.mark.parametrize(("typed", "shown"), [("×10^9/L", "×10⁹/L"), ("m^2", "m²"), ("10^-3 mmol", "10⁻³ mmol"),
                                              ("×10^(12)/L", "×10¹²/L"), ("°C", "°C"), ("a^b", "a^b")])
def test_units_show_powers_as_superscripts(typed: str, shown: str) -> None:
    assert display_unit(typed) == shown


def _series(expected, *points: Point) -> Series:  # type: ignore[no-untyped-def]
    return Series("LB.LYMPH", Text.of(en="Lymphocytes", zh="淋巴细胞"), Text.of(en="×10^9/L", zh="×10^9/L"), points,
                  (0.0, 2.5), False, expected)


def test_the_band_spans_the_expected_range_clipped_to_the_axis(qapp) -> None:
    chart = make_chart(_series((0.1, 8.0), Point(1, 0.8, "D1", "", date(2020, 2, 1))), "#0072B2", [], (-1.0, 28.0),
                       "en")
    assert chart.title() == "Lymphocytes (×10⁹/L)"
    [band] = named(chart, BAND)
    assert isinstance(band, QAreaSeries)
    assert [p.y() for p in band.lowerSeries().points()] == [0.1, 0.1]
    assert [p.y() for p in band.upperSeries().points()] == [2.5, 2.5], "the high end beyond the axis stops there"
    assert [p.x() for p in band.upperSeries().points()] == [-1.0, 28.0]


def test_no_band_when_the_definition_has_no_range(qapp) -> None:
    chart = make_chart(_series(None, Point(1, 0.8, "D1", "", date(2020, 2, 1))), "#0072B2", [], (-1.0, 28.0), "en")
    assert named(chart, BAND) == [] and named(chart, CONFIRMED) == [] and named(chart, OUTSIDE) == []


def test_values_outside_are_ringed_confirmed_and_not_apart(qapp) -> None:
    confirmed = Point(3, 9.5, "D3", "", date(2020, 2, 3), outside=True, confirmed=True)
    draft = Point(5, 0.05, "D5", "", date(2020, 2, 5), outside=True)
    chart = make_chart(_series((0.1, 8.0), Point(1, 0.8, "D1", "", date(2020, 2, 1)), confirmed, draft), "#0072B2",
                       [], (-1.0, 28.0), "en")
    [red] = named(chart, CONFIRMED)
    [orange] = named(chart, OUTSIDE)
    assert isinstance(red, QScatterSeries) and [(p.x(), p.y()) for p in red.points()] == [(3.0, 9.5)]
    assert [(p.x(), p.y()) for p in orange.points()] == [(5.0, 0.05)]
    assert red.borderColor() != orange.borderColor()


def _confirmed_fever(nurse) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Save a temperature above the expected range, confirmed as the form asks; (subject, timepoint)."""
    series = next(s for s in charts_service.chart_series(nurse, "DEMO-001") if s.key == "VS.TEMP")
    point = series.points[-1]
    ref = FormRef("DEMO-001", point.visit, "VS", point.timepoint)
    values = {"TEMP": Decimal("41.6")}
    reason = "Transcription error: value from the source corrected"
    try:
        save_form(nurse, ref, values, reason=reason)
    except NeedsConfirmation as needs:
        save_form(nurse, ref, values, reason=reason, confirm=[f.key for f in needs.findings])
    return point.visit, point.timepoint


def test_a_confirmed_value_outside_is_marked_and_explained(qtbot, nurse) -> None:
    visit, timepoint = _confirmed_fever(nurse)
    series = next(s for s in charts_service.chart_series(nurse, "DEMO-001") if s.key == "VS.TEMP")
    assert series.expected == (35, 41)
    [flagged] = [p for p in series.points if p.outside]
    assert (flagged.value, flagged.visit, flagged.timepoint, flagged.confirmed) == (41.6, visit, timepoint, True)
    widget = ChartsWidget(nurse, "DEMO-001")
    qtbot.addWidget(widget)
    temp = widget.views[0].chart()
    assert [(p.x(), p.y()) for p in named(temp, CONFIRMED)[0].points()] == [(flagged.day, 41.6)]
    legend = widget.legend.text()
    assert "expected range of the form's check" in legend and "confirmed as correct at entry" in legend
    assert "not confirmed yet" not in legend
    assert "confirmed at entry" in widget.tooltip_text(series, flagged)
    assert title_of(next(s for s in widget.measures if s.key == "LB.LYMPH"), "en").endswith("(×10⁹/L)")
