"""Site information (any role) and the idle lock setting (site administrator, audited, in effect at once)."""
from __future__ import annotations

import pytest
from subject_helpers import enrol, events_after, head

from ecrf.services import users
from ecrf.services.errors import InvalidInput, PermissionDenied
from ecrf.services.site_settings import set_idle_lock_minutes, site_info


@pytest.fixture
def site(sites):  # type: ignore[no-untyped-def]
    db_path, _code = sites.make()
    return db_path


@pytest.mark.parametrize("username", ["admin", "investigator", "nurse", "monitor", "reader"])
def test_every_role_reads_the_site_info(sites, site, username):
    session = sites.login(site, username)
    try:
        info = site_info(session)
    finally:
        session.close()
    assert (info.site_code, info.site_name, info.study_oid) == ("CN01", "Wuhan Union Hospital", "MSC-COVID19")
    assert info.definition_version == info.loaded_version == "1.0.0"
    assert info.db_path == site and info.idle_lock_minutes == 10
    assert (info.active_users, info.inactive_users, info.subjects) == (5, 0, 0)
    assert info.recovery_slot and info.audit_head_seq > 0 and info.created_at.endswith("Z")


def test_counts_follow_the_site(sites, site):
    admin = sites.login(site)
    try:
        users.deactivate_user(admin, "reader", "left the study team")
        info = site_info(admin)
        assert (info.active_users, info.inactive_users) == (4, 1)
        assert info.audit_head_seq == head(admin)
    finally:
        admin.close()
    nurse = sites.login(site, "nurse")
    try:
        enrol(nurse)
        assert site_info(nurse).subjects == 1
    finally:
        nurse.close()


@pytest.mark.req("P11.10d")
@pytest.mark.req("P11.10e")
def test_the_admin_changes_the_idle_lock_audited_and_at_once(sites, site):
    admin = sites.login(site)
    try:
        before = head(admin)
        set_idle_lock_minutes(admin, 5)
        assert admin.idle_lock_minutes == 5 and site_info(admin).idle_lock_minutes == 5
        [event] = [e for e in events_after(admin, before) if e.action == "site_setting_changed"]
        assert (event.item, event.old_value, event.new_value, event.username) == ("idle_lock_minutes", "10", "5",
                                                                                   "admin")
        set_idle_lock_minutes(admin, 5)  # no change: no event
        assert [e.action for e in events_after(admin, event.seq)] == []
    finally:
        admin.close()
    nurse = sites.login(site, "nurse")
    try:
        assert nurse.idle_lock_minutes == 5  # every later session locks after the new time
    finally:
        nurse.close()


@pytest.mark.req("P11.10d")
@pytest.mark.parametrize("minutes", [0, -1, 61, 600])
def test_the_idle_lock_cannot_be_switched_off_or_made_too_long(sites, site, minutes):
    admin = sites.login(site)
    try:
        with pytest.raises(InvalidInput, match="between 1 and 60"):
            set_idle_lock_minutes(admin, minutes)
        assert site_info(admin).idle_lock_minutes == 10
    finally:
        admin.close()


@pytest.mark.req("P11.10g")
@pytest.mark.parametrize("username", ["investigator", "nurse", "monitor", "reader"])
def test_only_the_site_admin_changes_the_idle_lock(sites, site, username):
    session = sites.login(site, username)
    try:
        with pytest.raises(PermissionDenied, match="site administrator"):
            set_idle_lock_minutes(session, 20)
        assert session.idle_lock_minutes == 10
    finally:
        session.close()
