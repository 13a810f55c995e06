"""A subject's charts (the Charts tab of the subject view): one small chart per measure in a grid.

The data are read once per `refresh()` through `ecrf.services.charts`; painting never touches the database."""
from __future__ import annotations

from html import escape as html_escape

from PySide6.QtCharts import QChartView, QLineSeries, QScatterSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import charts as charts_service
from ecrf.services.charts import Point, Series
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs
from ecrf.ui.charts.build import (
    BAND_COLOUR,
    CONFIRMED_COLOUR,
    MUTED,
    OUTSIDE_COLOUR,
    PALETTE,
    make_chart,
    point_text,
    x_range,
)
from ecrf.ui.i18n import text_lang

COLUMNS = 3


def escape(text: str) -> str:
    """Plain text inside the rich-text legend (apostrophes stay apostrophes)."""
    return html_escape(text, quote=False)


class ChartsWidget(QWidget):
    def __init__(self, session: SiteSession, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.label = session, label
        self.series: list[Series] = []
        self.views: list[QChartView] = []
        self.span = QComboBox()
        self.span.setObjectName("span")
        self.span.addItem(self.tr("Whole study"), False)
        self.span.addItem(self.tr("Up to Day 28"), True)
        self.span.currentIndexChanged.connect(lambda _i: self._draw())
        self.legend = QLabel()
        self.legend.setObjectName("legend")
        self.legend.setStyleSheet(f"color: {MUTED};")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.controls = QWidget()
        top = QHBoxLayout(self.controls)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.legend, 1)
        top.addWidget(QLabel(self.tr("Show:")))
        top.addWidget(self.span)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {MUTED}; font-size: 14pt;")
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.grid_host)
        layout = QVBoxLayout(self)
        layout.addWidget(self.controls)
        layout.addWidget(self.stack, 1)
        self.refresh()

    # -- data -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the subject's values again (after a form was saved) and redraw."""
        try:
            self.series = charts_service.chart_series(self.session, self.label)
        except Exception as exc:  # noqa: BLE001 - a broken chart file or a lost subject is shown, not raised
            self.series = []
            self._show_message(dialogs.error_text(exc))
            return
        self._draw()

    @property
    def measures(self) -> list[Series]:
        return [s for s in self.series if not s.is_infusions]

    @property
    def infusion_days(self) -> list[int]:
        return sorted({p.day for s in self.series if s.is_infusions for p in s.points})

    def has_data(self) -> bool:
        return any(s.points for s in self.measures)

    # -- drawing ----------------------------------------------------------------------------

    def _show_message(self, text: str) -> None:
        self._clear()
        self.controls.hide()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def _clear(self) -> None:
        for view in self.views:
            self.grid.removeWidget(view)
            view.deleteLater()
        self.views = []

    def _draw(self) -> None:
        if not self.measures:
            self._show_message(self.tr("No charts are defined for this study."))
            return
        if not self.has_data():
            self._show_message(self.tr("No values to chart yet. Values are placed by study day, counted from "
                                       "Day 0 (the allocation day), so charts start once the subject is allocated."))
            return
        self._clear()
        lang = text_lang()
        xs = x_range(self.measures, bool(self.span.currentData()))
        for index, series in enumerate(self.measures):
            view = QChartView(make_chart(series, PALETTE[index % len(PALETTE)], self.infusion_days, xs, lang))
            view.setObjectName(f"chart_{series.key}")
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(240, 190)
            self._hook_tooltips(view, series)
            self.views.append(view)
            self.grid.addWidget(view, index // COLUMNS, index % COLUMNS)
        self.legend.setText(self._legend_text(lang))
        self.controls.show()
        self.stack.setCurrentWidget(self.grid_host)

    def _legend_text(self, lang: str) -> str:
        """Rich text: what the axis, the dashed lines, the band and the rings mean (only those that show)."""
        parts = [escape(self.tr("Horizontal axis: study day (Day 0 = allocation)."))]
        infusions = next((s for s in self.series if s.is_infusions), None)
        if infusions is not None and self.infusion_days:  # e.g. the control arm has none: nothing to explain
            days = ", ".join(str(d) for d in self.infusion_days)
            parts.append(escape(self.tr("Dashed lines: {0} on study day {1}.").format(infusions.label.get(lang), days)))
        if any(s.expected is not None for s in self.measures):
            band = BAND_COLOUR.name()  # the swatch at full strength: the wash itself is too light for a small box
            parts.append(f'<span style="color:{band}">■</span> ' + escape(self.tr("Shaded: the expected range of the "
                                                                                "form's check.")))
        points = [p for s in self.measures for p in s.points if p.outside]
        if any(p.confirmed for p in points):
            parts.append(f'<span style="color:{CONFIRMED_COLOUR}">◯</span> ' + escape(self.tr(
                "Red ring: outside the expected range, confirmed as correct at entry.")))
        if any(not p.confirmed for p in points):
            parts.append(f'<span style="color:{OUTSIDE_COLOUR}">◯</span> ' + escape(self.tr(
                "Orange ring: outside the expected range, not confirmed yet.")))
        return " ".join(parts)

    def _hook_tooltips(self, view: QChartView, series: Series) -> None:
        lines = [s for s in view.chart().series() if isinstance(s, (QLineSeries, QScatterSeries))
                 and s.name() != "infusion"]
        for line in lines:
            line.hovered.connect(lambda at, state, s=series: self._tooltip(s, at, state))

    def _tooltip(self, series: Series, at: QPointF, state: bool) -> None:
        if not state or not series.points:
            QToolTip.hideText()
            return
        point = min(series.points, key=lambda p: (p.day - at.x()) ** 2 + (p.value - at.y()) ** 2)
        QToolTip.showText(QCursor.pos(), self.tooltip_text(series, point))

    def tooltip_text(self, series: Series, point: Point) -> str:
        lang, study = text_lang(), self.session.study
        visit = study.visit(point.visit).label.get(lang)
        timepoint = study.timepoints[point.timepoint].get(lang) if point.timepoint in study.timepoints else ""
        return point_text(series, point, lang, visit, timepoint)
