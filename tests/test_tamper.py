"""The insider of issue "Tamper evidence": knows one read-only user's password, holds the site's files, and uses
sqlcipher3 and the project's own key API. Each attempt must be caught by a named check: `ecrf audit verify`
(the trail check), the export refusal, `ecrf verify` on a bundle, or `audit verify --against` for the one
residual case (cutting the newest events since the last copy that left the PC)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from test_store_security import enter_data

from ecrf.errors import EcrfError
from ecrf.export.verify.bundle import verify_bundle
from ecrf.services import audit_trail, export, integrity
from ecrf.services.errors import IntegrityAlarm
from ecrf.store.engine import raw_connect
from ecrf.store.keyslots import KeySlots
from ecrf.trail.chain import CHAINED_FIELDS, event_hash
from ecrf.trail.seals import Seal

READER_PASSWORD = "reader-password-1"


def insider_key(db_path: Path) -> tuple[bytes, KeySlots]:
    """What the read-only user's password opens with the project's own key API: the data key."""
    slots = KeySlots.load(db_path.with_suffix(".keys"))
    return slots.open("user:reader", READER_PASSWORD).data_key, slots


def sql(db_path: Path, *statements: str, params: tuple = ()) -> list[tuple]:
    key, _ = insider_key(db_path)
    conn = raw_connect(db_path, key)
    try:
        rows: list[tuple] = []
        for statement in statements:
            rows = conn.execute(statement, params if statement == statements[-1] else ()).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def problems(sites, db_path: Path, user: str = "monitor") -> list[str]:  # type: ignore[no-untyped-def]
    session = sites.login(db_path, user)
    try:
        return audit_trail.verify(session).problems
    finally:
        session.close()


@pytest.fixture
def site(sites) -> Path:  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    enter_data(sites, db_path)
    return db_path


def append_event(db_path: Path, username: str, role: str, **change: object) -> dict[str, object]:
    """A correctly chained event written straight into the database, the head row moved along."""
    (seq, prev), = sql(db_path, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
    fields = dict.fromkeys(CHAINED_FIELDS)
    fields.update(seq=seq + 1, at_utc="2026-12-03T12:00:00.000000Z", utc_offset_min=0, workstation="PC",
                  username=username, role=role, prev_hash=prev)
    fields.update({"action": "value", **change})
    digest = event_hash(fields)
    columns = ", ".join([*CHAINED_FIELDS, "hash"])
    sql(db_path, f"INSERT INTO audit_events ({columns}) VALUES ({', '.join('?' * (len(CHAINED_FIELDS) + 1))})",
        params=(*[fields[name] for name in CHAINED_FIELDS], digest))
    sql(db_path, "UPDATE site SET audit_head_seq = ?, audit_head_hash = ?", params=(seq + 1, digest))
    return {**fields, "hash": digest}


@pytest.mark.req("P11.10c")
def test_a_value_changed_without_an_event_is_caught_and_stops_the_export(sites, site: Path, tmp_path: Path):
    sql(site, "UPDATE item_values SET value = '199' WHERE item_code = 'HEIGHT'")
    found = problems(sites, site)
    assert any("HEIGHT: '199' is stored, but the trail leads to '163.0'" in p for p in found)
    out = tmp_path / "usb"
    out.mkdir()
    session = sites.login(site, "nurse")
    try:
        with pytest.raises(IntegrityAlarm, match="found .* problem"):
            export.export_bundle(session, out)
        assert not list(out.iterdir())  # nothing written, and the ODM invents no audit record for it
    finally:
        session.close()


@pytest.mark.req("P11.10c")
def test_a_value_inserted_without_an_event_is_caught(sites, site: Path):
    (form_pk,), = sql(site, "SELECT form_pk FROM item_values WHERE item_code = 'HEIGHT'")
    sql(site, "INSERT INTO item_values (form_pk, item_code, value, confirmed, saved_at, saved_by) "
              "VALUES (?, 'WEIGHT', '41.9', '', '2026-12-03T10:00:00Z', 'nurse')", params=(form_pk,))
    assert any("WEIGHT: '41.9' is stored, but no audit event leads to it" in p for p in problems(sites, site))


@pytest.mark.req("P11.10e")
@pytest.mark.req("P11.300")
def test_an_event_appended_in_another_users_name_is_caught(sites, site: Path):
    label = sql(site, "SELECT screening_no FROM subjects ORDER BY id LIMIT 1")[0][0]
    where = {"subject": label, "visit": "SCR", "form": "DM", "item": "HEIGHT"}
    append_event(site, "nurse", "nurse", **where, old_value="163.0", new_value="170.0")
    sql(site, "UPDATE item_values SET value = '170.0' WHERE item_code = 'HEIGHT'")  # data and trail agree
    found = problems(sites, site)  # the next login's seal would cover it: it is not the nurse's
    assert any("names nurse but was sealed by monitor" in p for p in found), found


@pytest.mark.req("P11.10e")
@pytest.mark.req("P11.300")
def test_an_event_sealed_with_the_insiders_own_key_in_another_name_is_caught(sites, site: Path):
    label = sql(site, "SELECT screening_no FROM subjects ORDER BY id LIMIT 1")[0][0]
    event = append_event(site, "nurse", "nurse", subject=label, visit="SCR", form="DM", item="HEIGHT",
                         old_value="163.0", new_value="170.0")
    sql(site, "UPDATE item_values SET value = '170.0' WHERE item_code = 'HEIGHT'")
    _, slots = insider_key(site)
    reader = slots.open("user:reader", READER_PASSWORD)
    (db_id,), = sql(site, "SELECT db_id FROM site")
    seal = Seal.make(db_id, int(event["seq"]), str(event["hash"]), "nurse", reader.signing_key,
                     "2026-12-03T12:00:00Z")
    sql(site, "INSERT INTO seals VALUES (?, ?, ?, ?, ?, ?)",
        params=(seal.head_seq, seal.head_hash, seal.signer, seal.key_id, seal.signature, seal.at_utc))
    found = problems(sites, site)
    assert any(f"the seal of nurse at event {event['seq']} is made with a key" in p for p in found), found


@pytest.mark.req("P11.10e")
@pytest.mark.req("TRAIL-SEALED")
def test_a_rewritten_history_with_a_recomputed_chain_breaks_the_seals(sites, site: Path):
    rows = sql(site, f"SELECT {', '.join(CHAINED_FIELDS)}, hash FROM audit_events ORDER BY seq")
    target = next(i for i, row in enumerate(rows) if row[CHAINED_FIELDS.index("action")] == "value")
    prev = rows[target - 1][-1]
    key, _ = insider_key(site)
    conn = raw_connect(site, key)
    conn.execute("DROP TRIGGER audit_events_no_update")
    for row in rows[target:]:
        fields = dict(zip(CHAINED_FIELDS, row[:-1], strict=True))
        fields["prev_hash"] = prev
        if row is rows[target]:
            fields["new_value"] = "forged"
        prev = event_hash(fields)
        conn.execute("UPDATE audit_events SET prev_hash = ?, hash = ?, new_value = ? WHERE seq = ?",
                     (fields["prev_hash"], prev, fields["new_value"], fields["seq"]))
    conn.execute("UPDATE site SET audit_head_hash = ?", (prev,))
    conn.commit()
    conn.close()
    found = problems(sites, site)
    assert not any("does not link" in p or "does not match its hash" in p for p in found)  # the chain is sound
    assert any("does not match the trail: the events it covers were changed" in p for p in found)


@pytest.mark.req("P11.10e")
def test_moving_the_head_row_back_is_caught(sites, site: Path):
    (seq,), = sql(site, "SELECT audit_head_seq FROM site")
    (prev_hash,), = sql(site, f"SELECT hash FROM audit_events WHERE seq = {seq - 3}")
    sql(site, "DROP TRIGGER audit_events_no_delete", f"DELETE FROM audit_events WHERE seq > {seq - 3}",
        f"UPDATE site SET audit_head_seq = {seq - 3}, audit_head_hash = '{prev_hash}'")
    assert any("past the end of the trail" in p for p in problems(sites, site))


@pytest.mark.req("TRAIL-SEALED")
def test_the_residual_cut_is_caught_against_an_earlier_bundle(sites, site: Path, tmp_path: Path):
    """Cutting the newest events together with their seals and the head leaves a consistent, shorter trail:
    the one thing no offline check can see. The copy that left the PC (a bundle, a backup) catches it."""
    session = sites.login(site, "nurse")
    try:
        bundle = export.export_bundle(session, tmp_path).path
    finally:
        session.close()
    (head,), = sql(site, "SELECT MAX(head_seq) FROM seals WHERE signer = 'nurse'")
    keep = head - 12  # back to an earlier seal, before the bundle's head
    (keep_seq,), = sql(site, f"SELECT MAX(head_seq) FROM seals WHERE head_seq <= {keep}")
    (keep_hash,), = sql(site, f"SELECT hash FROM audit_events WHERE seq = {keep_seq}")
    sql(site, "DROP TRIGGER audit_events_no_delete", "DROP TRIGGER seals_no_delete",
        "DROP TRIGGER exports_no_delete", f"DELETE FROM audit_events WHERE seq > {keep_seq}",
        f"DELETE FROM seals WHERE head_seq > {keep_seq}", "DELETE FROM exports",
        f"UPDATE site SET audit_head_seq = {keep_seq}, audit_head_hash = '{keep_hash}'")
    session = sites.login(site, "monitor")
    try:
        _, problem = integrity.against(session, bundle)
    finally:
        session.close()
    assert problem is not None and "events were cut since that copy was made" in problem


@pytest.mark.parametrize(("name", "code"), [("a-folder", "against-is-folder"), ("gone.zip", "against-missing"),
                                             ("not-a-zip.zip", "against-unreadable")])
def test_against_names_what_is_wrong_with_the_copy(sites, site: Path, tmp_path: Path, name: str, code: str):
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "not-a-zip.zip").write_text("plain text")
    session = sites.login(site, "monitor")
    try:
        with pytest.raises(EcrfError) as caught:
            integrity.against(session, tmp_path / name)
    finally:
        session.close()
    assert caught.value.code == code and "Errno" not in caught.value.message


@pytest.mark.req("P11.300")
def test_a_read_only_password_cannot_reach_the_site_signing_key(site: Path):
    key, slots = insider_key(site)
    assert slots.open("user:reader", READER_PASSWORD).site_kek is None
    assert slots.open("user:monitor", "monitor-password-1").site_kek is None
    assert slots.open("user:nurse", "nurse-password-1").site_kek is not None
    rows = sql(site, "SELECT key_der, sealed_key FROM signing_keys")
    assert rows and all(der == b"" and sealed for der, sealed in rows)  # no clear key in the database


@pytest.mark.req("P11.10c")
def test_an_acknowledged_finding_lets_the_export_go_and_the_bundle_carries_it(sites, site: Path, tmp_path: Path):
    sql(site, "UPDATE item_values SET value = '199' WHERE item_code = 'HEIGHT'")
    admin = sites.login(site, "admin")
    try:
        integrity.acknowledge(admin, "value edited outside ecrf; sponsor told on 3 Dec")
    finally:
        admin.close()
    session = sites.login(site, "nurse")
    try:
        path = export.export_bundle(session, tmp_path).path
    finally:
        session.close()
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    assert manifest["audit"]["finding"]["reason"] == "value edited outside ecrf; sponsor told on 3 Dec"
    verdict = verify_bundle(path)
    assert not verdict.ok and any("'199' is stored" in p for p in verdict.problems)
    assert any("the site recorded this finding" in note for note in verdict.notes)


@pytest.mark.req("TRAIL-SEALED")
def test_a_bundle_of_a_sound_site_verifies_with_its_trail(sites, site: Path, tmp_path: Path):
    session = sites.login(site, "nurse")
    try:
        path = export.export_bundle(session, tmp_path).path
    finally:
        session.close()
    verdict = verify_bundle(path)
    assert verdict.ok, verdict.problems
    assert verdict.events and verdict.seals
    # An edit of the exact trail inside the bundle, with the manifest re-hashed, is a different bundle: the
    # site signature refuses it; re-signing it needs the site key.
    assert json.loads(zipfile.ZipFile(path).read("manifest.signer.json"))["username"] == "nurse"


@pytest.mark.req("P11.300")
@pytest.mark.req("TRAIL-SEALED")
def test_keys_survive_password_change_reset_rekey_and_end_at_deactivation(sites, site: Path, tmp_path: Path):
    from ecrf.services import auth, backup, users

    nurse = sites.login(site, "nurse")
    try:
        auth.change_own_password(nurse, "nurse-password-1", "nurse-password-2")  # the same personal key
    finally:
        nurse.close()
    admin = sites.login(site, "admin")
    try:
        temporary = users.reset_password(admin, "investigator")  # a new key, issued by the admin
        backup.rekey(admin)  # a new data key: every personal key stays
        users.deactivate_user(admin, "reader", "left the site")  # the reader's key signs nothing from here on
    finally:
        admin.close()
    investigator = sites.login(site, "investigator", temporary)
    try:
        auth.change_own_password(investigator, temporary, "investigator-password-2")
    finally:
        investigator.close()
    nurse = sites.login(site, "nurse", "nurse-password-2")
    try:
        report = audit_trail.verify(nurse)
        assert report.ok, report.problems
        issued = [p for p in report.keys.periods if p.username in ("investigator", "reader")]
        assert [p.username for p in issued if p.revoked_seq is not None] == ["investigator", "reader"]
        out = tmp_path / "out"
        out.mkdir()
        verdict = verify_bundle(export.export_bundle(nurse, out).path)
        assert verdict.ok, verdict.problems
    finally:
        nurse.close()


@pytest.mark.req("P11.10g")
def test_a_role_written_into_the_users_table_is_refused_at_login(sites, site: Path):
    sql(site, "UPDATE users SET role = 'site_admin' WHERE username = 'reader'")
    with pytest.raises(IntegrityAlarm) as refused:
        sites.login(site, "reader")
    assert refused.value.code == "role-mismatch" and "the audit trail gave it read_only" in refused.value.message


@pytest.mark.req("TRAIL-SEALED")
def test_removing_every_seal_does_not_turn_sealing_off_unseen(sites, site: Path):
    """An insider deletes every seal (so the site looks as if sealing never started) and then lets the app go
    on saving: the saves after that are unsealed, and the check names the unsealed events, not an OK."""
    sql(site, "DROP TRIGGER seals_no_delete", "DELETE FROM seals")
    enter_data(sites, site)
    (head,), = sql(site, "SELECT audit_head_seq FROM site")
    found = problems(sites, site)
    # up to the newest event: the saves after the cut, and the checking login itself
    assert any(f"–{head + 1} are not sealed" in problem for problem in found), (head, found)
