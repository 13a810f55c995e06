"""The insider of "Tamper evidence" once more, with what a seal alone does not stop: a read-only user who writes
events in their own name that their role may not write (a data change, the administrator's acknowledgement),
and a whole trail rewritten to look as if it came from before seals. Helpers: tests/test_tamper.py."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from test_store_security import enter_data
from test_tamper import append_event, insider_key, problems, sql

from ecrf.export.bundle.identity import new_identity
from ecrf.export.verify.bundle import verify_bundle
from ecrf.services import export, integrity
from ecrf.services.errors import IntegrityAlarm
from ecrf.store.engine import raw_connect
from ecrf.trail.chain import CHAINED_FIELDS, GENESIS, event_hash
from ecrf.trail.roles import ACTION_ROLES
from ecrf.trail.seals import Seal, marks_sealed_trail

READER_PASSWORD = "reader-password-1"


@pytest.fixture
def site(sites) -> Path:  # type: ignore[no-untyped-def]  # `sites` is the conftest's untyped factory
    db_path, _ = sites.make()
    enter_data(sites, db_path)
    return db_path


def seal_as_reader(db_path: Path, event: dict[str, object]) -> None:
    """The insider seals what they wrote with their own personal key: the seal is genuine, the role is not."""
    _, slots = insider_key(db_path)
    reader = slots.open("user:reader", READER_PASSWORD)
    (db_id,), = sql(db_path, "SELECT db_id FROM site")
    seal = Seal.make(db_id, int(str(event["seq"])), str(event["hash"]), "reader", reader.signing_key,
                     "2026-12-03T12:00:00Z")
    sql(db_path, "INSERT INTO seals VALUES (?, ?, ?, ?, ?, ?)",
        params=(seal.head_seq, seal.head_hash, seal.signer, seal.key_id, seal.signature, seal.at_utc))


def export_refused(sites, db_path: Path, out: Path) -> bool:  # type: ignore[no-untyped-def]
    session = sites.login(db_path, "nurse")
    try:
        export.export_bundle(session, out)
    except IntegrityAlarm:
        return True
    finally:
        session.close()
    return False


@pytest.mark.req("P11.10g")
def test_a_value_sealed_by_a_read_only_user_in_their_own_name_is_caught(sites, site: Path, tmp_path: Path):
    (subject,), = sql(site, "SELECT subject FROM audit_events WHERE item = 'HEIGHT'")
    event = append_event(site, "reader", "read_only", subject=subject, visit="SCR", form="DM", item="HEIGHT",
                         old_value="163.0", new_value="199.0", reason="insider")
    seal_as_reader(site, event)
    sql(site, "UPDATE item_values SET value = '199.0' WHERE item_code = 'HEIGHT'")
    found = problems(sites, site)
    assert any(f"event {event['seq']} (value) was written by reader, whose role (read_only) may not do that" in p
               for p in found), found
    assert export_refused(sites, site, tmp_path)


@pytest.mark.req("P11.10g")
def test_a_read_only_user_cannot_acknowledge_a_finding_to_unblock_the_export(sites, site: Path, tmp_path: Path):
    sql(site, "UPDATE item_values SET value = '199' WHERE item_code = 'HEIGHT'")
    monitor = sites.login(site, "monitor")
    try:
        digest = integrity.check(monitor).digest
    finally:
        monitor.close()
    event = append_event(site, "reader", "read_only", action="trail_finding_acknowledged", new_value=digest,
                         item="1", reason="all fine")
    seal_as_reader(site, event)
    monitor = sites.login(site, "monitor")
    try:
        found = integrity.check(monitor)
    finally:
        monitor.close()
    assert found.blocking and found.acknowledged is None
    assert any("(trail_finding_acknowledged) was written by reader" in p for p in found.report.problems)
    assert export_refused(sites, site, tmp_path)


def rewrite_as_before_seals(db_path: Path) -> None:
    """Every event again without `seals_started`, the chain recomputed, HEIGHT changed inside the nurse's own
    event; every seal and key certificate deleted; then sealing "started" by the insider, as an upgrade would."""
    rows = sql(db_path, f"SELECT {', '.join(CHAINED_FIELDS)} FROM audit_events ORDER BY seq")
    events = [dict(zip(CHAINED_FIELDS, row, strict=True)) for row in rows if row[CHAINED_FIELDS.index("action")]
              != "seals_started"]
    prev, written = GENESIS, []
    for seq, event in enumerate(events, 1):
        if event["action"] == "value" and event["item"] == "HEIGHT":
            event["new_value"] = "199.0"
        event["seq"], event["prev_hash"] = seq, prev
        prev = event_hash(event)
        written.append((*[event[name] for name in CHAINED_FIELDS], prev))
    key, _ = insider_key(db_path)
    conn = raw_connect(db_path, key)
    try:
        for trigger in ("audit_events_no_delete", "seals_no_delete", "key_certificates_no_delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for table in ("audit_events", "seals", "key_certificates"):
            conn.execute(f"DELETE FROM {table}")
        columns = ", ".join([*CHAINED_FIELDS, "hash"])
        conn.executemany(f"INSERT INTO audit_events ({columns}) VALUES ({', '.join('?' * (len(CHAINED_FIELDS) + 1))})",
                         written)
        conn.execute("UPDATE site SET audit_head_seq = ?, audit_head_hash = ?", (len(written), prev))
        conn.execute("UPDATE item_values SET value = '199.0' WHERE item_code = 'HEIGHT'")
        conn.commit()
    finally:
        conn.close()
    seal_as_reader(db_path, append_event(db_path, "reader", "read_only", action="seals_started",
                                         reason="first login after the upgrade to sealed transactions"))


@pytest.mark.req("TRAIL-SEALED")
def test_a_trail_rewritten_to_look_older_than_seals_is_caught_on_the_pc_and_in_the_bundle(sites, site: Path,
                                                                                          tmp_path: Path):
    rewrite_as_before_seals(site)
    found = problems(sites, site)
    assert any("sealed its trail from its first event" in p for p in found), found
    assert any("the key certificates were removed" in p for p in found), found
    # The next login of a user who holds the site key must not make the forged trail pass either.
    assert problems(sites, site, "nurse")
    admin = sites.login(site, "admin")
    try:
        integrity.acknowledge(admin, "testing what a bundle of it says")
    finally:
        admin.close()
    session = sites.login(site, "nurse")
    try:
        path = export.export_bundle(session, tmp_path).path
    finally:
        session.close()
    verdict = verify_bundle(path)
    assert not verdict.ok and any("sealed its trail from its first event" in p for p in verdict.problems)


@pytest.mark.req("TRAIL-SEALED")
def test_only_a_site_created_with_a_sealed_trail_says_so_in_its_certificate(sites, site: Path, tmp_path: Path):
    (der,), = sql(site, "SELECT certificate_der FROM signing_keys")
    assert marks_sealed_trail(x509.load_der_x509_certificate(der))
    later = new_identity("MSC-COVID19", "CN01", "Wuhan", datetime.now(UTC), "db-id")  # a key made at a first export
    assert not marks_sealed_trail(later.certificate)


def test_the_role_table_of_the_trail_check_is_the_permission_table():
    """Each listed action is written by exactly the roles the services let do it (ecrf.services.permissions)."""
    from ecrf.services.permissions import ALLOWED, Do

    permission = {
        **dict.fromkeys(("value", "value_derived", "form_status", "warning_confirmed", "log_entry_added",
                         "log_entry_removed", "sdv_changed"), Do.ENTER_DATA),
        "subject_screened": Do.SCREEN, "allocated": Do.ALLOCATE,
        "participation_ended": Do.END_PARTICIPATION, "visit_cancelled": Do.END_PARTICIPATION,
        "sdv_verified": Do.VERIFY_SOURCE, "sdv_unverified": Do.VERIFY_SOURCE,
        "signed": Do.SIGN, "esign_certified": Do.SIGN, "locked": Do.LOCK, "unlocked": Do.LOCK,
        **dict.fromkeys(("site_frozen", "site_locked", "site_reopened"), Do.FREEZE_SITE),
        **dict.fromkeys(("user_added", "role_changed", "user_deactivated", "password_reset", "account_unlocked",
                         "trail_finding_acknowledged"), Do.MANAGE_USERS),
        "allocation_list_imported": Do.IMPORT_ALLOCATION, "site_setting_changed": Do.MANAGE_SITE,
    }
    assert set(permission) == set(ACTION_ROLES)
    for action, do in permission.items():
        assert ACTION_ROLES[action] == {role for role, allowed in ALLOWED.items() if do in allowed}, action

