"""The demo's key-derivation profile: the demo site's users (passwords printed in the README) get cheap,
marked Argon2id parameters; a real site never does, and a demo slot is not taken for a weak test slot."""
from __future__ import annotations

import json
import threading

import pytest

from ecrf.services.auth import change_own_password
from ecrf.store.kdf import DEMO_PROFILE, PRODUCTION_MEMORY_KIB, calibrate_kdf, demo_profile
from ecrf.store.keyslots import KeySlots, new_data_key
from ecrf.store.recovery_code import RECOVERY_SLOT
from ecrf.store.slot_file import SlotFileCorrupt

pytestmark = pytest.mark.req("WARD-SPEED-DEMO")


def test_only_slots_made_inside_the_demo_block_get_the_demo_profile(monkeypatch):
    monkeypatch.delenv("ECRF_KDF_PROFILE")
    with demo_profile():
        demo = calibrate_kdf()
        in_thread: list = []
        worker = threading.Thread(target=lambda: in_thread.append(calibrate_kdf(target_seconds=0.01)))
        worker.start()
        worker.join()
    assert demo.profile == DEMO_PROFILE and demo.memory_cost < PRODUCTION_MEMORY_KIB
    assert calibrate_kdf().profile is None  # after the block (here the test suite's fast parameters)
    [other] = in_thread  # another thread (the GUI's) is not in the demo's block
    assert other.profile is None and other.memory_cost >= PRODUCTION_MEMORY_KIB


def test_a_demo_slot_round_trips_and_is_not_weak(tmp_path):
    key = new_data_key()
    slots = KeySlots.new("site-1", key)
    with demo_profile():
        slots.add_slot("user:nurse", "demo-nurse-2020", key)
    slots.add_slot("user:admin", "a-password-1", key)  # ECRF_KDF_PROFILE=fast: weak test parameters
    slots.save(tmp_path / "site.keys")
    loaded = KeySlots.load(tmp_path / "site.keys")
    assert loaded.profile("user:nurse") == DEMO_PROFILE and not loaded.weak("user:nurse")
    assert loaded.profile("user:admin") is None and loaded.weak("user:admin")
    assert loaded.unlock("user:nurse", "demo-nurse-2020") == key


def test_an_unknown_profile_in_the_key_file_is_reported_as_damage(tmp_path):
    key = new_data_key()
    slots = KeySlots.new("site-1", key)
    with demo_profile():
        slots.add_slot("user:nurse", "demo-nurse-2020", key)
    slots.save(tmp_path / "site.keys")
    doc = json.loads((tmp_path / "site.keys").read_text())
    doc["slots"]["user:nurse"]["kdf"]["profile"] = "weaker"
    (tmp_path / "site.keys").write_text(json.dumps(doc))
    with pytest.raises(SlotFileCorrupt, match="out of range"):
        KeySlots.load(tmp_path / "site.keys")


def test_every_slot_of_the_demo_site_has_the_demo_profile(demo_template):
    """Every demo password is public, the administrator's too, and the recovery code is random: hardening
    would protect nothing and cost a newcomer's first start over a second."""
    slots = KeySlots.load(demo_template / "site.keys")
    users = {"user:admin", "user:investigator", "user:nurse", "user:monitor", "user:reader"}
    assert set(slots.slot_ids) == users | {RECOVERY_SLOT}
    assert all(slots.profile(s) == DEMO_PROFILE and not slots.weak(s) for s in slots.slot_ids)


def test_a_real_site_never_gets_the_demo_profile(sites):
    db_path, _ = sites.make()  # create_site and add_user, as `ecrf init` and the create-site dialog do
    slots = KeySlots.load(db_path.with_suffix(".keys"))
    assert len(slots.slot_ids) == 6 and all(slots.profile(s) is None for s in slots.slot_ids)


def test_logging_in_to_the_demo_keeps_its_cheap_slots(small_demo, monkeypatch):
    monkeypatch.delenv("ECRF_KDF_PROFILE")  # as a user runs it: weak test slots would be strengthened now
    keys = small_demo.db_path.with_suffix(".keys")
    before = json.loads(keys.read_text())["slots"]["user:nurse"]
    small_demo.login("nurse").close()
    assert json.loads(keys.read_text())["slots"]["user:nurse"] == before


def test_a_demo_administrator_who_changes_the_password_gets_a_hardened_slot(small_demo):
    """The demo profile is for the public passwords only: a password of one's own is hardened as on any site."""
    session = small_demo.login("admin")
    try:
        change_own_password(session, "demo-admin-2020", "my-own-password-9")
    finally:
        session.close()
    slots = KeySlots.load(small_demo.db_path.with_suffix(".keys"))
    assert slots.profile("user:admin") is None
    assert slots.profile("user:nurse") == DEMO_PROFILE
