"""The subject's charts: one small chart per measure, infusion days marked, a message when there is nothing."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCharts import QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter

from ecrf.services import charts as charts_service
from ecrf.services.charts import Point, Series
from ecrf.services.overview import subject_rows
from ecrf.study.model import Text
from ecrf.ui.charts import ChartsWidget
from ecrf.ui.charts.build import BAND, CONFIRMED, OUTSIDE, make_chart, nice_step, x_range


def _subject(session, arm: str | None, with_day0: bool = True) -> str:  # type: ignore[no-untyped-def]
    return next(r.label for r in subject_rows(session) if (r.day0 is not None) == with_day0
                and (arm is None or r.arm == arm) and r.status.value in ("completed", "screen_failure"))


def _measure_lines(view: QChartView) -> list[QLineSeries]:
    return [s for s in view.chart().series() if s.name() not in ("infusion", BAND, CONFIRMED, OUTSIDE)]


def _infusion_lines(view: QChartView) -> list[QLineSeries]:
    return [s for s in view.chart().series() if s.name() == "infusion"]


def _x_axis(view: QChartView) -> QValueAxis:
    axis = view.chart().axes(Qt.Orientation.Horizontal)[0]
    assert isinstance(axis, QValueAxis)
    return axis


def test_six_small_charts_in_a_grid_with_the_stored_values(qtbot, session):
    label = _subject(session, "MSC")
    widget = ChartsWidget(session, label)
    qtbot.addWidget(widget)
    assert [v.objectName() for v in widget.views] == [
        "chart_VS.TEMP", "chart_VS.OXYSAT", "chart_VS.RESP", "chart_CS.WHOSCALE", "chart_LB.LYMPH", "chart_CT.CTTOTAL"]
    positions = [widget.grid.getItemPosition(widget.grid.indexOf(v))[:2] for v in widget.views]
    assert positions == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    series = {s.key: s for s in charts_service.chart_series(session, label)}
    for view in widget.views:
        assert view.renderHints() & QPainter.RenderHint.Antialiasing
        [line] = _measure_lines(view)
        expected = series[view.objectName().removeprefix("chart_")].points
        assert [(p.x(), p.y()) for p in line.points()] == [(float(p.day), p.value) for p in expected]
    assert widget.views[0].chart().title() == "Body temperature (°C)"
    assert widget.stack.currentWidget() is widget.grid_host


def test_infusion_days_are_dashed_lines_on_every_chart(qtbot, session):
    widget = ChartsWidget(session, _subject(session, "MSC"))
    qtbot.addWidget(widget)
    days = widget.infusion_days
    assert len(days) == 3 and days[0] == 0
    for view in widget.views:
        lines = _infusion_lines(view)
        assert [line.points()[0].x() for line in lines] == [float(d) for d in days]
        assert all(line.pen().style() == Qt.PenStyle.DashLine for line in lines)
    assert f"Dashed lines: MSC infusion on study day {', '.join(map(str, days))}." in widget.legend.text()


def test_the_control_arm_has_no_infusion_lines(qtbot, session):
    widget = ChartsWidget(session, _subject(session, "CTRL"))
    qtbot.addWidget(widget)
    assert widget.infusion_days == [] and all(_infusion_lines(v) == [] for v in widget.views)
    assert "Dashed" not in widget.legend.text()


def test_the_day_axis_covers_the_study_or_the_first_four_weeks(qtbot, session):
    widget = ChartsWidget(session, _subject(session, "MSC"))
    qtbot.addWidget(widget)
    last = max(p.day for s in widget.measures for p in s.points)
    axis = _x_axis(widget.views[0])
    assert axis.min() <= -1 and axis.max() > last >= 170
    widget.span.setCurrentIndex(1)
    axis = _x_axis(widget.views[0])
    assert axis.min() <= -1 and 28 < axis.max() < 31


def test_a_subject_without_values_shows_a_message(qtbot, session):
    widget = ChartsWidget(session, _subject(session, None, with_day0=False))
    qtbot.addWidget(widget)
    assert widget.views == [] and widget.stack.currentWidget() is widget.message
    assert "No values to chart yet" in widget.message.text()
    assert widget.controls.isHidden()


def test_an_unknown_subject_is_a_message_not_a_crash(qtbot, session):
    widget = ChartsWidget(session, "NOBODY")
    qtbot.addWidget(widget)
    assert "no subject 'NOBODY'" in widget.message.text()


def test_painting_reads_nothing(qtbot, session, monkeypatch):
    widget = ChartsWidget(session, _subject(session, "MSC"))
    qtbot.addWidget(widget)
    widget.resize(1280, 700)

    def no_reads(*_args):  # type: ignore[no-untyped-def]
        raise AssertionError("the database was read while painting")

    monkeypatch.setattr(charts_service, "chart_series", no_reads)
    monkeypatch.setattr(session, "read", no_reads)
    assert not widget.grab().isNull()
    widget.span.setCurrentIndex(1)  # switching the range redraws from what was read
    assert len(widget.views) == 6


def test_titles_follow_the_definition_language(qtbot, session):
    from ecrf.ui.i18n import install_language

    install_language("zh_CN")
    widget = ChartsWidget(session, _subject(session, "MSC"))
    qtbot.addWidget(widget)
    titles = [v.chart().title() for v in widget.views]
    assert titles[0] == "体温 (°C)" and titles[3] == "WHO临床改善序贯量表"


def test_a_measure_without_values_says_so_in_its_title(qapp):
    empty = Series("VS.TEMP", Text.of(en="Body temperature", zh="体温"), Text.of(en="°C", zh="°C"), ())
    chart = make_chart(empty, "#0072B2", [], (-1.0, 28.0), "en")
    assert chart.title() == "Body temperature (°C)  –  no data yet"


def test_the_tooltip_names_value_day_visit_and_date(qtbot, session):
    widget = ChartsWidget(session, _subject(session, "MSC"))
    qtbot.addWidget(widget)
    temp = widget.measures[0]
    point = next(p for p in temp.points if p.timepoint == "PRE")
    text = widget.tooltip_text(temp, point)
    assert text.startswith(f"{point.value:g} °C on day {point.day} (")
    assert "Pre-infusion" in text and point.on.isoformat() in text


@pytest.mark.parametrize(("span", "step"), [(8, 2), (10, 2), (25, 5), (2.5, 0.5), (0.9, 0.2)])
def test_tick_steps_are_round_numbers(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_the_range_starts_before_the_first_screening_value():
    point = Point(-3, 1.0, "SCR", "", date(2020, 2, 1))
    series = Series("X.Y", Text.of(en="x"), None, (point,))
    assert x_range([series], False) == (-4.0, x_range([series], False)[1])
    assert x_range([series], True)[1] == pytest.approx(29.5)
