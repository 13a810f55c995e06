"""Opening a form in the desktop app, and the memory the app holds after many forms.

Figures (in a fresh process, offscreen, on a demo site logged in as the nurse):
- open a form: `FormEditorPage(session, ref)` constructed, shown at 1280×760 and the events processed, for
  the vital signs (VS) and laboratory (LB) forms of the demo's visits, p50 and p95. After log-in the
  session's objects are frozen out of the garbage collector's way as the app does (ecrf.ui.long_lived).
  Floor: a bare widget with as many label + line-edit rows as the form has items, built and shown the
  same way (what Qt itself costs for that many fields). Goal: ≤ 100 ms.
- memory: VmRSS after opening 50 forms one after another (each closed and deleted before the next, as
  the main window's Back does). Floor: VmRSS before the first form (app, study, session, demo made).
  Goal: ≤ 250 MB.

FormEditorPage is imported lazily: while it is not written, this benchmark says so and gives no row.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.result import Result
from bench.scale import Scale
from bench.timing import FORMS_DIR, REPO
from bench.unlock import kdf_profile

GOAL_MS, P95_MAX_RATIO = 100.0, 4.0
GOAL_MB = 250.0
FORMS = ("VS", "LB")


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc), else the peak from getrusage."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _settle() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _timed_show(make: Callable[[], Any]) -> int:
    from PySide6.QtCore import QCoreApplication

    start = time.perf_counter_ns()
    widget = make()
    widget.resize(1280, 760)
    widget.show()
    QCoreApplication.processEvents()
    elapsed = time.perf_counter_ns() - start
    widget.hide()
    widget.deleteLater()
    _settle()
    return elapsed


def _bare_form(rows: int):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QScrollArea, QWidget

    area = QScrollArea()
    inner = QWidget()
    layout = QFormLayout(inner)
    for i in range(rows):
        layout.addRow(QLabel(f"Item {i}"), QLineEdit())
    area.setWidget(inner)
    area.setWidgetResizable(True)
    return area


def _refs(session) -> list[Any]:  # type: ignore[no-untyped-def]
    """VS and LB of every visit that is due or done, in the demo's order."""
    from ecrf.services.overview import CellState, subject_rows
    from ecrf.services.subject_data import FormRef

    refs = []
    for row in subject_rows(session):
        for cell in row.cells:
            if cell.state is CellState.NOT_DUE:
                continue
            refs.extend(FormRef(row.label, cell.code, f.form, f.timepoint) for f in cell.forms if f.form in FORMS)
    return refs


def run(scale: Scale = Scale.FULL) -> list[Result]:
    """Measured in a fresh process, so the memory figure is the app's own (not this benchmark run's, after
    other benchmarks) and a crash of Qt cannot take the benchmark table with it."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    done = subprocess.run([sys.executable, "-c", CHILD, scale.value], capture_output=True, text=True,
                          check=False, cwd=REPO, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"ui_forms subprocess failed ({done.returncode}):\n{done.stdout[-2000:]}\n"
                           f"{done.stderr[-4000:]}")
    return [Result(**row) for row in json.loads(done.stdout.strip().splitlines()[-1])]


CHILD = """\
import dataclasses, json, sys
from bench.scale import Scale
from bench.ui_forms import child
print(json.dumps([dataclasses.asdict(r) for r in child(Scale(sys.argv[1]))]))
"""


def child(scale: Scale) -> list[Result]:
    """The measurement itself, in the subprocess."""
    from PySide6.QtCore import qInstallMessageHandler

    from ecrf.ui.app import create_app
    from ecrf.ui.form_editor.page import FormEditorPage

    create_app([])
    qInstallMessageHandler(_quiet_qt)
    return _measure(FormEditorPage, scale)


def _quiet_qt(mode, context, message: str) -> None:  # type: ignore[no-untyped-def]
    if "propagateSizeHints" not in message:  # the offscreen platform says so for every window shown
        print(f"qt: {message}", file=sys.stderr)


def _measure(page_class: Callable[..., Any], scale: Scale) -> list[Result]:
    from ecrf.demo import create_demo
    from ecrf.services.auth import login
    from ecrf.study.loader import load_study
    from ecrf.ui.long_lived import freeze_session_objects, release_session_objects

    study = load_study(FORMS_DIR)
    # 120 opens: the p95 of 60 (their 3rd slowest) moved by half from run to run on a shared machine
    opens, memory_forms, subjects = scale.pick(full=(120, 50, 20), quick=(12, 20, 4), smoke=(3, 4, 2))
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp, kdf_profile("fast"):
        db_path = create_demo(Path(tmp) / "demo" / "site.db", study, subjects=subjects).db_path
        session = login(db_path, study, "nurse", "demo-nurse-2020")
        freeze_session_objects()  # as the app does after log-in; the floor runs in the same process
        try:
            refs = _refs(session)
            if not refs:
                raise AssertionError("the demo has no due or done VS/LB forms to open")
            items = {code: len(study.form(code).items) for code in FORMS}  # type: ignore[attr-defined]
            for ref in refs[:2]:  # warm-up: imports, first layout, font caches
                _timed_show(lambda r=ref: page_class(session, r))
            baseline = rss_mb()
            pages: list[int] = []
            floors: list[int] = []
            for i in range(opens):  # interleaved, so a slow moment of the machine hits both alike
                ref = refs[i % len(refs)]
                pages.append(_timed_show(lambda r=ref: page_class(session, r)))
                floors.append(_timed_show(lambda n=items[ref.form]: _bare_form(n)))
            for i in range(memory_forms):
                ref = refs[i % len(refs)]
                _timed_show(lambda r=ref: page_class(session, r))
            memory = rss_mb()
        finally:
            release_session_objects()
            session.close()
    p50, p95 = _ms(statistics.median(pages)), _ms(_p95(pages))
    floor = _ms(statistics.median(floors))
    return [
        Result(f"ui: open a form (VS, LB), p50 of {opens}", p50, "ms", floor, f"≤ {GOAL_MS:g} ms", p50 <= GOAL_MS),
        Result(f"ui: open a form (VS, LB), p95 of {opens}", p95, "ms", _ms(_p95(floors)), f"≤ {GOAL_MS:g} ms",
               p95 <= GOAL_MS, P95_MAX_RATIO),
        Result(f"ui: memory (VmRSS) after {memory_forms} forms", memory, "MB", baseline, f"≤ {GOAL_MB:g} MB",
               memory <= GOAL_MB),
    ]


def _p95(samples: list[int]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(ns: float) -> float:
    return ns / 1e6
