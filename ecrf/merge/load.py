"""Loading one verified bundle's data into the central database, in the caller's transaction.

`replace_source` is the whole of "a site's newest bundle replaces that site's data": it deletes every row of
the installation from every per-source table and loads the bundle's, so what the central database holds for a
source is always exactly one bundle's files. The caller owns the transaction: a failure anywhere rolls back to
the source's previous bundle, never to a mix.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge import bundle_read
from ecrf.merge.bundle_read import BundleFacts
from ecrf.merge.central import schema
from ecrf.merge.central.db import bulk_insert
from ecrf.study.model import Study


def replace_source(conn: Connection, bundle: SafeZip, facts: BundleFacts, study: Study) -> int:
    """Replace the installation's rows with the bundle's; the number of item values loaded."""
    source = facts.installation_id
    for table in schema.PER_SOURCE_TABLES:
        conn.execute(delete(table).where(table.c.source == source))
    values = 0
    for name, table in schema.DATA_TABLES.items():
        count = bulk_insert(conn, table, _numbered(source, bundle_read.table_rows(bundle, name)))
        values = count if name == "items_long" else values
    bulk_insert(conn, schema.form_rows, _form_rows(source, bundle_read.form_rows(bundle, study)))
    bulk_insert(conn, schema.evidence_lines, _evidence(source, bundle_read.evidence_lines(bundle)))
    bulk_insert(conn, schema.source_files, ((source, *kept) for kept in bundle_read.kept_files(bundle)))
    _record_source(conn, facts)
    return values


def _numbered(source: str, rows: Iterable[Sequence[str]]) -> Iterator[tuple[Any, ...]]:
    for row_no, row in enumerate(rows, start=1):
        yield (source, row_no, *row)


def _form_rows(source: str, rows: Iterable[tuple[str, list[str]]]) -> Iterator[tuple[Any, ...]]:
    counters: dict[str, int] = {}
    for form, cells in rows:
        counters[form] = counters.get(form, 0) + 1
        yield source, form, counters[form], json.dumps(cells, ensure_ascii=False)


def _evidence(source: str, lines: Iterable[tuple[str, str]]) -> Iterator[tuple[Any, ...]]:
    counters: dict[str, int] = {}
    for path, line in lines:
        counters[path] = counters.get(path, 0) + 1
        yield source, path, counters[path], line


def _record_source(conn: Connection, facts: BundleFacts) -> None:
    """The installation's record now names this bundle; an alarm raised on it before stays (a later good bundle
    does not make a refused fork go away)."""
    sources = schema.sources
    alarm = conn.execute(select(sources.c.alarm).where(sources.c.installation_id == facts.installation_id)).scalar()
    conn.execute(delete(schema.sources).where(schema.sources.c.installation_id == facts.installation_id))
    conn.execute(insert(schema.sources).values(
        installation_id=facts.installation_id, site_code=facts.site_code, site_name=facts.site_name,
        study_oid=facts.study_oid, definition_fingerprint=facts.definition_fingerprint,
        certificate_sha256=facts.certificate_sha256, export_sequence=facts.sequence,
        manifest_sha256=facts.manifest_sha256, bundle_sha256=facts.bundle_sha256, head_seq=facts.head_seq,
        head_hash=facts.head_hash, created_at=facts.created_at, data_as_of=facts.data_as_of,
        site_state=facts.site_state, alarm=alarm))
