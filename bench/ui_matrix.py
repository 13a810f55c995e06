"""The home screen with 2,000 subjects: building the subject matrix and drawing its first screen.

Workload. 2,000 synthetic `SubjectRow`s made by the same `overview.build_row` the read service uses (the
real study's 8 visits, both arms, a tenth in screening, Day 0s spread over 400 days, a few forms in
progress and visits overdue or out of window; not timed). Timed: what the page does when it shows the
rows — a new `SubjectMatrixModel` + `SubjectFilterProxy`, the frozen-column table, sorting on the subject column,
and an offscreen `grab()` of a 1,240 × 700 view (the first screen painted). A second figure: one search
keystroke (re-filtering 2,000 rows) plus the repaint.

Floor, measured in the same run: the same steps with a trivial Python `QAbstractTableModel` of the same
shape (constant text, no roles), a plain `QTableView` and Qt's built-in sort/filter — the cost of any
Python-backed table of that size. Goals: first screen ≤ 200 ms; a keystroke ≤ 100 ms (feels instant).
"""
from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from random import Random
from typing import Any

from bench.result import Result
from bench.scale import Scale
from bench.timing import FORMS_DIR, REPO

N_SUBJECTS = 2000
GOAL_MS, KEY_GOAL_MS = 200.0, 100.0  # a keystroke: the usual "feels instant" limit
MAX_RATIO = 1.3  # both rows: at most 30 % over what Qt's own model/proxy costs
SIZE = (1240, 700)


def synthetic_rows(study, n: int = N_SUBJECTS, today: date | None = None, seed: int = 4):  # type: ignore[no-untyped-def]
    """`n` plausible matrix rows without a database (shared with tests/ui/test_matrix.py)."""
    from ecrf.services.overview import SubjectFacts, build_row
    from ecrf.study.schedule import window_of
    from ecrf.study.status import FormStatus, SubjectStatus

    today = today or date(2024, 6, 1)
    rng = Random(seed)
    rows = []
    for i in range(1, n + 1):
        screening = i % 10 == 0
        arm = None if screening else ("MSC" if i % 2 else "CTRL")
        day0 = None if screening else today - timedelta(days=rng.randrange(0, 400))
        facts = SubjectFacts(f"CN01-S{i:04d}" if screening else f"CN01-{i:04d}", f"CN01-S{i:04d}",
                             None if screening else f"CN01-{i:04d}",
                             SubjectStatus.SCREENING if screening else SubjectStatus.ENROLLED, arm, day0,
                             None, None if screening else f"R{i:04d}")
        statuses: dict[tuple[str, str, str], Any] = {}
        dates: dict[str, date] = {}
        for visit in study.visits:
            if day0 is None:
                if visit.before_day0:
                    statuses[(visit.code, visit.forms[0].form, "")] = FormStatus.COMPLETE
                    dates[visit.code] = today
                continue
            target, _earliest, latest = window_of(visit, day0)
            if latest >= today or rng.random() < 0.03:
                continue  # not yet due, or (rarely) forgotten: overdue
            dates[visit.code] = target + timedelta(days=rng.choice((0, 0, 0, 0, 0, 0, 1, -1, visit.window_after + 2)))
            done = FormStatus.IN_PROGRESS if rng.random() < 0.05 else FormStatus.COMPLETE
            for vf in visit.forms_for(arm):
                for tp in vf.timepoints or ("",):
                    statuses[(visit.code, vf.form, tp)] = done
        logs = {"AE": rng.randrange(0, 3), "CM": rng.randrange(0, 4)}
        rows.append(build_row(study, facts, statuses, dates, (), logs, today))
    return rows


def _app():  # type: ignore[no-untyped-def]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _ours(study, rows) -> Callable[[], object]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from ecrf.ui.matrix.model import COL_SUBJECT, SubjectMatrixModel
    from ecrf.ui.matrix.proxy import SubjectFilterProxy
    from ecrf.ui.matrix.view import FrozenColumnTable

    def build() -> object:
        view = FrozenColumnTable()  # owns model and proxy: one deterministic delete (see _dispose)
        model = SubjectMatrixModel(study, view)
        proxy = SubjectFilterProxy(view)
        proxy.setSourceModel(model)
        model.set_rows(rows)
        view.resize(*SIZE)
        view.setModel(proxy)
        for column in range(model.columnCount()):
            view.setColumnWidth(column, 86)
        view.horizontalHeader().setSortIndicator(COL_SUBJECT, Qt.SortOrder.DescendingOrder)
        view.setSortingEnabled(True)
        view.grab()
        return view, proxy, model

    return build


def _floor(columns: int, n: int) -> Callable[[], object]:
    from PySide6.QtCore import (
        QAbstractTableModel,
        QModelIndex,
        QSortFilterProxyModel,
        Qt,
    )
    from PySide6.QtWidgets import QTableView

    class Trivial(QAbstractTableModel):
        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else n

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else columns

        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            return f"r{index.row():04d}" if role == Qt.ItemDataRole.DisplayRole else None

    def build() -> object:
        view = QTableView()
        model = Trivial(view)
        proxy = QSortFilterProxyModel(view)
        proxy.setSourceModel(model)
        view.resize(*SIZE)
        view.setModel(proxy)
        for column in range(columns):
            view.setColumnWidth(column, 86)
        view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        view.setSortingEnabled(True)
        view.grab()
        return view, proxy, model

    return build


def _dispose(built: Any) -> None:
    """Delete the view (and the model and proxy it owns) now: left to Python's garbage collector, Qt
    objects of earlier rounds could be torn down in the middle of a later paint."""
    from shiboken6 import Shiboken

    Shiboken.delete(built[0])


def _median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    samples, last = [], None
    _dispose(fn())  # warm-up: imports, fonts, style
    for _ in range(repeat):
        if last is not None:
            _dispose(last)
        start = time.perf_counter_ns()
        last = fn()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return statistics.median(samples), last


def _keystrokes(built, search: Callable[[Any, str], None], repeat: int) -> float:  # type: ignore[no-untyped-def]
    view, proxy, _model = built
    samples = []
    for i in range(repeat):
        start = time.perf_counter_ns()
        search(proxy, "1" if i % 2 else "12")
        view.grab()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return statistics.median(samples)


def run(scale: Scale = Scale.FULL) -> list[Result]:
    import sys

    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from ecrf.study.loader import load_study

    _app()
    study = load_study(FORMS_DIR)
    rows = synthetic_rows(study)
    repeat = scale.pick(full=15, quick=3, smoke=1)
    ours_ms, ours_built = _median_ms(_ours(study, rows), repeat)
    columns = ours_built[2].columnCount()  # type: ignore[index]
    floor_ms, floor_built = _median_ms(_floor(columns, len(rows)), repeat)
    try:
        ours_key = _keystrokes(ours_built, lambda proxy, text: proxy.set_search(text), repeat * 2)
        floor_key = _keystrokes(floor_built, lambda proxy, text: proxy.setFilterFixedString(text), repeat * 2)
    finally:
        _dispose(ours_built)
        _dispose(floor_built)
    return [
        Result(f"subject matrix, {len(rows)} subjects: model + view + first screen", ours_ms, "ms", floor_ms,
               f"≤ {GOAL_MS:g} ms", ours_ms <= GOAL_MS, MAX_RATIO),
        Result("  … one search keystroke (re-filter + repaint)", ours_key, "ms", floor_key,
               f"≤ {KEY_GOAL_MS:g} ms", ours_key <= KEY_GOAL_MS, MAX_RATIO),
    ]
