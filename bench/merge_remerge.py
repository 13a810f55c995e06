"""Re-merging unchanged bundles: what `ecrf merge` costs when every bundle given was merged before.

Figure: the median time to re-merge 100 bundle files (smoke: 3) that the central database already holds, on
SQLite and on PostgreSQL. The files are byte-for-byte copies of one real 50-subject bundle (quick: 10 subjects),
so each is "the same bundle again"; they were just written, so they are in the page cache (a warm re-run).
With the merge engine (`ecrf.merge.engine.merge_bundles`) that is the real command's work: the bundle is merged
once (verified, loaded; not timed), then the 100 copies are given to it and each must come back "already
merged". Without the engine, the cost that dominates it is measured instead: the SHA-256 of every file and one
look-up of it in the `bundles` table, where the merge records each file it merged.
Floor: reading the same files without hashing them. Goal: ≤ 1 s for 100 bundles.
"""
from __future__ import annotations

import importlib
import shutil
import tempfile
from pathlib import Path
from types import ModuleType

from sqlalchemy import Connection, insert, select

from bench.merge_site import TARGETS, BenchBundle, bench_bundle, central
from bench.result import Result
from bench.scale import Scale
from bench.timing import warm_median_ms
from ecrf.export.verify.bundle import verify_bundle
from ecrf.merge.bundle_read import file_sha256
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central

GOAL_S = 1.0
READ_PIECE = 1 << 20


def run(scale: Scale = Scale.FULL) -> list[Result]:
    subjects, count, repeat = scale.pick(full=(50, 100, 5), quick=(10, 100, 3), smoke=(1, 3, 1))
    data = bench_bundle(subjects)
    engine_module = _merge_engine()
    how = "merge_bundles" if engine_module else "SHA-256 + look-up (no merge engine yet)"
    results = []
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        copies = _copies(data.path, Path(tmp) / "given", count)
        floor_ms = warm_median_ms(lambda: _read_all(copies), repeat)
        for kind in TARGETS:
            with central(kind, Path(tmp)) as target:
                if engine_module is not None:
                    figure_ms = _with_engine(engine_module, target, data, copies, repeat)
                else:
                    figure_ms = _hash_and_look_up(target, data, copies, repeat)
            print(f"merge_remerge: {kind}: {count} unchanged bundles of {data.path.stat().st_size / 1e6:.1f} MB "
                  f"re-merged in {figure_ms:.0f} ms ({how}); reading them alone {floor_ms:.0f} ms")
            results.append(Result(f"re-merge {count} unchanged bundles into {kind}", figure_ms / 1000, "s",
                                  floor_ms / 1000, f"≤ {GOAL_S:g} s", figure_ms / 1000 <= GOAL_S))
    return results


def _merge_engine() -> ModuleType | None:
    """The merge engine, when this tree has it (it is built beside this benchmark)."""
    try:
        return importlib.import_module("ecrf.merge.engine")
    except ModuleNotFoundError:
        return None


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


def _with_engine(engine_module: ModuleType, target: str, data: BenchBundle, copies: list[Path],
                 repeat: int) -> float:
    """The real re-merge: merge the bundle once, then time merging the copies, each already merged."""
    trust = verify_bundle(data.path).fingerprint  # the signer's certificate, as the sponsor registered it
    first = engine_module.merge_bundles(target, [data.path], trust, data.study)
    if [b.outcome for b in first.bundles] != ["accepted"]:
        raise RuntimeError(f"the benchmark's bundle did not merge: {first.bundles}")

    def remerge() -> None:
        again = engine_module.merge_bundles(target, copies, trust, data.study)
        if {b.outcome for b in again.bundles} != {"already merged"}:
            raise RuntimeError(f"an unchanged bundle was merged again: {again.bundles[:3]}")

    return warm_median_ms(remerge, repeat)


def _hash_and_look_up(target: str, data: BenchBundle, copies: list[Path], repeat: int) -> float:
    """What re-merging costs at the least: each file's SHA-256, and one look-up of it among the merged files."""
    engine = open_central(target)
    try:
        with engine.begin() as conn:
            _record_merged(conn, data)

        def remerge() -> None:
            with engine.connect() as conn:
                for path in copies:
                    found = conn.execute(select(schema.bundles.c.outcome).where(
                        schema.bundles.c.bundle_sha256 == file_sha256(path))).scalar()
                    if found != "accepted":
                        raise RuntimeError(f"{path.name} is not among the merged files")

        return warm_median_ms(remerge, repeat)
    finally:
        engine.dispose()


def _record_merged(conn: Connection, data: BenchBundle) -> None:
    facts = data.facts
    conn.execute(insert(schema.bundles).values(
        bundle_sha256=facts.bundle_sha256, file_name=data.path.name, installation_id=facts.installation_id,
        site_code=facts.site_code, study_oid=facts.study_oid, export_sequence=facts.sequence,
        head_seq=facts.head_seq, head_hash=facts.head_hash, manifest_sha256=facts.manifest_sha256,
        created_at=facts.created_at, data_as_of=facts.data_as_of, outcome="accepted", alarm=False))
