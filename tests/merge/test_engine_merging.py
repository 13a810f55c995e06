"""Merging sets of bundles: any order of arrival gives the same tables (SQLite and PostgreSQL alike), re-merging
checks nothing again and changes nothing, and the same subject from two installations is a conflict."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from ecrf.merge import engine
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.engine import merge_bundles
from ecrf.merge.outcome.run import ACCEPTED, ALREADY_MERGED, REFUSED
from tests.merge.engine_helpers import all_trusted, central_tables, trust_file, verified_once
from tests.merge.site_bundles import EXPORTS_PER_SITE, SITE_CODES

BUNDLES = len(SITE_CODES) * EXPORTS_PER_SITE  # every site, every export: 5 × 3


def _every_bundle(multi_site):  # type: ignore[no-untyped-def]
    return [bundle for code in SITE_CODES for bundle in multi_site.site(code).bundles]


@pytest.fixture(scope="module")
def merged_in_order(tmp_path_factory, multi_site, study) -> str:  # type: ignore[no-untyped-def]
    """Every site's bundles merged in the order they were made (SQLite): the reference. Each file is verified
    for real here once; the merges of the tests below reuse those verdicts (their subject is order and target)."""
    folder = tmp_path_factory.mktemp("in-order")
    target = str(folder / "central.db")
    with pytest.MonkeyPatch.context() as patch:
        verified_once(patch)
        run = merge_bundles(target, _every_bundle(multi_site), trust_file(folder, list(multi_site.sites)), study)
    assert [o.outcome for o in run.bundles] == [ACCEPTED] * BUNDLES
    return target


@pytest.mark.req("MERGE-ORDER")
def test_any_order_of_arrival_gives_the_same_tables(tmp_path, merged_in_order, multi_site, study,
                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    verified_once(monkeypatch)
    bundles, trust = _every_bundle(multi_site), trust_file(tmp_path, list(multi_site.sites))
    expected = central_tables(merged_in_order)
    shuffled = bundles[:]
    random.Random(14).shuffle(shuffled)
    together = str(tmp_path / "shuffled.db")
    merge_bundles(together, shuffled, trust, study)
    assert central_tables(together) == expected
    one_by_one = str(tmp_path / "one-by-one.db")
    for bundle in reversed(bundles):  # newest first: the older ones arrive late and are covered
        merge_bundles(one_by_one, [bundle], trust, study)
    assert central_tables(one_by_one) == expected
    assert expected["items_long"] and len(expected["sources"]) == len(SITE_CODES)
    assert {row[0] for row in expected["sources"]} == {
        row[0] for row in central_tables(one_by_one)["sources"]}


@pytest.mark.req("MERGE-PG")
def test_postgresql_holds_what_sqlite_holds(tmp_path, pg_database, merged_in_order, multi_site, study,
                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]
    verified_once(monkeypatch)
    run = merge_bundles(pg_database, list(reversed(_every_bundle(multi_site))),
                        trust_file(tmp_path, list(multi_site.sites)), study)
    assert run.ok
    assert central_tables(pg_database) == central_tables(merged_in_order)


@pytest.mark.req("MERGE-IDEMPOTENT")
def test_merging_the_same_bundles_again_checks_nothing_and_changes_nothing(tmp_path, merged_in_order, multi_site,
                                                                          study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def never(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a file merged before was verified again")

    monkeypatch.setattr(engine, "verify_bundle", never)
    before = central_tables(merged_in_order)
    run = merge_bundles(merged_in_order, _every_bundle(multi_site), trust_file(tmp_path, list(multi_site.sites)),
                        study)
    assert [o.outcome for o in run.bundles] == [ALREADY_MERGED] * BUNDLES and run.ok
    assert central_tables(merged_in_order) == before
    assert f"{BUNDLES} bundles: {BUNDLES} already merged; central: {len(SITE_CODES)} sites, " in run.summary()


@pytest.mark.req("MERGE-CONFLICT")
def test_the_same_subject_from_two_installations_is_a_conflict_never_an_overwrite(tmp_path, central_target,
                                                                                 multi_site, study) -> None:  # type: ignore[no-untyped-def]
    cn05, twin = multi_site.site("CN05"), multi_site.twin
    trust = all_trusted(tmp_path, multi_site)
    assert merge_bundles(central_target, [cn05.bundles[-1]], trust, study).ok
    before = central_tables(central_target)
    run = merge_bundles(central_target, [twin.bundles[0]], trust, study)
    [outcome] = run.bundles
    assert outcome.outcome == REFUSED and not run.ok and not outcome.alarm
    assert "CN05-001" in outcome.reason and "already held by CN05 (installation " in outcome.reason
    assert central_tables(central_target) == before  # nothing of the twin's bundle, nothing of CN05's changed
    database = open_central(central_target, create=False)
    with database.connect() as conn:
        held_by = conn.execute(select(schema.sources.c.installation_id)).scalar_one()
        rows = conn.execute(select(schema.conflicts)).all()
    database.dispose()
    assert {row.subject for row in rows} >= {"CN05-001", "CN05-002"}
    assert {(row.held_by, row.claimed_by, row.bundle_sha256) for row in rows} == {
        (held_by, outcome.installation_id, outcome.sha256)}
    assert outcome.installation_id != held_by
