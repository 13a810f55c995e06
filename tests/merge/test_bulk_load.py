"""The fast paths of loading: bulk_insert streams rows in the caller's transaction on both targets, and reading a
bundle's CSV undoes the spreadsheet guard exactly whether or not a row carries it."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from ecrf.export.bundle import layout
from ecrf.export.csv.part import SUBJECTS_HEADER
from ecrf.export.csv.safe import neutralise
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import table_rows
from ecrf.merge.central import schema
from ecrf.merge.central.db import bulk_insert, open_central

TEXTS = ["=SUM(A1)", "it's", "'quoted", "-5.2", "'=x", "''", "+1 (555)", "@home", "plain", "", "中文", "a\x1f'b"]


def _rows(source: str, count: int):  # type: ignore[no-untyped-def]
    """Rows of the subjects table, streamed (a generator, as the loader gives them)."""
    width = len(SUBJECTS_HEADER)
    for n in range(1, count + 1):
        yield (source, n, *(TEXTS[(n + i) % len(TEXTS)] for i in range(width)))


@pytest.mark.req("MERGE-PG")
def test_bulk_insert_streams_every_row_exactly_in_the_callers_transaction(central_target) -> None:  # type: ignore[no-untyped-def]
    engine = open_central(central_target)
    table = schema.DATA_TABLES["subjects"]
    with engine.begin() as conn:
        assert bulk_insert(conn, table, _rows("kept", 700)) == 700
    with pytest.raises(RuntimeError), engine.begin() as conn:
        bulk_insert(conn, table, _rows("rolled-back", 50))
        raise RuntimeError("the merge failed after the insert")
    with engine.connect() as conn:
        stored = conn.execute(select(table).order_by(table.c.source, table.c.row_no)).all()
    engine.dispose()
    assert [tuple(row) for row in stored] == list(_rows("kept", 700))


@pytest.mark.req("MERGE-PG")
def test_bulk_insert_keeps_whole_files_byte_for_byte(central_target) -> None:  # type: ignore[no-untyped-def]
    engine = open_central(central_target)
    files = [("kept", "odm.xml", bytes(range(256)) * 4000), ("kept", "manifest.sig", b"\x00\\\t\n"),
             ("kept", "empty", b"")]
    with engine.begin() as conn:
        assert bulk_insert(conn, schema.source_files, iter(files)) == 3
    with engine.connect() as conn:
        stored = conn.execute(select(schema.source_files).order_by(schema.source_files.c.path)).all()
    engine.dispose()
    assert [tuple(row) for row in stored] == sorted(files, key=lambda f: f[1])


def test_reading_a_bundle_table_undoes_the_spreadsheet_guard_exactly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    width = len(SUBJECTS_HEADER)
    original = [[TEXTS[(n + i) % len(TEXTS)] for i in range(width)] for n in range(40)]
    original.append(["plain"] * width)  # a row with no guarded cell comes back as it is, too
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(SUBJECTS_HEADER)
    writer.writerows([neutralise(cell) for cell in row] for row in original)
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(layout.SUBJECTS, text.getvalue())
    with SafeZip(path) as bundle:
        assert list(table_rows(bundle, "subjects")) == original
