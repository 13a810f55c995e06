"""Monitoring records are part of what the trail must account for: a verification mark, a query's state or a
lock written straight into the database (by an insider with the data key) is caught by the trail check at the
next open, like a value changed without its event."""
from __future__ import annotations

import pytest
from test_tamper import problems, sql

from ecrf.services import locks, queries, sdv
from ecrf.services.query_steps import QueryPlace
from ecrf.study.status import Scope
from tests.monitoring.helpers import Site, site_with_subject

pytestmark = [pytest.mark.req("P11.10c"), pytest.mark.req("TRAIL-SEALED")]


@pytest.fixture
def monitored(sites) -> Site:  # type: ignore[no-untyped-def]
    """DM verified and locked; one open query on the eligibility form."""
    site = site_with_subject(sites)
    with site.user("monitor") as monitor:
        sdv.verify_form(monitor, site.ref("SCR", "DM"))
        queries.raise_query(monitor, QueryPlace.on_form(site.ref("SCR", "IE")), "Criterion 2: source missing.")
    with site.user("investigator") as investigator:
        locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
    return site


def test_a_sound_monitored_site_passes(sites, monitored: Site):
    assert problems(sites, monitored.db) == []


def test_a_verification_mark_written_without_its_event_is_caught(sites, monitored: Site):
    (form_pk,), = sql(monitored.db, "SELECT id FROM form_instances WHERE form_code = 'IE'")
    sql(monitored.db, "INSERT INTO sdv_marks (form_pk, item_code, state, verified_at, verified_by) "
                      "VALUES (?, 'IEIN01', 'verified', '2026-12-03T10:00:00Z', 'monitor')", params=(form_pk,))
    assert any("IEIN01: stored as verified, but the trail leads to not verified" in p
               for p in problems(sites, monitored.db))


def test_a_query_closed_without_its_event_is_caught(sites, monitored: Site):
    sql(monitored.db, "UPDATE queries SET state = 'closed'")
    assert any("query Q-0001: stored as closed, but the trail leads to open" in p
               for p in problems(sites, monitored.db))


def test_a_lock_lifted_without_its_event_is_caught(sites, monitored: Site):
    sql(monitored.db, "UPDATE locks SET active = 0")
    assert any("no lock is in force, but the trail leads to a lock" in p for p in problems(sites, monitored.db))


@pytest.mark.req("MERGE-VERIFY")
def test_a_bundle_whose_query_state_the_trail_does_not_account_for_does_not_verify(sites, monitored: Site,
                                                                                   tmp_path):  # type: ignore[no-untyped-def]
    """The sponsor's check replays monitoring too: a query closed in the database without its event, exported
    after the site acknowledged the finding, is refused by `ecrf verify` (and so by the merge)."""
    from ecrf.export.verify.bundle import verify_bundle
    from ecrf.services import export, integrity

    sql(monitored.db, "UPDATE queries SET state = 'closed'")
    with site_user(sites, monitored, "admin") as admin:
        integrity.acknowledge(admin, "query state edited outside ecrf; sponsor told")
    with site_user(sites, monitored, "nurse") as nurse:
        path = export.export_bundle(nurse, tmp_path).path
    verdict = verify_bundle(path)
    assert not verdict.ok
    assert any("query Q-0001: stored as closed, but the trail leads to open" in p for p in verdict.problems)


def site_user(sites, site: Site, username: str):  # type: ignore[no-untyped-def]
    from contextlib import closing

    return closing(sites.login(site.db, username))
