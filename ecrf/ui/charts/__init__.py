"""Per-subject charts (QtCharts): `ChartsWidget(session, label)` for the subject view's Charts tab."""
from ecrf.ui.charts.widget import ChartsWidget

__all__ = ["ChartsWidget"]
