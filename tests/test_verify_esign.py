"""`ecrf verify` checks every electronic signature from the bundle alone: the signature over what the row
says, the signer's personal key as the trail issued it, and the covered data against items_long.csv."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from subject_helpers import enrol, password_of, save_confirming

from ecrf.export.verify.bundle import verify_bundle
from ecrf.services import esign, esign_views, export, export_records
from ecrf.services.subject_data import FormRef
from ecrf.study.status import Scope
from ecrf.trail.esign import Place

pytestmark = [pytest.mark.req("ESIGN-DATA"), pytest.mark.req("P11.70")]
PASSWORD = password_of("investigator")


@pytest.fixture
def signed(sites, monkeypatch):  # type: ignore[no-untyped-def]
    """An investigator's session with a subject whose screening visit and DM form are signed; the export
    records' signatures are shaped by `doctor` (a tampered row, a foreign key...)."""
    doctor: list = [lambda record: record]

    def with_signatures(*args, **kwargs):  # type: ignore[no-untyped-def]
        record = original(*args, **kwargs)
        return dataclasses.replace(record, signatures=tuple(doctor[0](r) for r in record.signatures))

    original = export_records.subject_record
    monkeypatch.setattr(export_records, "subject_record", with_signatures)
    db_path, _ = sites.make()
    session = sites.login(db_path, "investigator")
    label = enrol(session, manual=("MSC", "M001"))
    esign.certify(session, PASSWORD)
    esign.sign(session, label, Scope.VISIT, visit="SCR", username="investigator", password=PASSWORD)
    esign.sign(session, label, Scope.FORM, ref=Place("SCR", "DM"), password=PASSWORD)
    yield session, label, doctor
    session.close()


def _bundle(session, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    folder.mkdir(exist_ok=True)
    return export.export_bundle(session, folder).path


def test_a_bundle_with_valid_signatures_verifies(signed, tmp_path):
    session, _, _ = signed
    verdict = verify_bundle(_bundle(session, tmp_path / "out"))
    assert verdict.ok, verdict.problems
    assert verdict.esignatures == len(esign_views.signatures_of(session, signed[1])) >= 4
    from ecrf.cli.verify import _facts

    assert (f"e-signed:  {verdict.esignatures} electronic signatures: each signature, signer's key and signed data "
            "checked") in "\n".join(_facts(verdict))


def test_a_broken_signature_is_reported_as_broken_not_as_a_problem(signed, tmp_path):
    session, label, _ = signed
    save_confirming(session, FormRef(label, "SCR", "DM"), {"WEIGHT": "71.0"}, complete=True, reason="typo")
    verdict = verify_bundle(_bundle(session, tmp_path / "out"))
    assert verdict.ok, verdict.problems
    # DM and the visit of the visit ceremony, and DM signed on its own
    assert any("3 electronic signature(s) are marked broken" in note for note in verdict.notes)


def test_a_signature_claimed_valid_over_changed_data_is_found(signed, tmp_path):
    session, label, doctor = signed
    save_confirming(session, FormRef(label, "SCR", "DM"), {"WEIGHT": "71.0"}, complete=True, reason="typo")
    doctor[0] = lambda r: dataclasses.replace(r, state="valid", broken_at=None, broken_reason=None)
    verdict = verify_bundle(_bundle(session, tmp_path / "out"))
    assert not verdict.ok
    assert any("the signed data differ from the bundle's items_long.csv" in p for p in verdict.problems)


def test_a_row_changed_after_signing_or_signed_by_a_foreign_key_is_found(signed, tmp_path):
    session, _, doctor = signed
    doctor[0] = lambda r: dataclasses.replace(r, full_name="Someone Else") if r.scope == "visit" else r
    verdict = verify_bundle(_bundle(session, tmp_path / "one"))
    assert [p for p in verdict.problems if "does not verify with its public key" in p], verdict.problems

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ecrf.trail import esign as signed_data
    from ecrf.trail.esign import Signed

    foreign = Ed25519PrivateKey.generate()

    def forged(r):  # type: ignore[no-untyped-def]
        facts = Signed(session.study.info.oid, _db_id(session), r.ceremony, r.scope, _screening(session, r.subject),
                       r.visit, r.form, r.timepoint, r.repeat, r.username, r.full_name, r.meaning_en, r.meaning_zh,
                       r.meaning_version, r.signed_at, r.data_hash)
        made = signed_data.sign(foreign, facts)
        return dataclasses.replace(r, key_id=made.key_id, public_key=made.public_key, signature=made.signature)

    doctor[0] = forged
    verdict = verify_bundle(_bundle(session, tmp_path / "two"))
    assert [p for p in verdict.problems if "a key the audit trail did not give investigator" in p], \
        verdict.problems


def _db_id(session) -> str:  # type: ignore[no-untyped-def]
    from ecrf.store.models import Site

    with session.database.read() as db:
        site = db.get(Site, 1)
        assert site is not None
        return site.db_id


def _screening(session, label: str) -> str:  # type: ignore[no-untyped-def]
    from ecrf.services.subject_data import find_subject

    with session.database.read() as db:
        return find_subject(db, label).screening_no


def test_a_removed_log_entry_is_not_covered_and_the_casebook_signed_after_it_verifies(signed, tmp_path):
    from ecrf.services import logs

    session, label, _ = signed
    logs.add_log_entry(session, label, "AE", {"AETERM": "Headache"})
    logs.remove_log_entry(session, label, "AE", 1, "entered for the wrong subject")
    esign.sign(session, label, Scope.SUBJECT, password=PASSWORD)
    verdict = verify_bundle(_bundle(session, tmp_path / "out"))
    assert verdict.ok, verdict.problems


def test_a_signature_the_trail_never_recorded_is_found_even_with_the_signers_own_key(signed, tmp_path):
    """A row made with the investigator's real key but never through a ceremony (no `signed` event)."""
    from ecrf.trail import esign as signed_data
    from ecrf.trail.esign import Signed

    session, _, doctor = signed
    key = session.actor.signing_key

    def unrecorded(r):  # type: ignore[no-untyped-def]
        if r.scope != "visit":
            return r
        ceremony = "00000000-0000-4000-8000-000000000000"
        facts = Signed(session.study.info.oid, _db_id(session), ceremony, r.scope, _screening(session, r.subject),
                       r.visit, r.form, r.timepoint, r.repeat, r.username, r.full_name, r.meaning_en, r.meaning_zh,
                       r.meaning_version, r.signed_at, r.data_hash)
        made = signed_data.sign(key, facts)
        return dataclasses.replace(r, ceremony=ceremony, signature=made.signature)

    doctor[0] = unrecorded
    verdict = verify_bundle(_bundle(session, tmp_path / "out"))
    assert [p for p in verdict.problems if "no 'signed' event of the audit trail records this signature" in p], \
        verdict.problems


def test_the_roles_a_verifier_accepts_as_signers_are_the_permission_tables():
    from ecrf.services.permissions import ALLOWED, Do
    from ecrf.trail.esign import SIGNER_ROLES

    assert {role for role, actions in ALLOWED.items() if Do.SIGN in actions} == SIGNER_ROLES
