"""Loading a verified bundle into the central database: every file's rows, replaced as a whole."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from ecrf.export.bundle import layout
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import bundle_facts, file_sha256
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.load import replace_source


def _load(engine, path, study) -> None:  # type: ignore[no-untyped-def]
    with SafeZip(path) as bundle, engine.begin() as conn:
        replace_source(conn, bundle, bundle_facts(bundle, file_sha256(path)), study)


def _csv_rows(path, member: str) -> int:  # type: ignore[no-untyped-def]
    with SafeZip(path) as bundle:
        return sum(1 for _ in csv.reader(io.StringIO(bundle.read(member).decode("utf-8")))) - 1


@pytest.mark.req("MERGE-DATA")
def test_a_bundle_loads_every_row_and_a_newer_one_replaces_it(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN01")
    engine = open_central(tmp_path / "central.db")
    _load(engine, site.bundles[0], study)
    _load(engine, site.bundles[-1], study)
    with engine.connect() as conn:
        for name, (member, _) in schema.DATA_FILES.items():
            table = schema.DATA_TABLES[name]
            assert conn.execute(select(func.count()).select_from(table)).scalar() == _csv_rows(site.bundles[-1],
                                                                                             member), name
        [source] = conn.execute(select(schema.sources)).all()
    assert source.export_sequence == 3 and source.site_code == "CN01"
    assert _csv_rows(site.bundles[-1], layout.SUBJECTS) == _csv_rows(site.bundles[0], layout.SUBJECTS) + 2


@pytest.mark.req("MERGE-PG")
def test_the_same_bundle_loads_the_same_rows_into_sqlite_and_postgresql(tmp_path, pg_database, multi_site,
                                                                         study) -> None:  # type: ignore[no-untyped-def]
    bundle = multi_site.site("CN02").bundles[-1]
    tables = {}
    for target in (str(tmp_path / "central.db"), pg_database):
        engine = open_central(target)
        _load(engine, bundle, study)
        with engine.connect() as conn:
            tables[target] = {name: conn.execute(select(t).order_by(t.c.source, t.c.row_no)).all()
                              for name, t in schema.DATA_TABLES.items()}
        engine.dispose()
    sqlite_rows, pg_rows = tables.values()
    assert sqlite_rows == pg_rows and sqlite_rows["items_long"]
