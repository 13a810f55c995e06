"""The merged CSV files: the layout of a site bundle's `csv/` folder, with a `site` column first where the site's
file has none, written by the export's own CsvFile (the same dialect and spreadsheet guard as a site's files).

Rows come in the sources' order (site code, installation) and, within a source, in the site's own row order, so
each file is the sites' files one after the other. The data dictionary is written from the study definition,
as the site export writes it; every source was checked to be on that same definition.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.schema import Table

from ecrf.export.bundle import layout
from ecrf.export.csv.dictionary import write_dictionary
from ecrf.export.csv.safe import CsvFile
from ecrf.export.csv.wide import WideLayout
from ecrf.merge.central import schema
from ecrf.merge.outputs.errors import MergedOutputError
from ecrf.merge.outputs.sources import Source
from ecrf.study.model import Study

SITE_COLUMN = "site"
STREAM_ROWS = 5_000  # rows fetched at a time (a server-side cursor on PostgreSQL): memory stays flat


def with_site(header: Sequence[str]) -> tuple[str, ...]:
    """The merged header: the site's, with `site` put first unless the file already has it (items_long)."""
    return tuple(header) if SITE_COLUMN in header else (SITE_COLUMN, *header)


def write_csv_files(conn: Connection, study: Study, sources: list[Source], folder: Path) -> list[str]:
    """Every merged CSV file under `folder`; their paths relative to it, in the order written."""
    write_dictionary(study, folder)
    written = [layout.DICT_ITEMS, layout.DICT_CODELISTS, layout.DICT_CHECKS]
    for name, (path, header) in schema.DATA_FILES.items():
        table = schema.DATA_TABLES[name]
        with CsvFile(folder / path, with_site(header)) as out:
            for site_code, cells in table_rows(conn, table, header, sources):
                out.write(cells if SITE_COLUMN in header else (site_code, *cells))
        written.append(path)
    for code, form in study.forms.items():
        path = layout.form_csv(code)
        with CsvFile(folder / path, with_site(WideLayout(form).header)) as out:
            for site_code, cells in form_rows(conn, code, sources, len(out.header) - 1):
                out.write((site_code, *cells))
        written.append(path)
    return written


def table_rows(conn: Connection, table: Table, header: Sequence[str],
               sources: list[Source]) -> Iterator[tuple[str, list[str]]]:
    """(site code, the row's cells in the file's column order) of one data table, in the merged order."""
    columns = [table.c[name] for name in header]
    for source in sources:
        query = select(*columns).where(table.c.source == source.installation_id).order_by(table.c.row_no)
        for row in conn.execute(query.execution_options(yield_per=STREAM_ROWS)):
            yield source.site_code, list(row)


def form_rows(conn: Connection, form: str, sources: list[Source], width: int) -> Iterator[tuple[str, list[str]]]:
    """(site code, cells) of one form's wide rows, in the merged order; each row must have `width` text cells."""
    table = schema.form_rows
    for source in sources:
        query = (select(table.c.row_no, table.c.cells)
                 .where(table.c.source == source.installation_id, table.c.form == form).order_by(table.c.row_no))
        for row_no, text in conn.execute(query.execution_options(yield_per=STREAM_ROWS)):
            yield source.site_code, _cells(text, width, source, form, row_no)


def _cells(text: str, width: int, source: Source, form: str, row_no: int) -> list[str]:
    """A stored wide row, checked: the merge wrote it from a verified bundle, so anything else is damage."""
    try:
        cells = json.loads(text)
    except ValueError:
        cells = None
    if not isinstance(cells, list) or len(cells) != width or not all(isinstance(c, str) for c in cells):
        raise MergedOutputError("merged-form-row-damaged", site=source.qualifier, form=form, row=row_no)
    return cells
