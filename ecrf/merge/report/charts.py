"""The report's charts, each drawn once as a reportlab `Drawing`: the PDF places it as it is and the HTML page
inlines it as SVG (`svg.inline_svg`). Text is Helvetica (codes and numbers only: names live in the tables).

Colours are the Okabe-Ito set, told apart by readers with colour-blindness; bars carry their values.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

WIDTH, HEIGHT = 500, 210
FONT, SIZE = "Helvetica", 7.5
PALETTE = tuple(colors.HexColor(c) for c in (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"))
LEGEND_ROWS = 12  # more series than this: the legend names the first ones, the table has them all
MAX_LABELS = 10  # category labels shown on an axis; the others stay unnamed so they never overlap
PLOT_LEFT, PLOT_BOTTOM, LEGEND_WIDTH = 40, 50, 95

NamedValues = Sequence[tuple[str, Sequence[float]]]  # (series label, one value per category)


def colour(index: int) -> colors.Color:
    return PALETTE[index % len(PALETTE)]


def line_chart(categories: Sequence[str], series: NamedValues, value_label: str) -> Drawing:
    """Lines over categories (dates): cumulative counts."""
    if not categories or not series:
        return empty_chart("No data yet.")
    drawing = Drawing(WIDTH, HEIGHT)
    chart = HorizontalLineChart()
    _place(chart)
    chart.data = [tuple(values) for _, values in series]
    chart.joinedLines = 1
    for i in range(len(series)):
        chart.lines[i].strokeColor = colour(i)
        chart.lines[i].strokeWidth = 1.4
        chart.lines[i].symbol = makeMarker("FilledCircle", size=3, fillColor=colour(i), strokeColor=colour(i))
    _category_axis(chart, categories)
    _value_axis(chart, max((max(v, default=0) for _, v in series), default=0))
    drawing.add(chart)
    drawing.add(_legend([label for label, _ in series]))
    drawing.add(_axis_title(value_label))
    return drawing


def bar_chart(categories: Sequence[str], series: NamedValues, value_label: str, *, stacked: bool = False,
              percent: bool = False) -> Drawing:
    """Bars per category, one colour per series (side by side, or stacked)."""
    if not categories or not series:
        return empty_chart("No data yet.")
    drawing = Drawing(WIDTH, HEIGHT)
    chart = VerticalBarChart()
    _place(chart, legend=len(series) > 1)
    chart.data = [tuple(values) for _, values in series]
    for i in range(len(series)):
        chart.bars[i].fillColor = colour(i)
        chart.bars[i].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 6
    chart.barLabelFormat = _bar_label(percent)
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 7
    chart.barLabels.nudge = 6
    if stacked:
        chart.categoryAxis.style = "stacked"
        chart.barLabelFormat = None  # stacked segments are too thin to label: the table has the numbers
    _category_axis(chart, categories)
    top = max((sum(v[i] for _, v in series) if stacked else max(v[i] for _, v in series))
              for i in range(len(categories)))
    _value_axis(chart, 100 if percent else top * 1.1)
    drawing.add(chart)
    if len(series) > 1:
        drawing.add(_legend([label for label, _ in series]))
    drawing.add(_axis_title(value_label))
    return drawing


def empty_chart(text: str) -> Drawing:
    drawing = Drawing(WIDTH, 40)
    drawing.add(String(WIDTH / 2, 16, text, fontName=FONT, fontSize=9, fillColor=colors.grey, textAnchor="middle"))
    return drawing


def _bar_label(percent: bool) -> object:
    def label(value: float) -> str:
        return f"{value:.0f}%" if percent else f"{value:g}"
    return label


def _place(chart: HorizontalLineChart | VerticalBarChart, *, legend: bool = True) -> None:
    chart.x, chart.y = PLOT_LEFT, PLOT_BOTTOM
    chart.width = WIDTH - PLOT_LEFT - (LEGEND_WIDTH if legend else 15)
    chart.height = HEIGHT - PLOT_BOTTOM - 15


def _category_axis(chart: HorizontalLineChart | VerticalBarChart, categories: Sequence[str]) -> None:
    every = max(1, math.ceil(len(categories) / MAX_LABELS))
    axis = chart.categoryAxis
    axis.categoryNames = [c if i % every == 0 or i == len(categories) - 1 else ""
                          for i, c in enumerate(categories)]
    axis.labels.fontName, axis.labels.fontSize = FONT, SIZE
    axis.labels.angle, axis.labels.boxAnchor, axis.labels.dy = 30, "ne", -2
    axis.strokeColor = colors.grey


def _value_axis(chart: HorizontalLineChart | VerticalBarChart, top: float) -> None:
    step = _nice_step(top)
    axis = chart.valueAxis
    axis.valueMin, axis.valueStep = 0, step
    axis.valueMax = max(step, step * math.ceil(top / step))
    axis.labels.fontName, axis.labels.fontSize = FONT, SIZE
    axis.labelTextFormat = "%d" if step >= 1 else "%g"
    axis.strokeColor = colors.grey
    axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = 1, colors.Color(0.88, 0.88, 0.88), 0.5


def _nice_step(top: float) -> float:
    """An integer step that gives at most about six gridlines."""
    if top <= 5:
        return 1
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _legend(labels: Sequence[str]) -> Legend:
    legend = Legend()
    legend.x, legend.y = WIDTH - LEGEND_WIDTH + 8, HEIGHT - 15
    legend.alignment, legend.deltay, legend.dx, legend.dy = "right", 11, 8, 8
    legend.fontName, legend.fontSize = FONT, SIZE
    legend.columnMaximum, legend.boxAnchor = LEGEND_ROWS, "nw"
    pairs = [(colour(i), _short(label)) for i, label in enumerate(labels[:LEGEND_ROWS])]
    if len(labels) > LEGEND_ROWS:
        pairs[-1] = (colors.white, f"+{len(labels) - LEGEND_ROWS + 1} more")
    legend.colorNamePairs = pairs
    return legend


def _short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def _axis_title(text: str) -> Group:
    """The value axis's name, written upwards along the left edge (a group turned 90°: (x, y) -> (-y, x))."""
    middle = PLOT_BOTTOM + (HEIGHT - PLOT_BOTTOM - 15) / 2
    title = String(middle, -8, text, fontName=FONT, fontSize=SIZE, fillColor=colors.Color(0.3, 0.3, 0.3),
                   textAnchor="middle")
    group = Group(title)
    group.rotate(90)
    return group
