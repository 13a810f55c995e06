"""Security of the site store (issue #3): audit trail tamper evidence, encryption at rest, recovery code,
password changes and resets, rekey (also interrupted half-way) and deactivated users."""
from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3
from conftest import ADMIN_PASSWORD, USERS
from sqlalchemy import select

from ecrf.services import audit_trail, auth, backup, forms, subjects, users
from ecrf.services.errors import LoginFailed, PermissionDenied, ServiceError
from ecrf.services.subject_data import FormRef
from ecrf.store import database as store_database
from ecrf.store.audit import CHAINED_FIELDS, event_hash
from ecrf.store.database import open_database
from ecrf.store.engine import raw_connect
from ecrf.store.errors import NotOurDatabase, StoreError
from ecrf.store.keyslots import KeySlots
from ecrf.store.models import AuditEvent, FormInstance, ItemValue, Subject
from ecrf.store.recovery_code import RECOVERY_SLOT
from ecrf.store.slot_file import KeySlotError
from ecrf.trail.check import TrailReport as ChainReport

APPEND_ONLY = ("audit_events", "failed_logins")
NEVER_DELETED = ("subjects", "form_instances", "item_values", "users", "allocation_list")
AE_TERM = "ZEBRAFISH-RASH-4711"  # distinctive clinical text that must never appear in a file in clear
IMPRESSION = "KINGFISHER-OPACITY-0815 in both lower lobes"
CONSENT_VERSION = "ICF-PANGOLIN-v7"


# -- helpers ---------------------------------------------------------------------------------------

def password_of(username: str) -> str:
    return ADMIN_PASSWORD if username == "admin" else f"{username}-password-1"


def assert_message(exc: BaseException) -> str:
    """A sentence for the user, not a driver error or a traceback."""
    assert isinstance(exc, (StoreError, ServiceError, KeySlotError)), repr(exc)
    text = exc.message
    assert text and text == text.strip() and text.endswith("."), text
    assert text[0].isupper() or text.startswith(os.sep), text
    assert "Traceback" not in text and 'File "' not in text and "sqlcipher3" not in text, text
    return text


def enter_data(sites, db_path: Path) -> str:  # type: ignore[no-untyped-def]
    """A nurse screens two subjects and enters demographics and a CT impression; returns the first label."""
    session = sites.login(db_path, "nurse")
    try:
        first = subjects.screen_subject(session)
        subjects.screen_subject(session)
        forms.save_form(session, FormRef(first, "SCR", "DM"), {"ICVER": CONSENT_VERSION, "SEX": "F", "HEIGHT": "163"})
        forms.save_form(session, FormRef(first, "SCR", "CT"), {"IMPRESS": f"{AE_TERM}; {IMPRESSION}"})
    finally:
        session.close()
    return first


def open_as_admin(db_path: Path, password: str = ADMIN_PASSWORD):  # type: ignore[no-untyped-def]
    """The store opened without a login (which would append a 'login' event to the trail)."""
    return open_database(db_path, "user:admin", password)


def chain_report(db_path: Path) -> ChainReport:
    database = open_as_admin(db_path)
    try:
        return database.check_trail()
    finally:
        database.close()


def snapshot(db_path: Path, password: str = ADMIN_PASSWORD) -> dict[str, list[tuple]]:
    """Subjects, form instances, item values and audit events, as plain tuples."""
    database = open_as_admin(db_path, password)
    try:
        with database.read() as db:
            return {
                "subjects": [(s.id, s.screening_no, s.subject_id, s.status) for s in
                             db.scalars(select(Subject).order_by(Subject.id))],
                "forms": [(f.id, f.subject_pk, f.visit_code, f.form_code, f.status) for f in
                          db.scalars(select(FormInstance).order_by(FormInstance.id))],
                "values": [(v.id, v.form_pk, v.item_code, v.value, v.missing) for v in
                           db.scalars(select(ItemValue).order_by(ItemValue.id))],
                "events": [(e.seq, e.action, e.hash) for e in db.scalars(select(AuditEvent).order_by(AuditEvent.seq))],
            }
    finally:
        database.close()


def data_key(sites, db_path: Path) -> bytes:  # type: ignore[no-untyped-def]
    session = sites.login(db_path, "admin")
    try:
        key = session.database.data_key
    finally:
        session.close()
    assert key is not None
    return key


def raw(db_path: Path, key: bytes, *statements: str, params: tuple = ()) -> None:
    conn = raw_connect(db_path, key)
    try:
        for statement in statements[:-1]:
            conn.execute(statement)
        conn.execute(statements[-1], params)  # the parameters are for the last statement
    finally:
        conn.close()


def drop_audit_insert_triggers(db_path: Path, key: bytes) -> list[str]:
    """DROP statements for any INSERT trigger on audit_events (one refusing INSERT OR REPLACE, once there is one)."""
    conn = raw_connect(db_path, key)
    try:
        names = [row[0] for row in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                                                "tbl_name = 'audit_events'") if "INSERT" in row[1].upper()]
    finally:
        conn.close()
    return [f"DROP TRIGGER {name}" for name in names]


def audit_row(db_path: Path, key: bytes, seq: int) -> dict[str, object]:
    conn = raw_connect(db_path, key)
    try:
        cursor = conn.execute("SELECT * FROM audit_events WHERE seq = ?", (seq,))
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))
    finally:
        conn.close()


def head_seq(db_path: Path, key: bytes) -> int:
    conn = raw_connect(db_path, key)
    try:
        return int(conn.execute("SELECT audit_head_seq FROM site WHERE id = 1").fetchone()[0])
    finally:
        conn.close()


# -- audit trail: triggers and hash chain (21 CFR 11.10(e)) --------------------------------------

@pytest.mark.req("P11.10e")
@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET new_value = 'forged' WHERE seq = 3",
    "UPDATE audit_events SET username = 'someone-else'",
    "DELETE FROM audit_events WHERE seq = 3",
    "DELETE FROM audit_events",
    "UPDATE failed_logins SET username = 'x'",
    *(f"DELETE FROM {table}" for table in APPEND_ONLY[1:] + NEVER_DELETED),
], ids=lambda s: " ".join(s.split()[:3]))
def test_triggers_refuse_edits_and_deletes_through_a_raw_connection(sites, statement):
    db_path, _ = sites.make()
    enter_data(sites, db_path)
    with pytest.raises(LoginFailed):  # a failed login, so that failed_logins has a row
        sites.login(db_path, "nurse", "not-the-password")
    key = data_key(sites, db_path)
    before = snapshot(db_path)
    with pytest.raises(sqlcipher3.dbapi2.IntegrityError, match="append-only|never deleted"):
        raw(db_path, key, statement)
    assert snapshot(db_path) == before
    assert chain_report(db_path).ok


@pytest.mark.req("P11.10e")
def test_every_append_only_and_undeletable_table_has_its_trigger(sites):
    db_path, _ = sites.make(users=False, allocation=False)
    key = data_key(sites, db_path)
    conn = raw_connect(db_path, key)
    try:
        triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        conn.close()
    expected = {f"{t}_no_update" for t in APPEND_ONLY} | {f"{t}_no_delete" for t in APPEND_ONLY + NEVER_DELETED}
    assert expected <= triggers


@pytest.mark.req("P11.10e")
def test_insert_or_replace_cannot_overwrite_an_audit_event(sites):
    db_path, _ = sites.make(users=False, allocation=False)
    key = data_key(sites, db_path)
    row = audit_row(db_path, key, 2)
    row["new_value"] = "forged"
    columns = ", ".join(row)
    with pytest.raises(sqlcipher3.dbapi2.IntegrityError):
        raw(db_path, key, f"INSERT OR REPLACE INTO audit_events ({columns}) VALUES ({', '.join('?' * len(row))})",
            params=tuple(row.values()))


@pytest.mark.req("P11.10e")
def test_an_event_replaced_with_insert_or_replace_is_still_found_by_the_chain(sites):
    db_path, _ = sites.make(users=False, allocation=False)
    key = data_key(sites, db_path)
    row = audit_row(db_path, key, 2)
    row["new_value"] = "forged"
    columns = ", ".join(row)
    raw(db_path, key, *drop_audit_insert_triggers(db_path, key),
        f"INSERT OR REPLACE INTO audit_events ({columns}) VALUES ({', '.join('?' * len(row))})",
        params=tuple(row.values()))
    report = chain_report(db_path)
    assert not report.ok and report.problem.startswith("event 2 does not match its hash")


@pytest.mark.req("P11.10e")
def test_verify_names_an_edited_event(sites):
    db_path, _ = sites.make()
    enter_data(sites, db_path)
    key = data_key(sites, db_path)
    seq = next(s for s, action, _ in snapshot(db_path)["events"] if action == "value")
    raw(db_path, key, "DROP TRIGGER audit_events_no_update",
        f"UPDATE audit_events SET new_value = 'edited afterwards' WHERE seq = {seq}")
    report = chain_report(db_path)
    assert not report.ok
    assert report.problem == f"event {seq} does not match its hash: its contents were changed"
    # The replay sees it too: the edited event leads to a value that is not the one stored.
    assert any("is stored, but the trail leads to 'edited afterwards'" in p for p in report.problems)
    # the services report it too, to anyone allowed to verify
    session = sites.login(db_path, "monitor")
    try:
        assert audit_trail.verify(session).problem == report.problem
    finally:
        session.close()


@pytest.mark.req("P11.10e")
def test_verify_names_a_relinked_event(sites):
    db_path, _ = sites.make(users=False, allocation=False)
    key = data_key(sites, db_path)
    # an edit with a recomputed hash: the event itself is consistent, the next link breaks
    row = audit_row(db_path, key, 2)
    row["new_value"] = "forged"
    forged = event_hash({name: row[name] for name in CHAINED_FIELDS})
    raw(db_path, key, "DROP TRIGGER audit_events_no_update",
        f"UPDATE audit_events SET new_value = 'forged', hash = '{forged}' WHERE seq = 2")
    report = chain_report(db_path)
    assert report.problem == "event 3 does not link to event 2: the chain was rewritten"


@pytest.mark.req("P11.10e")
def test_verify_names_a_deleted_middle_event(sites):
    db_path, _ = sites.make()
    key = data_key(sites, db_path)
    raw(db_path, key, "DROP TRIGGER audit_events_no_delete", "DELETE FROM audit_events WHERE seq = 4")
    report = chain_report(db_path)
    assert report.problem == "event 4 is missing (the next is 5): events were deleted"


@pytest.mark.req("P11.10e")
def test_verify_reports_events_cut_off_the_end(sites):
    db_path, _ = sites.make()
    key = data_key(sites, db_path)
    last = head_seq(db_path, key)
    raw(db_path, key, "DROP TRIGGER audit_events_no_delete", f"DELETE FROM audit_events WHERE seq > {last - 2}")
    report = chain_report(db_path)
    assert not report.ok and report.events == last - 2 and report.head_seq == last - 2
    assert f"ends at event {last - 2}" in report.problem and f"records event {last} as the last" in report.problem
    assert any(f"a seal covers event {last}, past the end of the trail" in p for p in report.problems)


@pytest.mark.req("P11.10e")
@pytest.mark.parametrize("hashed", [False, True], ids=["garbage-hash", "well-formed-hash"])
def test_verify_reports_a_forged_event_added_at_the_end(sites, hashed):
    db_path, _ = sites.make(users=False, allocation=False)
    key = data_key(sites, db_path)
    last = head_seq(db_path, key)
    row = audit_row(db_path, key, last)
    row.update(seq=last + 1, action="value", username="admin", new_value="forged", prev_hash=row["hash"])
    row["hash"] = event_hash({name: row[name] for name in CHAINED_FIELDS}) if hashed else "f" * 64
    raw(db_path, key, f"INSERT INTO audit_events ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        params=tuple(row.values()))
    report = chain_report(db_path)
    assert not report.ok
    if hashed:  # a consistent event past the head: caught because the site row's head was not moved
        assert str(last + 1) in report.problem and str(last) in report.problem
    else:
        assert report.problem == f"event {last + 1} does not match its hash: its contents were changed"


@pytest.mark.req("P11.10e")
def test_a_forged_event_past_the_head_is_not_described_as_removed_events(sites):
    db_path, _ = sites.make(users=False, allocation=False)
    key = data_key(sites, db_path)
    last = head_seq(db_path, key)
    row = audit_row(db_path, key, last)
    row.update(seq=last + 1, new_value="forged", prev_hash=row["hash"])
    row["hash"] = event_hash({name: row[name] for name in CHAINED_FIELDS})
    raw(db_path, key, f"INSERT INTO audit_events ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        params=tuple(row.values()))
    problem = chain_report(db_path).problem
    assert problem is not None and "removed" not in problem


# -- encryption at rest (21 CFR 11.10(c)) ------------------------------------------------------------

def _forms_of(text: str) -> list[bytes]:
    return [text.encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")]


def _plaintext_hits(folder: Path, secrets_: list[str]) -> list[str]:
    hits = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        content = path.read_bytes()
        hits += [f"{secret!r} in {path.name}" for secret in secrets_ for form in _forms_of(secret) if form in content]
    return hits


@pytest.mark.req("P11.10c")
def test_no_plaintext_clinical_data_in_any_file_of_the_site(sites):
    db_path, _ = sites.make()
    first = enter_data(sites, db_path)
    clinical = [AE_TERM, "KINGFISHER-OPACITY-0815", CONSENT_VERSION, first, "CN01-S002", "Wuhan Union Hospital",
                "MSC-COVID19", "audit_events", "CREATE TABLE"]
    session = sites.login(db_path, "nurse")  # open: the WAL holds the latest pages
    try:
        forms.save_form(session, FormRef(first, "SCR", "CT"), {"IMPRESS": f"{AE_TERM} (again) {IMPRESSION}"})
        wal = Path(f"{db_path}-wal")
        assert wal.exists() and wal.stat().st_size > 0
        assert _plaintext_hits(db_path.parent, clinical) == []
    finally:
        session.close()
    assert _plaintext_hits(db_path.parent, clinical) == []
    names = sorted(p.name for p in db_path.parent.iterdir())
    assert {"site.db", "site.keys"} <= set(names) <= {"site.db", "site.keys", "site.logins", "site.lock"}, names
    assert not db_path.read_bytes().startswith(b"SQLite format 3")
    # the side files hold slot ids ("user:<name>") and usernames only
    keys = json.loads(db_path.with_suffix(".keys").read_text("utf-8"))
    assert sorted(keys["slots"]) == sorted([RECOVERY_SLOT, "user:admin", *(f"user:{u}" for u in USERS)])


@pytest.mark.req("P11.10c")
def test_no_plaintext_in_a_backup_file(sites, tmp_path):
    db_path, _ = sites.make()
    first = enter_data(sites, db_path)
    session = sites.login(db_path, "admin")
    try:
        info = backup.backup(session, tmp_path / "out" / "site-backup.zip")
    finally:
        session.close()
    content = info.path.read_bytes()
    for secret in (AE_TERM, CONSENT_VERSION, first):
        assert not any(form in content for form in _forms_of(secret)), secret
    assert b"SQLite format 3" not in content


@pytest.mark.req("P11.10c")
def test_no_plaintext_subject_id_or_adverse_event_after_allocation(sites):
    db_path, _ = sites.make()
    session = sites.login(db_path, "investigator")
    try:
        label = subjects.screen_subject(session)
        today = session.clock.now().date()
        forms.save_form(session, FormRef(label, "SCR", "DM"),
                        {"RFICDAT": today, "ICVER": CONSENT_VERSION, "BRTHDAT": date(1970, 5, 4), "SEX": "M",
                         "HEIGHT": "175", "WEIGHT": "70"}, complete=True)
        criteria = {f"IEIN0{i}": "Y" for i in (1, 2, 3)} | {f"IEEX0{i}": "N" for i in range(1, 6)}
        forms.save_form(session, FormRef(label, "SCR", "IE"), criteria, complete=True)
        subject_id = subjects.allocate(session, label).subject_id
        forms.save_form(session, FormRef(subject_id, "", "AE", repeat=1),
                        {"AETERM": AE_TERM, "AESTDAT": today.isoformat(), "AEONGO": "Y", "AETOXGR": "1", "AESER": "N"})
        assert _plaintext_hits(db_path.parent, [AE_TERM, subject_id, label]) == []
    finally:
        session.close()
    assert _plaintext_hits(db_path.parent, [AE_TERM, subject_id, label]) == []


# -- recovery code ---------------------------------------------------------------------------------

@pytest.mark.req("KEYS-ROTATE")
def test_recovery_code_typed_loosely_sets_a_new_admin_password(sites):
    db_path, code = sites.make()
    loose = "  " + " ".join(code.lower().split("-")) + " "
    auth.recover_password(db_path, loose, "admin", "brand-new-admin-9")
    with pytest.raises(LoginFailed) as refused:
        sites.login(db_path, "admin", ADMIN_PASSWORD)
    assert_message(refused.value)
    session = sites.login(db_path, "admin", "brand-new-admin-9")
    try:
        assert session.actor.role == "site_admin" and not session.actor.must_change_password
        assert audit_trail.verify(session).ok
        recovered = [e for e in audit_trail.events(session) if e.action == "password_recovered"]
        assert [(e.username, e.item) for e in recovered] == [("recovery", "admin")]
    finally:
        session.close()
    sites.login(db_path, "nurse").close()  # nobody else is affected


@pytest.mark.req("KEYS-ROTATE")
def test_wrong_recovery_code_is_refused_with_a_message(sites):
    db_path, code = sites.make(users=False, allocation=False)
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    with pytest.raises(LoginFailed) as refused:
        auth.recover_password(db_path, wrong, "admin", "brand-new-admin-9")
    assert "recovery code is wrong" in assert_message(refused.value)
    sites.login(db_path, "admin").close()  # the old password still works, the site is not left locked


# -- password change and reset ---------------------------------------------------------------------

@pytest.mark.req("KEYS-ROTATE")
def test_changed_password_replaces_the_old_one_and_leaves_others_alone(sites):
    db_path, _ = sites.make()
    session = sites.login(db_path, "nurse")
    try:
        with pytest.raises(LoginFailed) as wrong_old:
            auth.change_own_password(session, "not-my-password", "nurse-password-2")
        assert_message(wrong_old.value)
        auth.change_own_password(session, "nurse-password-1", "nurse-password-2")
    finally:
        session.close()
    with pytest.raises(LoginFailed):
        sites.login(db_path, "nurse", "nurse-password-1")
    sites.login(db_path, "nurse", "nurse-password-2").close()
    for name in ("admin", *USERS):
        if name != "nurse":
            sites.login(db_path, name, password_of(name)).close()
    assert chain_report(db_path).ok


def _read_something(session) -> None:  # type: ignore[no-untyped-def]
    with session.read() as db:
        db.scalar(select(Subject.id))


@pytest.mark.req("KEYS-ROTATE")
@pytest.mark.req("P11.10d")
def test_reset_password_is_temporary_and_must_be_changed_before_anything_else(sites):
    db_path, _ = sites.make()
    label = enter_data(sites, db_path)
    admin = sites.login(db_path, "admin")
    try:
        temporary = users.reset_password(admin, "nurse")
    finally:
        admin.close()
    with pytest.raises(LoginFailed):
        sites.login(db_path, "nurse", "nurse-password-1")
    session = sites.login(db_path, "nurse", temporary)
    try:
        assert session.actor.must_change_password
        refused_calls = {
            "screen": lambda: subjects.screen_subject(session),
            "save": lambda: forms.save_form(session, FormRef(label, "SCR", "CT"), {"IMPRESS": "changed"}),
            "eligibility": lambda: subjects.eligibility(session, label),
            "events": lambda: audit_trail.events(session),
            "verify": lambda: audit_trail.verify(session),
            "read": lambda: _read_something(session),
        }
        for name, call in refused_calls.items():
            with pytest.raises(PermissionDenied) as refused:
                call()
            assert "temporary" in assert_message(refused.value), name
        auth.change_own_password(session, temporary, "nurse-password-7")
        assert not session.actor.must_change_password
        subjects.screen_subject(session)
    finally:
        session.close()
    session = sites.login(db_path, "nurse", "nurse-password-7")
    try:
        assert not session.actor.must_change_password
    finally:
        session.close()


@pytest.mark.req("P11.10d")
def test_deactivated_user_cannot_log_in_and_loses_the_key_slot(sites):
    db_path, _ = sites.make()
    admin = sites.login(db_path, "admin")
    try:
        users.deactivate_user(admin, "nurse", "left the study team")
    finally:
        admin.close()
    keys_file = db_path.with_suffix(".keys")
    assert "user:nurse" not in KeySlots.load(keys_file).slot_ids
    assert b"user:nurse" not in keys_file.read_bytes()
    with pytest.raises(LoginFailed) as refused:
        sites.login(db_path, "nurse")
    assert_message(refused.value)
    sites.login(db_path, "investigator").close()


# -- rekey -------------------------------------------------------------------------------------------

def _everyone_logs_in(sites, db_path: Path, code: str) -> None:  # type: ignore[no-untyped-def]
    for name in ("admin", *USERS):
        sites.login(db_path, name, password_of(name)).close()
    open_database(db_path, RECOVERY_SLOT, code).close()


@pytest.mark.req("KEYS-ROTATE")
def test_rekey_keeps_data_and_passwords_and_retires_the_old_key(sites):
    db_path, code = sites.make()
    enter_data(sites, db_path)
    before = snapshot(db_path)
    generation = KeySlots.load(db_path.with_suffix(".keys")).generation
    session = sites.login(db_path, "admin")
    try:
        old_key = session.database.data_key
        backup.rekey(session)
        new_key = session.database.data_key
        assert new_key != old_key
        assert audit_trail.verify(session).ok  # the session goes on with the new key
    finally:
        session.close()
    assert old_key is not None and new_key is not None
    with pytest.raises(NotOurDatabase):
        raw_connect(db_path, old_key)
    raw_connect(db_path, new_key).close()
    after = snapshot(db_path)
    assert {k: v for k, v in after.items() if k != "events"} == {k: v for k, v in before.items() if k != "events"}
    assert after["events"][:len(before["events"])] == before["events"]
    assert [a for _, a, _ in after["events"][len(before["events"]):]] == ["login", "rekey"]
    slots = KeySlots.load(db_path.with_suffix(".keys"))
    assert slots.generation == generation + 1 and slots.matches(new_key)
    assert not db_path.with_suffix(".keys.next").exists()
    _everyone_logs_in(sites, db_path, code)
    assert chain_report(db_path).ok


@pytest.mark.req("KEYS-ROTATE")
def test_rekey_interrupted_before_the_slot_swap_is_finished_at_next_login(sites, monkeypatch):
    db_path, code = sites.make()
    enter_data(sites, db_path)
    before = snapshot(db_path)
    keys, next_keys = db_path.with_suffix(".keys"), db_path.with_suffix(".keys.next")
    generation = KeySlots.load(keys).generation
    real_replace, crashes = os.replace, []

    def crash_once(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(src) == next_keys and Path(dst) == keys and not crashes:
            crashes.append(src)
            raise OSError("simulated power cut between re-encrypting and renaming the key slots")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(store_database.os, "replace", crash_once)
    session = sites.login(db_path, "admin")
    try:
        old_key = session.database.data_key
        with pytest.raises(OSError, match="simulated power cut"):
            backup.rekey(session)
    finally:
        session.close()
    monkeypatch.undo()
    assert crashes and next_keys.exists() and KeySlots.load(keys).generation == generation
    assert old_key is not None
    with pytest.raises(NotOurDatabase):  # the database has the new key already
        raw_connect(db_path, old_key)
    sites.login(db_path, "nurse").close()  # any user's login finishes the swap
    assert not next_keys.exists() and KeySlots.load(keys).generation == generation + 1
    _everyone_logs_in(sites, db_path, code)
    after = snapshot(db_path)
    assert after["values"] == before["values"] and after["subjects"] == before["subjects"]
    assert chain_report(db_path).ok


@pytest.mark.req("KEYS-ROTATE")
def test_rekey_interrupted_before_the_database_changed_drops_the_new_slots(sites):
    db_path, code = sites.make()
    keys, next_keys = db_path.with_suffix(".keys"), db_path.with_suffix(".keys.next")
    shutil.copyfile(keys, next_keys)  # as if `.keys.next` was written and the power went before PRAGMA rekey
    original = keys.read_bytes()
    sites.login(db_path, "admin").close()
    assert not next_keys.exists() and keys.read_bytes() == original
    _everyone_logs_in(sites, db_path, code)
