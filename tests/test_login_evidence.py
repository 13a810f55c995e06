"""Failed logins and recovery-code guesses as evidence: a damaged or deleted file of failed logins is noticed
and audited, never an error that locks everyone out; recovery guesses are counted, locked out and audited;
an unknown username costs a key derivation like a known one."""
from __future__ import annotations

from pathlib import Path

import pytest
from subject_helpers import ManualTime

from ecrf.services import audit_trail, auth
from ecrf.services.errors import AccountLocked, LoginFailed
from ecrf.store.errors import StoreError
from ecrf.store.kdf import KdfParams
from ecrf.store.keyslots import KeySlots
from ecrf.store.slot_file import NoSuchSlot

ADMIN_PASSWORD = "admin-password-1"


def actions(session, last: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.action for e in audit_trail.events(session, limit=last)]


@pytest.mark.req("P11.10d")
@pytest.mark.parametrize("content", ['{"accounts": []}', '{"pending": [{"username": 5}]}', "not json at all",
                                     '{"accounts": {"nurse": {"failures": "many"}}}'])
def test_a_damaged_file_of_failed_logins_is_audited_not_an_error(sites, study, content: str):
    db, _ = sites.make(users=False, allocation=False)
    db.with_suffix(".logins").write_text(content, "utf-8")
    with pytest.raises(LoginFailed):
        auth.login(db, study, "admin", "wrong-password")  # counting goes on, in a repaired file
    session = auth.login(db, study, "admin", ADMIN_PASSWORD)
    try:
        found = actions(session, 4)
        assert "login_ledger_damaged" in found and found[-1] == "login"
        assert audit_trail.verify(session).ok
    finally:
        session.close()


@pytest.mark.req("P11.10d")
def test_a_folder_in_place_of_the_file_is_a_clear_message(sites, study):
    db, _ = sites.make(users=False, allocation=False)
    db.with_suffix(".logins").mkdir()
    with pytest.raises(StoreError, match="cannot be written") as err:
        auth.login(db, study, "admin", "wrong-password")
    assert err.value.code == "login-ledger-unwritable"


@pytest.mark.req("P11.10d")
def test_deleting_the_file_of_failed_logins_is_noticed_at_the_next_login(sites, study):
    db, _ = sites.make(users=False, allocation=False)
    for _ in range(2):
        with pytest.raises(LoginFailed):
            auth.login(db, study, "admin", "wrong-password")
    auth.login(db, study, "admin", ADMIN_PASSWORD).close()  # moves the 2 into the trail, records serial 2
    with pytest.raises(LoginFailed):
        auth.login(db, study, "admin", "wrong-password")
    db.with_suffix(".logins").unlink()  # the guesser hides the third attempt
    session = auth.login(db, study, "admin", ADMIN_PASSWORD)
    try:
        event = next(e for e in audit_trail.events(session, limit=5) if e.action == "login_ledger_reset")
        assert (event.old_value, event.new_value) == ("2", "0")  # what the trail knew it had reached
    finally:
        session.close()
    session = auth.login(db, study, "admin", ADMIN_PASSWORD)  # noticed once, not at every login
    try:
        assert actions(session, 1) == ["login"]
    finally:
        session.close()


@pytest.mark.req("P11.10d")
def test_recovery_code_guesses_are_counted_locked_out_and_audited(sites, study):
    db, recovery_code = sites.make(users=False, allocation=False)
    for _ in range(4):
        with pytest.raises(LoginFailed, match="recovery code"):
            auth.recover_password(db, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "admin", "a-new-password-1")
    with pytest.raises(AccountLocked) as locked:
        auth.recover_password(db, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "admin", "a-new-password-1")
    assert locked.value.code == "recovery-code-locked"
    with pytest.raises(AccountLocked):  # even the right code waits now
        auth.recover_password(db, recovery_code, "admin", "a-new-password-1")
    session = auth.login(db, study, "admin", ADMIN_PASSWORD)
    try:
        failed = [e for e in audit_trail.events(session, limit=10) if e.action == "login_failed"]
        assert len(failed) == 6 and all(e.username == "recovery" for e in failed)
        assert "wrong recovery code" in failed[0].reason
        assert audit_trail.verify(session).ok
    finally:
        session.close()


@pytest.mark.req("P11.10d")
def test_the_second_lock_says_two_minutes(sites, study):  # type: ignore[no-untyped-def]
    time = ManualTime()
    db, _ = sites.make(users=False, allocation=False)
    for _ in range(5):
        with pytest.raises((LoginFailed, AccountLocked)):
            auth.login(db, study, "admin", "wrong-password", clock=time.clock)
    time.move(minutes=2)
    with pytest.raises(AccountLocked, match=r"refused for 2 minute") as second:
        auth.login(db, study, "admin", "wrong-password", clock=time.clock)
    assert second.value.code == "login-failed-now-locked"


def test_an_unknown_username_costs_a_key_derivation_like_a_known_one(tmp_path: Path, monkeypatch):
    key = bytes(32)
    slots = KeySlots.new("site", key)
    slots.add_slot("user:ada", "a-password-1", key)
    calls: list[str] = []
    real = KdfParams.derive
    monkeypatch.setattr(KdfParams, "derive", lambda self, secret: calls.append(secret) or real(self, secret))
    with pytest.raises(NoSuchSlot):
        slots.open("user:nobody", "a guess")
    assert calls == ["a guess"]  # as slow as a wrong password: the refusal does not tell which names exist


@pytest.mark.req("P11.300")
def test_a_slot_made_with_the_weak_test_profile_is_strengthened_at_the_next_real_login(sites, study, monkeypatch):
    db, _ = sites.make(users=False, allocation=False)
    assert KeySlots.load(db.with_suffix(".keys")).weak("user:admin")
    monkeypatch.delenv("ECRF_KDF_PROFILE")
    monkeypatch.setattr("ecrf.store.kdf._timed", lambda params: 0.25 * params.time_cost)  # t=1, no real timing
    session = auth.login(db, study, "admin", ADMIN_PASSWORD)
    try:
        assert actions(session, 1) == ["key_slot_strengthened"] and audit_trail.verify(session).ok
    finally:
        session.close()
    slots = KeySlots.load(db.with_suffix(".keys"))
    assert not slots.weak("user:admin") and slots.weak("recovery")  # each slot at its own owner's login
