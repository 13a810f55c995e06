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
