"""Continuity per installation, on SQLite and PostgreSQL: a newer bundle replaces the site's data, an older one is
covered, the same file again changes nothing, and a forked or rolled-back history is refused with an alarm."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import select

from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import bundle_facts, file_sha256
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.continuity import Decision, decide
from ecrf.merge.engine import merge_bundles
from ecrf.merge.outcome.run import ACCEPTED, ALREADY_MERGED, COVERED, REFUSED, SUPERSEDED
from tests.merge.engine_helpers import bundle_log, central_tables, forked_exports, trust_file, verified_once


def _outcomes(target: str, paths: list[Path], trust: str, study) -> list[tuple[str, bool]]:  # type: ignore[no-untyped-def]
    return [(o.outcome, o.alarm) for o in merge_bundles(target, paths, trust, study).bundles]


def _source(target: str, site_code: str):  # type: ignore[no-untyped-def]
    engine = open_central(target, create=False)
    try:
        with engine.connect() as conn:
            return conn.execute(select(schema.sources).where(schema.sources.c.site_code == site_code)).one()
    finally:
        engine.dispose()


@pytest.mark.req("MERGE-CONTINUITY")
def test_newer_replaces_older_is_covered_and_the_same_file_changes_nothing(tmp_path, central_target, multi_site,
                                                                          study) -> None:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN01")
    first, second, third = site.bundles
    trust = trust_file(tmp_path, [site])
    assert _outcomes(central_target, [first], trust, study) == [(ACCEPTED, False)]
    assert _outcomes(central_target, [third], trust, study) == [(ACCEPTED, False)]  # replaces export 1
    only_newest = str(tmp_path / "only-newest.db")
    merge_bundles(only_newest, [third], trust, study)
    assert central_tables(central_target) == central_tables(only_newest)
    assert _source(central_target, "CN01").export_sequence == 3

    assert _outcomes(central_target, [second], trust, study) == [(COVERED, False)]  # stale: arrives after 3
    after = central_tables(central_target)
    logged = bundle_log(central_target)
    assert _outcomes(central_target, [third, second, first], trust, study) == [(ALREADY_MERGED, False)] * 3
    assert central_tables(central_target) == after == central_tables(only_newest)
    assert bundle_log(central_target) == logged
    assert sorted(outcome for outcome, _, _ in logged.values()) == [ACCEPTED, COVERED, SUPERSEDED]


@pytest.fixture(scope="module")
def parted(tmp_path_factory, multi_site, study) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """CN03's history parting after export 1: a forked "export 2" and a rolled-back "export 4"."""
    return forked_exports(multi_site.site("CN03"), study, tmp_path_factory.mktemp("parted"))


@pytest.mark.req("MERGE-CONTINUITY")
def test_a_fork_and_a_rollback_are_refused_with_an_alarm(tmp_path, central_target, multi_site, study,
                                                        parted) -> None:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN03")
    fork, rollback = parted
    trust = trust_file(tmp_path, [site])
    assert _outcomes(central_target, list(site.bundles[:2]), trust, study) == [(ACCEPTED, False)] * 2
    before = central_tables(central_target)

    run = merge_bundles(central_target, [fork], trust, study)
    [outcome] = run.bundles
    assert (outcome.outcome, outcome.alarm) == (REFUSED, True) and run.alarms == 1
    assert "fork: export 2 of CN03 holds event " in outcome.reason
    assert "with another hash than the merged export 2" in outcome.reason
    assert central_tables(central_target)["items_long"] == before["items_long"]
    assert _source(central_target, "CN03").alarm == outcome.reason

    assert _outcomes(central_target, [site.bundles[2]], trust, study) == [(ACCEPTED, False)]
    assert _source(central_target, "CN03").alarm == outcome.reason  # still shown after a good bundle
    [rolled] = merge_bundles(central_target, [rollback], trust, study).bundles
    assert (rolled.outcome, rolled.alarm) == (REFUSED, True)
    assert "rollback: export 4 of CN03 ends at event " in rolled.reason
    assert _source(central_target, "CN03").export_sequence == 3
    assert bundle_log(central_target)[rolled.sha256][:2] == (REFUSED, True)


@pytest.mark.req("MERGE-ORDER")
def test_two_histories_in_one_merge_part_the_same_way_whatever_the_order(tmp_path, pg_database, multi_site, study,
                                                                        parted, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With a fork among the bundles, which "export 2" is merged first decides which is refused: the merge
    sorts them, so the order they were given in never changes the result, in SQLite or PostgreSQL (the third
    order goes to PostgreSQL: the same tables and the same log)."""
    verified_once(monkeypatch)  # the subject is the order: each file is verified once, by the first merge
    site = multi_site.site("CN03")
    given = [*site.bundles, parted[0]]
    trust = trust_file(tmp_path, [site])
    targets = [str(tmp_path / "order-0.db"), str(tmp_path / "order-1.db"), pg_database]
    results = []
    for target, order in zip(targets, (given, given[::-1], [given[3], given[1], given[0], given[2]]), strict=True):
        run = merge_bundles(target, order, trust, study)
        assert run.alarms >= 1
        results.append((central_tables(target), bundle_log(target)))
    assert results[0] == results[1] == results[2]


@pytest.mark.req("MERGE-CONTINUITY")
def test_the_next_export_must_name_the_merged_manifest_as_its_previous(tmp_path, central_target, multi_site,
                                                                       study) -> None:  # type: ignore[no-untyped-def]
    """Holding the merged head is not enough for the very next number: its manifest must also follow the merged
    one (two "export 1"s with the same trail would otherwise pass unnoticed)."""
    site = multi_site.site("CN01")
    target = central_target
    assert merge_bundles(target, [site.bundles[0]], trust_file(tmp_path, [site]), study).ok
    database = open_central(target, create=False)
    with SafeZip(site.bundles[1]) as bundle, database.connect() as conn:
        facts = bundle_facts(bundle, file_sha256(site.bundles[1]))
        assert decide(conn, bundle, facts, "next.zip") == Decision(ACCEPTED)
        other = dataclasses.replace(facts, previous_manifest_sha256="ab" * 32)
        decision = decide(conn, bundle, other, "next.zip")
    database.dispose()
    assert (decision.outcome, decision.alarm) == (REFUSED, True)
    assert decision.reason.startswith("next.zip: fork: export 2 of CN01 follows another export 1 than the one merged")
