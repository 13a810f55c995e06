"""Run by test_engine_kill in a subprocess: `ecrf merge`'s engine, except that the loader stops half-way through
the item values of the Nth bundle it loads (after some rows went into the database), writes a marker file and
waits to be killed.

    python kill_merge.py TARGET TRUST FORMS MARKER N BUNDLE...
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ecrf.merge import load
from ecrf.merge.central import db
from ecrf.merge.engine import merge_bundles
from ecrf.study.loader import load_study

ROWS_BEFORE_PAUSE = 250
db.CHUNK_ROWS = 100  # SQLite: some chunks of the values are written before the pause, not only queued


def main(target: str, trust: str, forms: str, marker: str, pause_at: str, *bundles: str) -> None:
    real_insert = load.bulk_insert
    loads = 0

    def pausing_insert(conn: Any, table: Any, rows: Iterable[Sequence[Any]]) -> int:
        nonlocal loads
        if table.name == "items_long":
            loads += 1
            if loads == int(pause_at):
                rows = _pause_after(rows, Path(marker))
        return real_insert(conn, table, rows)

    load.bulk_insert = pausing_insert  # type: ignore[assignment]
    merge_bundles(target, [Path(b) for b in bundles], trust, load_study(Path(forms)))


def _pause_after(rows: Iterable[Sequence[Any]], marker: Path) -> Iterator[Sequence[Any]]:
    for number, row in enumerate(rows, start=1):
        yield row
        if number == ROWS_BEFORE_PAUSE:
            marker.touch()
            time.sleep(600)  # killed long before


if __name__ == "__main__":
    main(*sys.argv[1:])
