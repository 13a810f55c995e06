"""`ecrf export` of the 20-subject demo: CSV, ODM, casebooks, blank CRF, manifest, signatures, zip.

Figure: median wall time of `ecrf.services.export.export_bundle` on a copy of a fresh demo site (quick:
one run). Floor: what any export pays before it writes a byte, in the same run: the trail check that must
pass before an export may start (`integrity.require_exportable`, mandatory since "Tamper evidence") and
reading the same data out of the database into export records. Goal: ≤ 3 s and ≤ 2× the floor.

The issue set the 2× goal when the floor was the read alone (no export checked the trail then). That ratio
is printed too, as a note under the table, so the change of floor is never hidden.

Since the export writes the events its trail check read (`export_records.CheckedEvents`) instead of reading
the trail twice more, it no longer does all of the floor's read: a second note compares it with what it
does read itself (the check keeping its events, the subjects' clinical rows, the events turned into
records), the strictest reference there is for the rest of the work (layout, ODM, CSV, signatures, zip).
"""
from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.demo_copy import demo_copy
from bench.result import Result
from bench.scale import Scale
from bench.timing import FORMS_DIR
from ecrf.services import export_records, integrity
from ecrf.services.auth import login
from ecrf.services.export import export_bundle
from ecrf.services.session import SiteSession
from ecrf.study.loader import load_study
from ecrf.study.model import Study

GOAL_S, MAX_RATIO = 3.0, 2.0


def run(scale: Scale = Scale.FULL) -> list[Result]:
    runs = scale.pick(full=3, quick=1, smoke=1)
    subjects = scale.pick(full=20, quick=20, smoke=2)
    study = load_study(FORMS_DIR)
    exports: list[float] = []
    checks: list[float] = []
    reads: list[float] = []
    own_reads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        for i in range(runs):
            site = Path(tmp) / f"site{i}"
            demo_copy(subjects, site)
            out = Path(tmp) / f"out{i}"
            out.mkdir()
            session = login(site / "site.db", study, "nurse", "demo-nurse-2020")
            try:
                checks.append(_timed(integrity.require_exportable, session))
                reads.append(_timed(_read_all, session, study))
                own_reads.append(_timed(_read_as_the_export_does, session, study))
                exports.append(_timed(export_bundle, session, out))
            finally:
                session.close()
    figure, check, read = statistics.median(exports), statistics.median(checks), statistics.median(reads)
    own = statistics.median(own_reads)
    print(f"note: export vs reading alone (the floor before the trail check was mandatory): "
          f"{figure:.2f} s / {read:.2f} s = {figure / read:.1f}×; the trail check took {check:.2f} s")
    print(f"note: export vs the check and the reading it does itself (the trail read once): "
          f"{figure:.2f} s / {own:.2f} s = {figure / own:.1f}×")
    return [Result(f"ecrf export: {subjects}-subject demo bundle (floor: trail check + read)", figure, "s",
                   check + read, f"≤ {GOAL_S:g} s", figure <= GOAL_S, MAX_RATIO)]


def _timed(step: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    step(*args)
    return time.perf_counter() - start


def _read_as_the_export_does(session: SiteSession, study: Study) -> None:
    checked = export_records.CheckedEvents(integrity.require_exportable(session, keep_events=True).events)
    with session.read() as db:
        for _ in export_records.iter_subjects(db, study, checked):
            pass
    for _ in checked:
        pass


def _read_all(session: SiteSession, study: Study) -> None:
    with session.read() as db:
        for _ in export_records.iter_subjects(db, study):
            pass
        for _ in export_records.iter_audit(db):
            pass
