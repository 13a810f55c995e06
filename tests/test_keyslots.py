"""The key-slot side file: each user's slot opens the SQLCipher data key with their password only, the
recovery code works however it is typed, rekeying needs no passwords, tampering and damage are reported
as such (naming the file), and a save never leaves a half-written file."""
from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ecrf.errors import Bug
from ecrf.store.kdf import KdfParams, calibrate_kdf
from ecrf.store.keyslots import KeySlots, new_data_key
from ecrf.store.recovery_code import RECOVERY_SLOT, new_recovery_code, normalise_recovery_code
from ecrf.store.slot_file import KeySlotError, NoSuchSlot, SlotFileCorrupt, SlotFileMissing, WrongSecret

DB_ID = "site-0001"
PASSWORDS = {"alice": "correct horse battery staple", "bob": "Tr0ub4dor&3"}


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setenv("ECRF_KDF_PROFILE", "fast")


@pytest.fixture
def data_key() -> bytes:
    return new_data_key()


@pytest.fixture
def code() -> str:
    return new_recovery_code()


@pytest.fixture
def slots(data_key, code) -> KeySlots:
    ks = KeySlots.new(DB_ID, data_key)
    for user, password in PASSWORDS.items():
        ks.add_slot(user, password, data_key)
    ks.add_slot(RECOVERY_SLOT, code, data_key)
    return ks


@pytest.fixture
def path(tmp_path, slots) -> Path:
    p = tmp_path / "site.keys"
    slots.save(p)
    return p


def read(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def write(path: Path, doc: dict) -> None:
    path.write_text(json.dumps(doc), "utf-8")


def trusted(ks: KeySlots) -> dict[str, bytes]:
    return {sid: ks.public_key(sid) for sid in ks.slot_ids}


# ---- normal use --------------------------------------------------------------------------------------

def test_round_trip(path, data_key, code):
    ks = KeySlots.load(path)
    assert ks.db_id == DB_ID and ks.generation == 1 and ks.matches(data_key)
    assert ks.slot_ids == ["alice", "bob", RECOVERY_SLOT]
    for user, password in PASSWORDS.items():
        assert ks.unlock(user, password) == data_key
    assert ks.unlock(RECOVERY_SLOT, code) == data_key


def test_file_layout(path, data_key):
    text = path.read_text("utf-8")
    doc = json.loads(text)
    assert text == json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert (doc["format"], doc["version"], doc["db_id"], doc["generation"]) == ("ecrf-keyslots", 2, DB_ID, 1)
    assert doc["key_check"] == hmac.new(data_key, b"ecrf key check", hashlib.sha256).digest()[:16].hex()
    slot = doc["slots"]["alice"]
    assert set(slot) == {"kdf", "public_key", "private_key", "data_key", "created", "signing_key", "signing_public"}
    assert slot["kdf"]["name"] == "argon2id" and len(base64.b64decode(slot["kdf"]["salt"])) == 16
    assert set(slot["data_key"]) == {"ephemeral", "nonce", "ciphertext"}
    assert slot["created"].endswith("+00:00")


def test_add_slot_returns_public_key_and_refuses_another_data_key(slots, data_key):
    public = slots.add_slot("carol", "carol's password", data_key)
    assert len(public) == 32 and public == slots.public_key("carol")
    with pytest.raises(Bug):  # a caller's mistake, never a user's: it goes to the crash log
        slots.add_slot("mallory", "x", new_data_key())
    assert not slots.has_slot("mallory")


def test_add_slot_replaces_an_existing_slot(slots, data_key):
    slots.add_slot("alice", "a new start", data_key)
    assert slots.unlock("alice", "a new start") == data_key
    with pytest.raises(WrongSecret):
        slots.unlock("alice", PASSWORDS["alice"])


def test_wrong_password(path):
    ks = KeySlots.load(path)
    with pytest.raises(WrongSecret) as err:
        ks.unlock("alice", PASSWORDS["bob"])
    assert "password" in err.value.message
    with pytest.raises(WrongSecret):
        ks.unlock(RECOVERY_SLOT, new_recovery_code())


def test_unknown_slot(path):
    with pytest.raises(NoSuchSlot):
        KeySlots.load(path).unlock("nobody", "x")


def test_recovery_code_format():
    code = new_recovery_code()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}", code)
    assert new_recovery_code() != code
    assert normalise_recovery_code(" abcde-fghij ok lo\t") == "ABCDEFGH1J0K10"


def test_recovery_code_typed_loosely(path, data_key, code):
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert KeySlots.load(path).unlock(RECOVERY_SLOT, "  " + typed + " ") == data_key


def test_change_secret(path, data_key):
    ks = KeySlots.load(path)
    before = read(path)["slots"]
    ks.change_secret("alice", PASSWORDS["alice"], "a brand new password")
    ks.save(path)
    ks = KeySlots.load(path)
    with pytest.raises(WrongSecret):
        ks.unlock("alice", PASSWORDS["alice"])
    assert ks.unlock("alice", "a brand new password") == data_key
    after = read(path)["slots"]
    assert after["bob"] == before["bob"] and after[RECOVERY_SLOT] == before[RECOVERY_SLOT]
    assert after["alice"]["public_key"] == before["alice"]["public_key"]
    assert after["alice"]["data_key"] == before["alice"]["data_key"]
    assert after["alice"]["kdf"]["salt"] != before["alice"]["kdf"]["salt"]
    assert ks.unlock("bob", PASSWORDS["bob"]) == data_key


def test_change_secret_needs_the_old_secret(slots):
    with pytest.raises(WrongSecret):
        slots.change_secret("alice", "guess", "mine now")


def test_remove_slot(path, data_key):
    ks = KeySlots.load(path)
    ks.remove_slot("bob")
    ks.save(path)
    ks = KeySlots.load(path)
    assert not ks.has_slot("bob") and ks.slot_ids == ["alice", RECOVERY_SLOT]
    with pytest.raises(NoSuchSlot):
        ks.unlock("bob", PASSWORDS["bob"])
    with pytest.raises(NoSuchSlot):
        ks.remove_slot("bob")
    assert ks.unlock("alice", PASSWORDS["alice"]) == data_key


# ---- rekeying ----------------------------------------------------------------------------------------

def test_rewrapped_opens_with_old_passwords(path, data_key, code, tmp_path):
    old = KeySlots.load(path)
    new_key = new_data_key()
    new = old.rewrapped(new_key, trusted(old))
    assert new is not old and old.generation == 1 and old.matches(data_key)
    assert new.generation == 2 and new.matches(new_key) and not new.matches(data_key)
    new_path = tmp_path / "new.keys"
    new.save(new_path)
    new = KeySlots.load(new_path)
    for user, password in PASSWORDS.items():
        assert new.unlock(user, password) == new_key
    assert new.unlock(RECOVERY_SLOT, code) == new_key
    assert read(new_path)["slots"]["alice"]["private_key"] == read(path)["slots"]["alice"]["private_key"]


def test_old_generation_data_key_cannot_be_spliced_in(path, tmp_path):
    old = KeySlots.load(path)
    new_path = tmp_path / "new.keys"
    old.rewrapped(new_data_key(), trusted(old)).save(new_path)
    doc = read(new_path)
    doc["slots"]["alice"]["data_key"] = read(path)["slots"]["alice"]["data_key"]
    write(new_path, doc)
    with pytest.raises(SlotFileCorrupt) as err:
        KeySlots.load(new_path).unlock("alice", PASSWORDS["alice"])
    assert str(new_path) in err.value.message


def test_old_file_relabelled_as_new_generation_fails(path):
    doc = read(path)
    doc["generation"] = 2
    write(path, doc)
    with pytest.raises(SlotFileCorrupt):
        KeySlots.load(path).unlock("alice", PASSWORDS["alice"])


@pytest.mark.parametrize("change", ["swap", "extra", "missing"])
def test_rewrapped_refuses_untrusted_public_keys(slots, change):
    keys = trusted(slots)
    attacker = X25519PrivateKey.generate().public_key().public_bytes_raw()
    if change == "swap":
        keys["bob"] = attacker
    elif change == "extra":
        keys["mallory"] = attacker
    else:
        del keys["bob"]
    with pytest.raises(SlotFileCorrupt):
        slots.rewrapped(new_data_key(), keys)


def test_rewrapped_refuses_a_side_file_with_a_swapped_public_key(path, slots):
    keys = trusted(slots)  # as recorded in the database
    doc = read(path)
    doc["slots"]["bob"]["public_key"] = base64.b64encode(
        X25519PrivateKey.generate().public_key().public_bytes_raw()).decode()
    write(path, doc)
    with pytest.raises(SlotFileCorrupt):
        KeySlots.load(path).rewrapped(new_data_key(), keys)


# ---- binding: a slot only opens where it was made -------------------------------------------------------

def test_slot_copied_to_another_slot_id_fails(path):
    doc = read(path)
    doc["slots"]["bob"] = copy.deepcopy(doc["slots"]["alice"])
    write(path, doc)
    with pytest.raises(WrongSecret):
        KeySlots.load(path).unlock("bob", PASSWORDS["alice"])


def test_data_key_copied_between_slots_fails(path):
    doc = read(path)
    doc["slots"]["bob"]["data_key"] = doc["slots"]["alice"]["data_key"]
    write(path, doc)
    with pytest.raises(SlotFileCorrupt):
        KeySlots.load(path).unlock("bob", PASSWORDS["bob"])


def test_db_id_mismatch_fails(path):
    doc = read(path)
    doc["db_id"] = "site-0002"
    write(path, doc)
    with pytest.raises(KeySlotError):
        KeySlots.load(path).unlock("alice", PASSWORDS["alice"])


# ---- damaged or missing files --------------------------------------------------------------------------

def test_missing_file(tmp_path):
    missing = tmp_path / "site.keys"
    with pytest.raises(SlotFileMissing) as err:
        KeySlots.load(missing)
    assert str(missing) in err.value.message


def _not_json(path: Path) -> None:
    path.write_bytes(b"\xff\xfe this is not json")


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def _edit(change):
    def apply(path: Path) -> None:
        doc = read(path)
        change(doc)
        write(path, doc)
    return apply


def _flip(doc: dict) -> None:
    raw = bytearray(base64.b64decode(doc["slots"]["alice"]["data_key"]["ciphertext"]))
    raw[5] ^= 0x01
    doc["slots"]["alice"]["data_key"]["ciphertext"] = base64.b64encode(bytes(raw)).decode()


LOAD_DAMAGE = {
    "not json": _not_json,
    "truncated": _truncated,
    "json list": _edit(lambda d: d.clear()),
    "wrong format": _edit(lambda d: d.update(format="something-else")),
    "wrong version": _edit(lambda d: d.update(version=3)),
    "missing field": _edit(lambda d: d["slots"]["bob"].pop("private_key")),
    "bad base64": _edit(lambda d: d["slots"]["bob"]["private_key"].update(nonce="not*base64!")),
    "wrong key length": _edit(lambda d: d["slots"]["bob"].update(public_key=base64.b64encode(b"short").decode())),
    "huge memory cost": _edit(lambda d: d["slots"]["bob"]["kdf"].update(memory_cost=1 << 30)),
    "string generation": _edit(lambda d: d.update(generation="1")),
}


@pytest.mark.parametrize("damage", LOAD_DAMAGE.values(), ids=LOAD_DAMAGE.keys())
def test_damaged_file_is_reported_on_load(path, damage):
    damage(path)
    with pytest.raises(SlotFileCorrupt) as err:
        KeySlots.load(path)
    assert str(path) in err.value.message


def test_flipped_byte_in_ciphertext(path):
    _edit(_flip)(path)
    ks = KeySlots.load(path)
    with pytest.raises(SlotFileCorrupt) as err:
        ks.unlock("alice", PASSWORDS["alice"])
    assert str(path) in err.value.message


# ---- saving ------------------------------------------------------------------------------------------

def test_save_leaves_no_temporary_file(path):
    assert [p.name for p in path.parent.iterdir()] == ["site.keys"]


def test_failed_save_leaves_the_original_unchanged(path, slots, data_key, monkeypatch):
    original = path.read_bytes()
    slots.add_slot("carol", "carol's password", data_key)

    def crash(*args, **kwargs):
        raise OSError("simulated crash during rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        slots.save(path)
    assert path.read_bytes() == original
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_file_holds_no_password_or_data_key(path, data_key, code):
    text = path.read_text("utf-8")
    forbidden = [*PASSWORDS.values(), code, normalise_recovery_code(code), data_key.hex(), data_key.hex().upper(),
                 base64.b64encode(data_key).decode(), base64.urlsafe_b64encode(data_key).decode()]
    for secret in forbidden:
        assert secret not in text


# ---- key derivation ----------------------------------------------------------------------------------

def test_calibrate_kdf_real_profile(monkeypatch):
    monkeypatch.delenv("ECRF_KDF_PROFILE")
    params = calibrate_kdf(target_seconds=0.01)
    assert params.memory_cost >= 65536 and 1 <= params.time_cost <= 20
    assert len(params.salt) == 16


def test_calibrate_kdf_fast_profile():
    a, b = calibrate_kdf(), calibrate_kdf()
    assert (a.time_cost, a.memory_cost, a.parallelism) == (1, 8192, 1)
    assert a.salt != b.salt


def test_derive_is_deterministic_per_salt():
    params = calibrate_kdf()
    same = KdfParams(params.time_cost, params.memory_cost, params.parallelism, params.salt)
    other = KdfParams(params.time_cost, params.memory_cost, params.parallelism, bytes(16))
    assert len(params.derive("pässword")) == 32
    assert params.derive("pässword") == same.derive("pässword")
    assert params.derive("pässword") != other.derive("pässword")
    assert params.derive(unicodedata.normalize("NFD", "pässword")) == params.derive("pässword")


def test_kdf_params_out_of_range_are_refused():
    with pytest.raises(ValueError):
        KdfParams(time_cost=1, memory_cost=1 << 30, parallelism=1, salt=bytes(16))
    with pytest.raises(ValueError):
        KdfParams(time_cost=0, memory_cost=8192, parallelism=1, salt=bytes(16))


def test_caller_supplied_kdf_round_trips(tmp_path, data_key):
    ks = KeySlots.new(DB_ID, data_key)
    ks.add_slot("alice", "pw", data_key, KdfParams(time_cost=2, memory_cost=8192, parallelism=2, salt=bytes(32)))
    ks.save(tmp_path / "site.keys")
    assert KeySlots.load(tmp_path / "site.keys").unlock("alice", "pw") == data_key


def test_each_slot_seals_a_personal_signing_key_that_survives_password_change_and_rekey(slots, path, data_key):
    opened = slots.open("alice", PASSWORDS["alice"])
    public = slots.signing_public("alice")
    assert opened.signing_public_hex == public and opened.site_kek is None
    slots.change_secret("alice", PASSWORDS["alice"], "a brand new passphrase")
    new_key = new_data_key()
    rekeyed = slots.rewrapped(new_key, {sid: slots.public_key(sid) for sid in slots.slot_ids})
    assert rekeyed.open("alice", "a brand new passphrase").signing_public_hex == public
    assert slots.signing_public("bob") != public  # every slot its own key


def test_site_key_is_sealed_only_to_granted_slots(slots):
    site_kek = new_data_key()
    slots.grant_site_key("alice", site_kek)
    assert slots.open("alice", PASSWORDS["alice"]).site_kek == site_kek
    assert slots.open("bob", PASSWORDS["bob"]).site_kek is None
    slots.revoke_site_key("alice")
    assert slots.open("alice", PASSWORDS["alice"]).site_kek is None


def test_a_version_1_slot_opens_and_gets_a_signing_key(slots, path):
    doc = json.loads(path.read_text("utf-8"))
    doc["version"] = 1
    for slot in doc["slots"].values():
        slot.pop("signing_key"), slot.pop("signing_public")
    path.write_text(json.dumps(doc), "utf-8")
    old = KeySlots.load(path)
    opened = old.open("alice", PASSWORDS["alice"])
    assert opened.signing_key is None and old.signing_public("alice") is None
    opened = old.add_signing_key(opened)
    old.save(path)
    assert KeySlots.load(path).open("alice", PASSWORDS["alice"]).signing_public_hex == opened.signing_public_hex
