"""`ecrf export` of the 20-subject demo: CSV, ODM, casebooks, blank CRF, manifest, signatures, zip.

Figure: median wall time of `ecrf.services.export.export_bundle` on a copy of a fresh demo site (quick:
one run). Floor: reading the same data out of the database into export records (what any export pays
before it writes a byte), in the same run. Goal: ≤ 3 s.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.demo_copy import demo_copy
from bench.result import Result
from bench.scale import Scale
from bench.timing import FORMS_DIR
from ecrf.services import export_records
from ecrf.services.auth import login
from ecrf.services.export import export_bundle
from ecrf.study.loader import load_study

GOAL_S, MAX_RATIO = 3.0, 2.0


def run(scale: Scale = Scale.FULL) -> list[Result]:
    runs = scale.pick(full=3, quick=1, smoke=1)
    subjects = scale.pick(full=20, quick=20, smoke=2)
    study = load_study(FORMS_DIR)
    exports: list[float] = []
    reads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        for i in range(runs):
            site = Path(tmp) / f"site{i}"
            demo_copy(subjects, site)
            out = Path(tmp) / f"out{i}"
            out.mkdir()
            session = login(site / "site.db", study, "nurse", "demo-nurse-2020")
            try:
                start = time.perf_counter()
                with session.read() as db:
                    for _ in export_records.iter_subjects(db, study):
                        pass
                    for _ in export_records.iter_audit(db):
                        pass
                reads.append(time.perf_counter() - start)
                start = time.perf_counter()
                export_bundle(session, out)
                exports.append(time.perf_counter() - start)
            finally:
                session.close()
    figure, floor = statistics.median(exports), statistics.median(reads)
    return [Result(f"ecrf export: {subjects}-subject demo bundle", figure, "s", floor, f"≤ {GOAL_S:g} s",
                   figure <= GOAL_S, MAX_RATIO)]
