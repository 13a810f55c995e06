"""Merge throughput: loading site bundles into the central database, SQLite and PostgreSQL, in item values/s.

Figure: 100 sources (quick: 20) loaded from a real 50-subject bundle (quick: 10) with `replace_source`, one
transaction per bundle as the merge does (delete the installation's rows, read the zip's CSV files, undo the
spreadsheet guard, insert every row of every table). Floor: the same rows, read from the bundle beforehand, put
into a fresh database of the same layout the barest way, in one transaction: sqlite3 executemany of a prepared
INSERT, psycopg's binary COPY on PostgreSQL. Goal: ≥ 0.5× the floor's rate.
The verification of a bundle (`verify_bundle`: signatures, seals, replay) is NOT in these figures: it is timed
once per bundle and printed, with the estimate for all the bundles.
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

GOAL_RATIO = 0.5

Rows = list[tuple[Table, list[tuple[Any, ...]]]]  # per table: its rows, every column but `source`


def run(scale: Scale = Scale.FULL) -> list[Result]:
    subjects, sources = scale.pick(full=(50, 100), quick=(10, 20), smoke=(1, 2))
    data = bench_bundle(subjects)
    rows = bundle_rows(data)
    values = sources * len(dict(rows)[schema.DATA_TABLES["items_long"]])
    results = []
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        for kind in TARGETS:
            with central(kind, Path(tmp)) as target, opened(target) as engine:
                raw_s = _timed(lambda: raw_insert(engine, rows, sources, data))  # noqa: B023 (called at once)
            with central(kind, Path(tmp)) as target, opened(target) as engine:
                merge_s = _timed(lambda: load_sources(engine, data, sources))  # noqa: B023 (called at once)
            print(f"merge_throughput: {kind}: {sources} bundles × {subjects} subjects, {values} item values: "
                  f"loaded in {merge_s:.1f} s ({merge_s / sources * 1000:.0f} ms a bundle), raw insert {raw_s:.1f} s")
            figure, floor = values / merge_s, values / raw_s
            results.append(Result(f"merge load into {kind}: {sources} bundles × {subjects} subjects (no verify)",
                                  figure, "values/s", floor, f"≥ {GOAL_RATIO:g}× raw bulk insert",
                                  figure / floor >= GOAL_RATIO))
    verify_s = _timed(lambda: _verified(data))
    print(f"merge_throughput: verify_bundle takes {verify_s:.1f} s a bundle (measured once, not in the figures "
          f"above): {sources} bundles ≈ {verify_s * sources:.0f} s of verification besides the loading")
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


def _verified(data: BenchBundle) -> None:
    verdict = verify_bundle(data.path)
    if not verdict.ok:
        raise RuntimeError(f"the benchmark's bundle does not verify: {verdict.problems}")


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
