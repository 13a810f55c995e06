"""Re-merging unchanged bundles: what `ecrf merge` costs when every bundle given was merged before.

Figure: the median time of `ecrf.merge.engine.merge_bundles` (what `ecrf merge` runs) given 100 bundle files
(smoke: 3) that the central database already holds, on SQLite and on PostgreSQL. The files are byte-for-byte
copies of one real 50-subject bundle (quick: 10 subjects), merged once beforehand (verified and loaded; not
timed), so each must come back "already merged": the engine hashes each file (SHA-256) and finds it among the
files it merged, without opening or verifying it. The copies were just written, so they are in the page cache
(a warm re-run). Floor: reading the same files without hashing them. Goal: ≤ 1 s for 100 bundles.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench.merge_site import TARGETS, BenchBundle, bench_bundle, central
from bench.result import Result
from bench.scale import Scale
from bench.timing import warm_median_ms
from ecrf.export.verify.bundle import verify_bundle
from ecrf.merge.engine import merge_bundles
from ecrf.merge.outcome.run import ACCEPTED, ALREADY_MERGED

GOAL_S = 1.0
READ_PIECE = 1 << 20


def run(scale: Scale = Scale.FULL) -> list[Result]:
    subjects, count, repeat = scale.pick(full=(50, 100, 5), quick=(10, 100, 3), smoke=(1, 3, 1))
    data = bench_bundle(subjects)
    results = []
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        copies = _copies(data.path, Path(tmp) / "given", count)
        floor_ms = warm_median_ms(lambda: _read_all(copies), repeat)
        for kind in TARGETS:
            with central(kind, Path(tmp)) as target:
                figure_ms = _remerge_ms(target, data, copies, repeat)
            print(f"merge_remerge: {kind}: {count} unchanged bundles of {data.path.stat().st_size / 1e6:.1f} MB "
                  f"re-merged in {figure_ms:.0f} ms; reading them alone {floor_ms:.0f} ms")
            results.append(Result(f"re-merge {count} unchanged bundles into {kind}", figure_ms / 1000, "s",
                                  floor_ms / 1000, f"≤ {GOAL_S:g} s", figure_ms / 1000 <= GOAL_S))
    return results


def _copies(bundle: Path, folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    copies = [folder / f"{n:03d}-{bundle.name}" for n in range(count)]
    for copy in copies:
        shutil.copyfile(bundle, copy)
    return copies


def _read_all(paths: list[Path]) -> None:
    for path in paths:
        with open(path, "rb") as handle:
            while handle.read(READ_PIECE):
                pass


def _remerge_ms(target: str, data: BenchBundle, copies: list[Path], repeat: int) -> float:
    """Merge the bundle once, then time merging the copies, each already merged."""
    trust = verify_bundle(data.path).fingerprint  # the signer's certificate, as the sponsor registered it
    first = merge_bundles(target, [data.path], trust, data.study)
    if [b.outcome for b in first.bundles] != [ACCEPTED]:
        raise RuntimeError(f"the benchmark's bundle did not merge: {first.bundles}")

    def remerge() -> None:
        again = merge_bundles(target, copies, trust, data.study)
        if {b.outcome for b in again.bundles} != {ALREADY_MERGED}:
            raise RuntimeError(f"an unchanged bundle was merged again: {again.bundles[:3]}")

    return warm_median_ms(remerge, repeat)
