"""What the site administrator's Data locks tab reads: every lock in force with its subject, the subjects, and the
places of a subject's record (schedule order, log entries last), only for the roles that lock."""
from __future__ import annotations

import pytest

from ecrf.services import lock_overview, locks, logs, sdv
from ecrf.services.errors import PermissionDenied
from ecrf.study.place import Place
from ecrf.study.status import Scope
from tests.monitoring.helpers import site_with_subject

pytestmark = pytest.mark.req("LOCK")


@pytest.fixture
def site(sites):  # type: ignore[no-untyped-def]
    made = site_with_subject(sites)
    with made.user("monitor") as monitor:
        sdv.verify_form(monitor, made.ref("SCR", "DM"))
    with made.user("investigator") as investigator:
        logs.add_log_entry(investigator, made.subject, "CM", {"CMTRT": "Paracetamol"}, complete=False)
    return made


def test_the_locks_in_force_with_their_subject(site):
    with site.user("investigator") as investigator:
        lock_id = locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
    with site.user("admin") as admin:
        [listed] = lock_overview.site_locks(admin)
        assert (listed.id, listed.subject, listed.place, listed.scope, listed.locked_by) == (
            lock_id, site.subject, Place("SCR", "DM"), Scope.FORM, "investigator")
        locks.unlock(admin, lock_id, "correction")
        assert lock_overview.site_locks(admin) == []


def test_the_places_of_a_record_follow_the_schedule_with_log_entries_last(site):
    with site.user("admin") as admin:
        assert lock_overview.subject_labels(admin) == [site.subject]
        places = lock_overview.lock_places(admin, site.subject)
    visits = [v.code for v in site.sites.study.visits]  # type: ignore[attr-defined]
    assert places[0] == Place("SCR", "DM") and places[-1] == Place("", "CM", repeat=1)
    order = [visits.index(p.visit) for p in places if p.visit]
    assert order == sorted(order) and len(set(places)) == len(places)


@pytest.mark.req("P11.10g")
@pytest.mark.parametrize("role", ["nurse", "monitor", "reader"])
def test_only_the_roles_that_lock_read_them(site, role):
    with site.user(role) as user:
        for read in (lock_overview.site_locks, lock_overview.subject_labels,
                     lambda s: lock_overview.lock_places(s, site.subject)):
            with pytest.raises(PermissionDenied):
                read(user)
