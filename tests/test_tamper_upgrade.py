"""A site made before tamper evidence (schema 0003, key file version 1, a clear site key, no seals) opens and
upgrades in place: each user's personal key is made at their next login, the site key is sealed to the roles
that export, events from before the upgrade are reported as "before seals" (never as sealed), and the replay
covers them too."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ecrf.export.verify.bundle import verify_bundle
from ecrf.services import audit_trail, auth, export
from ecrf.store.engine import raw_connect
from ecrf.store.keyslots import KeySlots

FIXTURE = Path(__file__).resolve().parent / "data" / "schema-0003"
RECOVERY_CODE = "V37JW-B2N2S-CR0F0-WZ1VK-NACBS"


def password(user: str) -> str:
    return f"demo-{user}-2020"


@pytest.fixture
def old_site(tmp_path: Path) -> Path:
    for name in ("site.db", "site.keys"):
        shutil.copyfile(FIXTURE / name, tmp_path / name)
    return tmp_path / "site.db"


def login(db: Path, study, user: str):  # type: ignore[no-untyped-def]
    return auth.login(db, study, user, password(user))


@pytest.mark.req("STORE-MIGRATE")
@pytest.mark.req("TRAIL-SEALED")
def test_the_fixture_is_from_before_tamper_evidence():
    assert json.loads((FIXTURE / "site.keys").read_text("utf-8"))["version"] == 1


@pytest.mark.req("STORE-MIGRATE")
@pytest.mark.req("TRAIL-SEALED")
def test_an_old_site_upgrades_in_place_and_reports_its_old_events_as_before_seals(old_site: Path, study,
                                                                                  tmp_path: Path):
    reader = login(old_site, study, "reader")  # the first login after the upgrade: any role
    try:
        key = reader.database.data_key
        report = audit_trail.verify(reader)
        assert report.ok, report.problems
        assert report.before_seals > 50 and any("before this site sealed its trail" in n for n in report.notes)
        assert reader.database.opened.site_kek is None  # a read-only password never reaches the site key
    finally:
        reader.close()
    conn = raw_connect(old_site, key)
    assert all(der == b"" and sealed for der, sealed in conn.execute("SELECT key_der, sealed_key FROM signing_keys"))
    conn.close()
    nurse = login(old_site, study, "nurse")
    try:
        assert nurse.database.opened.site_kek is not None
        out = tmp_path / "out"
        out.mkdir()
        bundle = export.export_bundle(nurse, out).path
    finally:
        nurse.close()
    verdict = verify_bundle(bundle)
    assert verdict.ok, verdict.problems
    assert any("before this site sealed its trail" in note for note in verdict.notes)
    slots = KeySlots.load(old_site.with_suffix(".keys"))
    assert slots.signing_public("user:nurse") and slots.signing_public("user:reader")
    assert slots.signing_public("user:monitor") is None  # made at the monitor's own next login


@pytest.mark.req("STORE-MIGRATE")
def test_recovery_on_an_old_site_gives_the_recovery_code_a_key_too(old_site: Path, study):
    auth.recover_password(old_site, RECOVERY_CODE, "monitor", "a-new-monitor-password")
    session = auth.login(old_site, study, "monitor", "a-new-monitor-password")
    try:
        report = audit_trail.verify(session)
        assert report.ok, report.problems
    finally:
        session.close()
