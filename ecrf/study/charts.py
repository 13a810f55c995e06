"""What the subject charts show, as read from the study folder's `display/charts.yaml`.

Display only: the chart file changes no data and no check, so the definition fingerprint that saved
forms record does not cover it. It sits in a subfolder because every top-level *.yaml is a form. The
study loader reads it (`ecrf.study.chart_reader`) and reports its problems with the rest of the
definition; `ecrf.services.charts` reads the subjects' values for these charts."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:  # model.py imports this module for Study.charts
    from ecrf.study.model import Text

CHARTS_FILE = Path("display") / "charts.yaml"  # relative to the study folder


@dataclass(frozen=True)
class ChartDef:
    """One small chart: a number (or numbered scale) item of a form, placed by study day."""

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
    """The days to mark on every chart: when `given` (a number item) of `form` was above 0."""

    form: str
    date: str  # item holding the infusion date (the visit date when empty)
    given: str
    label: Text


@dataclass(frozen=True, eq=False, repr=False)
class ChartSet:
    """Every chart of the study and the infusion chart, if there is one."""

    charts: tuple[ChartDef, ...]
    infusions: InfusionDef | None


NO_CHARTS = ChartSet((), None)  # a study without a chart file
