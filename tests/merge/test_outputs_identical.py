"""Identical merged data give byte-identical data sets: twice, after loading in another order, and from
PostgreSQL as from SQLite."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from ecrf.export.bundle import layout
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.central.schema import DATA_FILES
from ecrf.merge.outputs.manifest import MANIFEST_JSON, MANIFEST_TXT
from ecrf.merge.outputs.sources import merged_sources
from ecrf.merge.outputs.xpt_files import VARIABLES_CSV
from ecrf.merge.outputs.xpt_plan import plan
from tests.merge.merged_set import export, files_of, fill_central


@pytest.fixture(scope="module")
def reference(tmp_path_factory, multi_site, study):  # type: ignore[no-untyped-def]
    """The data set of the five sites' newest bundles, loaded in site order into SQLite."""
    root = tmp_path_factory.mktemp("merged-reference")
    central = fill_central(root / "central.db", multi_site.newest(), study)
    return central, files_of(export(central, root / "set", study).folder)


@pytest.mark.req("MERGE-OUT")
def test_exporting_twice_gives_the_same_bytes(tmp_path, reference, study) -> None:  # type: ignore[no-untyped-def]
    central, first = reference
    again = files_of(export(central, tmp_path / "again", study).folder)
    assert again == first
    expected = {*(path for path, _ in DATA_FILES.values()), layout.DICT_ITEMS, layout.DICT_CODELISTS,
                layout.DICT_CHECKS, *(layout.form_csv(code) for code in study.forms), layout.ODM,
                *(dataset.file for dataset in plan(study)), VARIABLES_CSV, MANIFEST_TXT, MANIFEST_JSON}
    assert set(first) == expected


@pytest.mark.req("MERGE-OUT")
def test_any_loading_order_and_older_bundles_replaced_give_the_same_bytes(tmp_path, reference, multi_site,
                                                                          study) -> None:  # type: ignore[no-untyped-def]
    _, first = reference
    # every bundle, newest sites first and each site's exports backwards then the newest again
    order = [b for site in reversed(multi_site.sites) for b in (*reversed(site.bundles), site.bundles[-1])]
    central = fill_central(tmp_path / "shuffled.db", order, study)
    assert files_of(export(central, tmp_path / "set", study).folder) == first


@pytest.mark.req("MERGE-OUT")
@pytest.mark.req("MERGE-PG")
def test_sqlite_and_postgresql_give_the_same_bytes(tmp_path, central_target, reference, multi_site,
                                                   study) -> None:  # type: ignore[no-untyped-def]
    _, first = reference
    central = fill_central(central_target, list(reversed(multi_site.newest())), study)
    assert files_of(export(central, tmp_path / "set", study).folder) == first


@pytest.mark.req("MERGE-OUT")
def test_sites_are_ordered_by_code_point_whatever_the_databases_collation(central_target, multi_site,
                                                                           study) -> None:  # type: ignore[no-untyped-def]
    central = fill_central(central_target, [s.bundles[-1] for s in multi_site.sites[:3]], study)
    engine = open_central(central)
    with engine.begin() as conn:
        for old, new in (("CN01", "cn-1"), ("CN02", "CN2"), ("CN03", "Cn3")):  # a locale collation sorts these
            conn.execute(update(schema.sources).where(schema.sources.c.site_code == old).values(site_code=new))
        order = [source.site_code for source in merged_sources(conn, study, central)]
    engine.dispose()
    assert order == ["CN2", "Cn3", "cn-1"]
