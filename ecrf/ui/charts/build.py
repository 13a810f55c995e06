"""One small QChart per measure: values over study day, infusion days as dashed vertical lines, the item's
expected range as a shaded band, and values outside it ringed (red when the user confirmed them at entry).

Everything here works on the plain values of `ecrf.services.charts.Series`; nothing reads the database."""
from __future__ import annotations

import math

from PySide6.QtCharts import QAreaSeries, QChart, QLineSeries, QScatterSeries, QValueAxis, QXYSeries
from PySide6.QtCore import QCoreApplication, QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QApplication

from ecrf.services.charts import Point, Series
from ecrf.ui.charts.units import display_unit

# Okabe–Ito colours: told apart with the common colour-vision deficiencies, dark enough on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#B07D00", "#4B8FC4")
INFUSION_COLOUR = "#6E6E6E"
MUTED = "#6E6E6E"
BAND_COLOUR = QColor(0, 158, 115, 38)  # a light green wash: seen behind the line, never hiding it
CONFIRMED_COLOUR = "#B00020"  # outside the expected range and confirmed at entry
OUTSIDE_COLOUR = "#E69F00"  # outside the expected range, not (yet) confirmed (a draft)
BAND, CONFIRMED, OUTSIDE = "expected", "confirmed", "outside"  # series names (the measure's line has its title)


def x_range(all_series: list[Series], first_weeks_only: bool) -> tuple[float, float]:
    """From the day before Day 0 (or the first screening value) to Day 28 or the last value."""
    days = [p.day for s in all_series for p in s.points]
    low = min(-1, min(days, default=0) - 1)
    last = max(days, default=0)
    # a little room after the last day so its marker is not cut in half by the plot's edge
    high = 28 + 1.5 if first_weeks_only else max(28, last) * 1.03 + 1
    return float(low), float(high)


def nice_step(span: float, ticks: int = 5) -> float:
    """A tick interval of 1, 2 or 5 × 10^k giving about `ticks` intervals over `span`."""
    raw = max(span, 1e-9) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def y_range(series: Series) -> tuple[float, float]:
    values = [p.value for p in series.points]
    if series.axis is not None:
        low, high = series.axis
        return min(low, *values) if values else low, max(high, *values) if values else high
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    return low - pad, high + pad


def unit_of(series: Series, lang: str) -> str:
    return display_unit(series.unit.get(lang)) if series.unit is not None else ""


def title_of(series: Series, lang: str) -> str:
    unit = unit_of(series, lang)
    return f"{series.label.get(lang)} ({unit})" if unit else series.label.get(lang)


def point_text(series: Series, point: Point, lang: str, visit_label: str, timepoint_label: str) -> str:
    """The tooltip of one point: value, unit, study day, visit and date; whether it is out of range."""
    unit = unit_of(series, lang)
    value = f"{point.value:g}"
    where = f"{visit_label}, {timepoint_label}" if timepoint_label else visit_label
    text = QCoreApplication.translate("Charts", "{0} {1} on day {2} ({3}, {4})").format(
        value, unit, point.day, where, point.on.isoformat())
    if point.outside:
        text += "\n" + (QCoreApplication.translate("Charts", "Outside the expected range {0}; confirmed at entry.")
                        if point.confirmed else
                        QCoreApplication.translate("Charts", "Outside the expected range {0}; not confirmed yet."))\
            .format(range_text(series))
    return text


def range_text(series: Series) -> str:
    low, high = series.expected or (None, None)
    return f"{'' if low is None else f'{low:g}'}–{'' if high is None else f'{high:g}'}"


def make_chart(series: Series, colour: str, infusion_days: list[int], xs: tuple[float, float], lang: str) -> QChart:
    chart = QChart()
    chart.legend().hide()
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 2, 4, 2))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    title_font = QFont(QApplication.font())
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.setTitle(title_of(series, lang) if series.points else
                   QCoreApplication.translate("Charts", "{0}  –  no data yet").format(title_of(series, lang)))
    x_axis, y_axis = _x_axis(xs), _y_axis(series)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    low, high = y_axis.min(), y_axis.max()
    if series.expected is not None:
        _add(chart, _band(series.expected, xs, (low, high)), x_axis, y_axis)
    for day in infusion_days:
        if xs[0] <= day <= xs[1]:
            _add(chart, _infusion_line(day, low, high), x_axis, y_axis)
    line = QLineSeries()
    line.setName(title_of(series, lang))
    line.setPen(QPen(QColor(colour), 2))
    line.setPointsVisible(True)
    line.setMarkerSize(5)
    for point in series.points:
        line.append(QPointF(point.day, point.value))
    _add(chart, line, x_axis, y_axis)
    for name, colour, confirmed in ((CONFIRMED, CONFIRMED_COLOUR, True), (OUTSIDE, OUTSIDE_COLOUR, False)):
        flagged = [p for p in series.points if p.outside and p.confirmed is confirmed]
        if flagged:
            _add(chart, _rings(name, colour, flagged), x_axis, y_axis)
    return chart


def _band(expected: tuple[float | None, float | None], xs: tuple[float, float],
          ys: tuple[float, float]) -> QAreaSeries:
    """The expected range across the whole plot; an open end (or one beyond the axis) stops at the axis."""
    low = ys[0] if expected[0] is None else min(max(expected[0], ys[0]), ys[1])
    high = ys[1] if expected[1] is None else max(min(expected[1], ys[1]), ys[0])
    upper, lower = QLineSeries(), QLineSeries()
    for x in xs:
        upper.append(QPointF(x, high))
        lower.append(QPointF(x, low))
    band = QAreaSeries(upper, lower)
    for edge in (upper, lower):  # the area does not own its edges: without a parent Python deletes them
        edge.setParent(band)
    band.setName(BAND)
    band.setBrush(QBrush(BAND_COLOUR))
    band.setPen(QPen(Qt.PenStyle.NoPen))
    return band


def _rings(name: str, colour: str, points: list[Point]) -> QScatterSeries:
    """Open rings around the flagged values: bigger than the line's dots, so they show in print and in grey."""
    rings = QScatterSeries()
    rings.setName(name)
    rings.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
    rings.setMarkerSize(13)
    rings.setColor(QColor(0, 0, 0, 0))
    rings.setBorderColor(QColor(colour))
    rings.setPen(QPen(QColor(colour), 2.5))
    for point in points:
        rings.append(QPointF(point.day, point.value))
    return rings


def _add(chart: QChart, line: QXYSeries | QAreaSeries, x_axis: QValueAxis, y_axis: QValueAxis) -> None:
    chart.addSeries(line)
    line.attachAxis(x_axis)
    line.attachAxis(y_axis)


def _infusion_line(day: int, low: float, high: float) -> QLineSeries:
    line = QLineSeries()
    line.setName("infusion")
    pen = QPen(QColor(INFUSION_COLOUR), 1.5, Qt.PenStyle.DashLine)
    line.setPen(pen)
    line.append(QPointF(day, low))
    line.append(QPointF(day, high))
    return line


def _axis_font() -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(max(font.pointSizeF() - 1, 8))
    return font


def _x_axis(xs: tuple[float, float]) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(*xs)
    span = xs[1] - xs[0]
    step = 7 if span <= 40 else 14 if span <= 80 else 30 if span <= 240 else 60
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%d")
    axis.setLabelsFont(_axis_font())
    axis.setTitleText(QCoreApplication.translate("Charts", "Study day"))
    axis.setTitleFont(_axis_font())
    axis.setTitleBrush(QBrush(QColor(MUTED)))
    return axis


def _y_axis(series: Series) -> QValueAxis:
    low, high = y_range(series)
    step = nice_step(high - low)
    if series.integer:  # ordinal scales: a tick for every grade up to ten grades
        step = 1.0 if high - low <= 10 else max(1.0, round(step))
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    axis = QValueAxis()
    axis.setRange(low, high)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    decimals = 0 if step >= 1 else min(3, -math.floor(math.log10(step)))
    axis.setLabelFormat(f"%.{decimals}f")
    axis.setLabelsFont(_axis_font())
    return axis
