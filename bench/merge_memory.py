"""Peak memory of a merge against the number of bundles: it must stay flat (one bundle's rows stream at a time).

Figure: the tracemalloc peak (memory Python allocates; the databases' own caches are bounded by their settings)
while 100 sources (quick: 20) are loaded from a real 50-subject bundle (quick: 10), one transaction each, into
a fresh central database; floor: the same for 10 sources (quick: 2), in the same run, on the same target. One
source is loaded before tracing starts, so imports and statement caches are not counted. The loading is slower
while traced: its times mean nothing here. Goal: ratio ≤ 1.25 (flat).
"""
from __future__ import annotations

import tempfile
import tracemalloc
from pathlib import Path

from bench.merge_site import TARGETS, BenchBundle, bench_bundle, central, load_sources
from bench.result import Result
from bench.scale import Scale
from ecrf.merge.central.db import open_central

GOAL_RATIO = 1.25
MB = 1024 * 1024


def run(scale: Scale = Scale.FULL) -> list[Result]:
    subjects, small, big = scale.pick(full=(50, 10, 100), quick=(10, 2, 20), smoke=(1, 1, 2))
    data = bench_bundle(subjects)
    results = []
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        for kind in TARGETS:
            floor = _peak_mb(kind, Path(tmp), data, small)
            figure = _peak_mb(kind, Path(tmp), data, big)
            print(f"merge_memory: {kind}: peak {figure:.1f} MB loading {big} bundles, {floor:.1f} MB loading {small}")
            results.append(Result(f"merge peak memory into {kind}: {big} bundles vs {small}", figure, "MB", floor,
                                  f"ratio ≤ {GOAL_RATIO:g} (flat)", figure / floor <= GOAL_RATIO))
    return results


def _peak_mb(kind: str, folder: Path, data: BenchBundle, sources: int) -> float:
    """The traced peak while `sources` sources load into a fresh database of `kind` (only what is allocated
    after tracing starts is traced)."""
    with central(kind, folder) as target:
        engine = open_central(target)
        try:
            load_sources(engine, data, 1, first=sources)  # warm-up: imports, compiled statements, connection
            tracemalloc.start()
            try:
                load_sources(engine, data, sources)
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        finally:
            engine.dispose()
    return peak / MB
