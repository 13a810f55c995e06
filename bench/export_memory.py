"""Peak memory of an export against the number of subjects: it must stay flat (the writers stream).

Figure: peak RSS of a fresh process that writes a bundle of 1,000 synthetic subjects (quick: 40);
floor: the same for 100 subjects (quick: 10), in the same run. Subjects are the demo's, cloned under new
ids and streamed from a generator into the real writers (CSV, ODM, casebooks, blank CRF, manifest, zip);
the database reader streams one subject at a time by construction (ecrf.services.export_records).
Goal: ratio ≤ 1.25 (flat). The time of the big export is printed as well.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.demo_copy import demo_copy
from bench.result import Result
from bench.scale import Scale
from bench.timing import FORMS_DIR, REPO

GOAL_RATIO = 1.25

CHILD = """
import json, resource, sys, time, shutil, tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from ecrf import __version__
from ecrf.export.bundle.writer import write_bundle
from ecrf.export.bundle.identity import new_identity
from ecrf.export.records import ExportContext
from ecrf.services import export_records
from ecrf.services.auth import login
from ecrf.study.loader import load_study

count, site_db, out = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
study = load_study(Path(sys.argv[4]))
session = login(site_db, study, "nurse", "demo-nurse-2020")
with session.read() as db:
    facts, users = export_records.site_facts(db), export_records.users(db)
    templates = list(export_records.iter_subjects(db, study))
session.close()
stride = max(e.seq for s in templates for e in s.audit) + 1  # clones' events keep rising sequence numbers

def clone(n):
    s = templates[n % len(templates)]
    label = f"SYN-{n:05d}"
    audit = tuple(replace(e, subject=label, seq=n * stride + e.seq) for e in s.audit)
    return replace(s, label=label, screening_no=f"SYN-S{n:05d}", subject_id=label if s.subject_id else None,
                   audit=audit)

def subjects():
    for n in range(count):
        yield clone(n)

def events():
    for n in range(count):
        yield from clone(n).audit

identity = new_identity(facts.study_oid, facts.site_code, facts.site_name, datetime.now(UTC))
ctx = ExportContext(study=study, site=facts, users=users, identity=identity, staging=out, export_seq=1,
                    created_at="2026-11-25T09:00:00.000000Z", app_version=__version__, subject_count=count)
start = time.perf_counter()
pending = write_bundle(ctx, subjects(), events(), out, previous_sha256=None)
elapsed = time.perf_counter() - start
size = pending.partial.stat().st_size
pending.discard()
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_mb": peak_kb / 1024, "seconds": elapsed, "bytes": size}))
"""


def _child(count: int, site_db: Path, out: Path) -> dict[str, float]:
    env = {**os.environ, "ECRF_KDF_PROFILE": "fast", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(count), str(site_db), str(out), str(FORMS_DIR)],
                          capture_output=True, text=True, env=env, cwd=REPO, check=False, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run(scale: Scale = Scale.FULL) -> list[Result]:
    small, big = scale.pick(full=(100, 1000), quick=(10, 40), smoke=(2, 4))
    demo_subjects = scale.pick(full=20, quick=20, smoke=2)
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        site_db = demo_copy(demo_subjects, Path(tmp) / "demo")
        out = Path(tmp) / "out"
        out.mkdir()
        floor = _child(small, site_db, out)
        figure = _child(big, site_db, out)
    print(f"export_memory: {big} subjects in {figure['seconds']:.1f} s, bundle {figure['bytes'] / 1e6:.0f} MB; "
          f"{small} subjects in {floor['seconds']:.1f} s")
    ratio = figure["peak_mb"] / floor["peak_mb"]
    return [Result(f"export peak memory: {big} synthetic subjects vs {small}", figure["peak_mb"], "MB",
                   floor["peak_mb"], f"ratio ≤ {GOAL_RATIO:g} (flat)", ratio <= GOAL_RATIO)]
