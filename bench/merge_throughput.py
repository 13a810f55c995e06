"""Merge throughput into the central database, SQLite and PostgreSQL, in item values/s: two rows per target.

- "merge load" (the loading step alone): 100 sources (quick: 20) loaded from a real 50-subject bundle (quick:
  10) with `replace_source`, one transaction per bundle as the merge does (delete the installation's rows, read
  the zip's CSV files, undo the spreadsheet guard, insert every row of every table). No verification.
- "whole merge" (verify + load: what a sponsor waits for on a first merge): the same sources, each taken as
  `merge_bundles` takes a bundle: hashed (on threads), copied to a private folder, verified (`verify_bundle`
  against the registered certificate: zip safety, signatures, seals, electronic signatures, the trail's replay,
  ODM) ahead in worker processes as the merge does (`ecrf.merge.verify_ahead`: one per CPU unless
  ECRF_MERGE_WORKERS says otherwise), then loaded as above, one after the other. Left out (small next to these):
  the continuity decision, the conflict check and the log row.
Floor of both: the same rows, read from the bundle beforehand, put into a fresh database of the same layout the
barest way, in one transaction: sqlite3 executemany of a prepared INSERT, psycopg's binary COPY on PostgreSQL.
Goal: ≥ 0.5× the floor's rate. It compares the merge with a raw insert of the same rows, read here as the loading
step's efficiency; the whole merge (about 0.2× on 2 cores with its verification in 2 worker processes, 0.1×
in-process: verification is most of it) is held to it too, so that the table shows plainly what a first merge
costs (docs/merge-bench.md).
"""
from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table

from bench.merge_site import TARGETS, BenchBundle, as_source, bench_bundle, central, load_sources
from bench.result import Result
from bench.scale import Scale
from ecrf.export.verify.bundle import verify_bundle
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge import bundle_read
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.intake import discard, hash_all, private_copy
from ecrf.merge.load import replace_source
from ecrf.merge.verify_ahead import VerifyAhead

GOAL_RATIO = 0.5

Rows = list[tuple[Table, list[tuple[Any, ...]]]]  # per table: its rows, every column but `source`


def run(scale: Scale = Scale.FULL) -> list[Result]:
    subjects, sources = scale.pick(full=(50, 100), quick=(10, 20), smoke=(1, 2))
    data = bench_bundle(subjects)
    rows = bundle_rows(data)
    values = sources * len(dict(rows)[schema.DATA_TABLES["items_long"]])
    trust = _registered(data)
    results = []
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        for kind in TARGETS:
            with central(kind, Path(tmp)) as target, opened(target) as engine:
                raw_s = _timed(lambda: raw_insert(engine, rows, sources, data))  # noqa: B023 (called at once)
            with central(kind, Path(tmp)) as target, opened(target) as engine:
                load_s = _timed(lambda: load_sources(engine, data, sources))  # noqa: B023 (called at once)
            with central(kind, Path(tmp)) as target, opened(target) as engine:
                whole_s = _timed(lambda: merge_whole(engine, data, sources, trust, Path(tmp)))  # noqa: B023
            print(f"merge_throughput: {kind}: {sources} bundles × {subjects} subjects, {values} item values: "
                  f"loaded in {load_s:.1f} s ({load_s / sources * 1000:.0f} ms a bundle), verified and loaded in "
                  f"{whole_s:.1f} s ({whole_s / sources * 1000:.0f} ms a bundle), raw insert {raw_s:.1f} s")
            floor = values / raw_s
            size = f"{sources} bundles × {subjects} subjects"
            for name, seconds in ((f"merge load into {kind}: {size} (no verify)", load_s),
                                  (f"whole merge into {kind}: {size} (verify + load)", whole_s)):
                results.append(Result(name, values / seconds, "values/s", floor, f"≥ {GOAL_RATIO:g}× raw bulk insert",
                                      values / seconds / floor >= GOAL_RATIO))
    return results


def _timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@contextmanager
def opened(target: str) -> Iterator[Engine]:
    """The central database at `target`, its tables made (not timed: both the figure and the floor start here)."""
    engine = open_central(target)
    try:
        yield engine
    finally:
        engine.dispose()


def _registered(data: BenchBundle) -> str:
    """The signer's certificate fingerprint, as the sponsor registered it (`--trust FINGERPRINT`; not timed)."""
    verdict = verify_bundle(data.path)
    if not verdict.ok or verdict.fingerprint is None:
        raise RuntimeError(f"the benchmark's bundle does not verify: {verdict.problems}")
    return verdict.fingerprint


def merge_whole(engine: Engine, data: BenchBundle, sources: int, trust: str, folder: Path) -> None:
    """Sources 0 … sources-1 as `merge_bundles` takes the bundles: every file hashed, then each copied to a private
    folder (hashed again as it is written) and the copy verified against the registered certificate ahead in
    worker processes (`VerifyAhead`, as the engine does), and one after the other its facts read and its rows
    loaded from the copy in one transaction."""
    work = folder / "work"
    work.mkdir(exist_ok=True)
    hashed = hash_all([data.path] * sources)
    ahead = VerifyAhead([(n, data.path, sha256) for n, sha256 in enumerate(hashed)], trust, work, private_copy,
                        verify_bundle)
    try:
        for number in range(sources):
            taken = ahead.take(number, data.path)
            try:
                verdict = ahead.verdict(taken)
                if not (verdict.ok and verdict.signer_trusted):
                    raise RuntimeError(f"the benchmark's bundle does not verify against its certificate: "
                                       f"{verdict.problems}")
                with SafeZip(taken.copy) as bundle, engine.begin() as conn:
                    facts = as_source(bundle_read.bundle_facts(bundle, taken.sha256), number)
                    replace_source(conn, bundle, facts, data.study)
            finally:
                discard(taken.copy)
    finally:
        ahead.close()


def bundle_rows(data: BenchBundle) -> Rows:
    """Every row `replace_source` inserts for one source, read once (cells restored, forms as JSON arrays)."""
    with SafeZip(data.path) as bundle:
        rows: Rows = [(table, [(n, *r) for n, r in enumerate(bundle_read.table_rows(bundle, name), start=1)])
                      for name, table in schema.DATA_TABLES.items()]
        forms = bundle_read.form_rows(bundle, data.study)
        rows.append((schema.form_rows, _numbered_within((f, json.dumps(c, ensure_ascii=False)) for f, c in forms)))
        rows.append((schema.evidence_lines, _numbered_within(bundle_read.evidence_lines(bundle))))
        rows.append((schema.source_files, list(bundle_read.kept_files(bundle))))
    return rows


def _numbered_within(pairs: Iterable[tuple[str, str]]) -> list[tuple[Any, ...]]:
    """(key, n, value): rows numbered within their form or file, as the central tables hold them."""
    counters: dict[str, int] = {}
    out = []
    for key, value in pairs:
        counters[key] = counters.get(key, 0) + 1
        out.append((key, counters[key], value))
    return out


def raw_insert(engine: Engine, rows: Rows, sources: int, data: BenchBundle) -> None:
    """The floor: every source's rows into an empty central database in one transaction, straight through the
    driver (sqlite3 executemany of a prepared INSERT; psycopg's binary COPY)."""
    with engine.begin() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for number in range(sources):
            source = as_source(data.facts, number).installation_id
            for table, table_rows in rows:
                _insert(conn, cursor, table, _with_source(source, table_rows))


def _with_source(source: str, rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    return ((source, *row) for row in rows)


def _insert(conn: Connection, cursor: Any, table: Table, rows: Iterator[Sequence[Any]]) -> None:
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    if conn.dialect.name == "postgresql":  # binary COPY, PostgreSQL's fastest way in
        with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN (FORMAT BINARY)') as copy:
            copy.set_types([c.type.compile(dialect=conn.dialect).lower() for c in table.columns])
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(f'INSERT INTO "{table.name}" ({columns}) VALUES ({", ".join("?" * len(table.columns))})',
                           rows)
