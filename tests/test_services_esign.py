"""Electronic signatures: certification, the signing session, ceremonies per scope, warnings and refusals,
broken signatures on change (21 CFR 11.50, 11.70, 11.100, 11.200)."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from subject_helpers import actions_after, enrol, events_after, last_seq, password_of, save_confirming

from ecrf.services import auth, esign, esign_views, logs
from ecrf.services.errors import AccountLocked, InvalidInput, LoginFailed, PermissionDenied, WrongState
from ecrf.services.esign import SignatureWarnings
from ecrf.services.subject_data import FormRef
from ecrf.store.models import QueryRow, SignatureRow, Site, Subject
from ecrf.study import clock as app_clock
from ecrf.study.status import Scope, SignatureState
from ecrf.trail import esign as signed_data
from ecrf.trail.esign import Place, Signed

INV_PASSWORD = password_of("investigator")
DM = Place("SCR", "DM")


@pytest.fixture
def site(sites):  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    investigator = sites.login(db_path, "investigator")
    label = enrol(investigator, manual=("CTRL", "M001"))
    yield investigator, label, db_path
    investigator.close()


@pytest.mark.req("P11.100")
def test_the_first_signature_needs_a_certification_once(site):
    session, label, _ = site
    with pytest.raises(WrongState) as refused:
        esign.sign(session, label, Scope.FORM, ref=DM, username="investigator", password=INV_PASSWORD)
    assert refused.value.code == "esign-not-certified"
    before = last_seq(session)
    esign.certify(session, INV_PASSWORD)
    assert actions_after(session, before) == ["esign_certified"]
    stored = esign.certification(session)
    assert stored is not None and "handwritten" in stored.statement and "手写签名" in stored.statement
    with pytest.raises(WrongState) as again:
        esign.certify(session, INV_PASSWORD)
    assert again.value.code == "esign-already-certified"


@pytest.mark.req("P11.50")
@pytest.mark.req("ESIGN-DATA")
def test_a_form_signature_binds_name_meaning_time_and_the_data(site):
    session, label, _ = site
    esign.certify(session, INV_PASSWORD)
    before = last_seq(session)
    result = esign.sign(session, label, Scope.FORM, ref=DM, username="investigator", password=INV_PASSWORD)
    assert result.forms == (DM,)
    assert actions_after(session, before) == ["signed"]
    [view] = esign_views.signatures_of(session, label)
    assert (view.scope, view.visit, view.form, view.full_name, view.state) == (
        "form", "SCR", "DM", "Investigator Tester", SignatureState.VALID)
    assert view.meaning.get("en") == session.study.monitoring.signature.meaning.get("en")
    assert view.meaning.get("zh") and view.meaning_version == session.study.monitoring.signature.meaning_version
    with session.database.read() as db:
        row = db.scalar(select(SignatureRow))
        subject = db.scalar(select(Subject))
        assert row is not None and subject is not None
        site_row = db.get(Site, 1)
        assert site_row is not None
        signed = Signed(session.study.info.oid, site_row.db_id, row.ceremony, row.scope, subject.screening_no,
                        row.visit_code, row.form_code, row.timepoint, row.repeat, row.username, row.full_name,
                        row.meaning_en, row.meaning_zh, row.meaning_version, row.signed_at, row.data_hash)
        assert signed_data.valid(signed, row.public_key, row.signature)
        # The key is the signer's personal key, the one their session seals the trail with.
        assert session.actor.signing_key is not None
        assert row.public_key == signed_data.sign(session.actor.signing_key, signed).public_key
        tampered = Signed(*{**signed.__dict__, "meaning_en": "I only looked at it"}.values())
        assert not signed_data.valid(tampered, row.public_key, row.signature)


@pytest.mark.req("P11.200")
def test_later_signatures_of_a_session_need_the_password_only_until_the_session_is_locked(site):
    session, label, _ = site
    esign.certify(session, INV_PASSWORD)
    with pytest.raises(InvalidInput) as asked:
        esign.sign(session, label, Scope.FORM, ref=DM, password=INV_PASSWORD)
    assert asked.value.code == "esign-username-required"
    assert esign.needs_username(session)
    esign.sign(session, label, Scope.FORM, ref=DM, username="investigator", password=INV_PASSWORD)
    assert not esign.needs_username(session)
    esign.sign(session, label, Scope.FORM, ref=Place("SCR", "IE"), password=INV_PASSWORD)
    auth.lock(session)
    auth.reauthenticate(session, INV_PASSWORD)
    assert esign.needs_username(session)
    with pytest.raises(InvalidInput):
        esign.sign(session, label, Scope.FORM, ref=DM, password=INV_PASSWORD)


@pytest.mark.req("P11.200")
@pytest.mark.req("P11.10d")
def test_a_wrong_password_counts_toward_the_lockout_and_is_audited(site):
    session, label, _ = site
    esign.certify(session, INV_PASSWORD)
    before = last_seq(session)
    with pytest.raises(InvalidInput) as other:  # the signer is the user logged in: said, not counted
        esign.sign(session, label, Scope.FORM, ref=DM, username="nurse", password=password_of("nurse"))
    assert other.value.code == "esign-not-own-username"
    with pytest.raises(LoginFailed) as wrong:
        esign.sign(session, label, Scope.FORM, ref=DM, username="investigator", password="not-my-password")
    assert wrong.value.params["left"] == 4 and wrong.value.code == "password-wrong"
    with pytest.raises(LoginFailed) as wrong:
        esign.sign(session, label, Scope.FORM, ref=DM, username="investigator", password="not-my-password")
    assert wrong.value.params["left"] == 3
    failed = [e for e in events_after(session, before) if e.action == "login_failed"]
    assert [e.item for e in failed] == ["investigator", "investigator"]
    assert all("electronic signature" in (e.reason or "") for e in failed)
    with session.database.read() as db:
        assert db.scalar(select(SignatureRow)) is None
    for _ in range(3):
        with pytest.raises((LoginFailed, AccountLocked)):
            esign.sign(session, label, Scope.FORM, ref=DM, username="investigator", password="still-wrong")
    with pytest.raises(AccountLocked):  # locked out: even the right password waits
        esign.sign(session, label, Scope.FORM, ref=DM, username="investigator", password=INV_PASSWORD)


@pytest.mark.req("P11.10g")
def test_only_an_investigator_signs(sites, site):
    investigator, label, db_path = site
    investigator.close()
    nurse = sites.login(db_path, "nurse")
    try:
        before = last_seq(nurse)
        with pytest.raises(PermissionDenied):
            esign.sign(nurse, label, Scope.FORM, ref=DM, username="nurse", password=password_of("nurse"))
        with pytest.raises(PermissionDenied):
            esign.certify(nurse, password_of("nurse"))
        assert last_seq(nurse) == before
    finally:
        nurse.close()


def test_a_visit_ceremony_signs_every_form_and_the_visit(site):
    session, label, _ = site
    esign.certify(session, INV_PASSWORD)
    result = esign.sign(session, label, Scope.VISIT, visit="SCR", username="investigator", password=INV_PASSWORD)
    views = esign_views.signatures_of(session, label)
    assert {v.ceremony for v in views} == {result.ceremony}
    assert [(v.scope, v.form) for v in views] == [*(("form", p.form) for p in result.forms), ("visit", "")]
    assert {p.form for p in result.forms} >= {"DM", "IE"}


@pytest.mark.req("P11.10f")
def test_incomplete_forms_refuse_and_open_queries_warn_as_the_plan_says(site):
    session, label, _ = site
    esign.certify(session, INV_PASSWORD)
    save_confirming(session, FormRef(label, "D0", "VS"), {"VSDAT": app_clock.today().isoformat(), "PULSE": "80"})
    with pytest.raises(WrongState) as refused:
        esign.sign(session, label, Scope.SUBJECT, username="investigator", password=INV_PASSWORD)
    assert refused.value.code == "esign-incomplete" and "D0/VS" in refused.value.params["forms"]
    _open_query(session, label, "SCR", "DM")
    before = last_seq(session)
    with pytest.raises(SignatureWarnings) as warned:
        esign.sign(session, label, Scope.FORM, ref=DM, username="investigator", password=INV_PASSWORD)
    assert [w.code for w in warned.value.warnings] == ["esign-warn-open-queries"]
    assert "质疑" in warned.value.text("zh")
    assert last_seq(session) == before  # a warning is asked before the password: nothing counted or written
    esign.sign(session, label, Scope.FORM, ref=DM, username="investigator", password=INV_PASSWORD,
               acknowledge_warnings=True)
    [signed] = [e for e in events_after(session, before) if e.action == "signed"]
    assert "warnings acknowledged" in (signed.reason or "") and "1 query" in (signed.reason or "")


def _open_query(session, label: str, visit: str, form: str) -> None:  # type: ignore[no-untyped-def]
    """An open query written straight into the table (the queries service is another branch's)."""
    with session.database.write() as db:
        subject = db.scalar(select(Subject).where(Subject.subject_id == label))
        assert subject is not None
        db.add(QueryRow(subject_pk=subject.id, scope="form", visit_code=visit, form_code=form, origin="manual",
                        state="open", raised_by="monitor", raised_role="monitor", raised_at="2026-01-01T00:00:00Z",
                        updated_at="2026-01-01T00:00:00Z"))


@pytest.mark.req("ESIGN-DATA")
def test_a_change_of_covered_data_breaks_form_visit_and_subject_signatures_until_signed_again(site):
    session, label, _ = site
    esign.certify(session, INV_PASSWORD)
    esign.sign(session, label, Scope.VISIT, visit="SCR", username="investigator", password=INV_PASSWORD)
    esign.sign(session, label, Scope.FORM, ref=Place("SCR", "IE"), password=INV_PASSWORD)
    before = last_seq(session)
    save_confirming(session, FormRef(label, "SCR", "DM"), {"WEIGHT": "70.0"}, complete=True,
                    reason="transcription error")
    broken = [e for e in events_after(session, before) if e.action == "signature_broken"]
    assert sorted((e.form or "", e.item) for e in broken) == [("", "visit"), ("DM", "form")]
    assert all("transcription error" in (e.reason or "") and "WEIGHT" in (e.reason or "") for e in broken)
    states = {(v.scope, v.form): v.state for v in esign_views.signatures_of(session, label)}
    assert states[("form", "IE")] is SignatureState.VALID  # not covering the change: stays valid
    assert states[("form", "DM")] is SignatureState.BROKEN and states[("visit", "")] is SignatureState.BROKEN
    ready = [(r.scope, r.visit, r.broken) for r in esign_views.ready_for_signature(session) if r.subject == label]
    assert (Scope.VISIT, "SCR", True) in ready
    esign.sign(session, label, Scope.VISIT, visit="SCR", password=INV_PASSWORD)
    ready = [(r.scope, r.visit) for r in esign_views.ready_for_signature(session) if r.subject == label]
    assert (Scope.VISIT, "SCR") not in ready


@pytest.mark.req("ESIGN-DATA")
def test_a_new_log_entry_breaks_the_casebook_signature(site):
    session, label, _ = site
    esign.certify(session, INV_PASSWORD)
    esign.sign(session, label, Scope.SUBJECT, username="investigator", password=INV_PASSWORD)
    before = last_seq(session)
    logs.add_log_entry(session, label, "AE", {"AETERM": "Headache"})
    broken = [e for e in events_after(session, before) if e.action == "signature_broken"]
    assert [e.item for e in broken] == ["subject"] and "AE #1" in (broken[0].reason or "")


def test_the_data_hash_is_the_same_from_plain_tuples_in_any_order():
    items = [("B", "2", None), ("A", "1", None), ("C", None, "ND"), ("D", "", "")]
    same = [("C", "", "ND"), ("A", "1", ""), ("B", "2", "")]
    assert signed_data.form_hash("S1", DM, items) == signed_data.form_hash("S1", DM, same)
    assert signed_data.form_hash("S1", DM, items) != signed_data.form_hash("S2", DM, items)
    forms = {DM: items, Place("SCR", "IE"): [("X", "Y", None)], Place("D0", "VS"): [("P", "80", None)]}
    visit = signed_data.data_hash("S1", "visit", Place("SCR", ""), forms)
    assert visit == signed_data.data_hash("S1", "visit", Place("SCR", ""), dict(reversed(forms.items())))
    assert visit != signed_data.data_hash("S1", "subject", Place("", ""), forms)


def test_ready_for_signature_lists_complete_casebooks_and_visits_not_validly_signed(site):
    session, label, _ = site
    esign.certify(session, INV_PASSWORD)

    def mine() -> set[tuple[Scope, str]]:
        return {(r.scope, r.visit) for r in esign_views.ready_for_signature(session) if r.subject == label}

    assert {(Scope.SUBJECT, ""), (Scope.VISIT, "SCR")} <= mine()
    esign.sign(session, label, Scope.SUBJECT, username="investigator", password=INV_PASSWORD)
    assert mine() == set()  # the casebook signature covers its visits too


@pytest.mark.req("P11.50")
def test_a_casebook_with_a_visit_due_and_never_started_is_not_signed(sites):
    """Forms of a visit whose window closed and that were never started have their required items empty too."""
    from datetime import timedelta

    db_path, _ = sites.make()
    investigator = sites.login(db_path, "investigator")
    try:
        day0 = app_clock.today() - timedelta(days=10)
        label = enrol(investigator, manual=("CTRL", "M001"), day0=day0, consent=day0 - timedelta(days=1))
        esign.certify(investigator, INV_PASSWORD)
        with pytest.raises(WrongState) as refused:
            esign.sign(investigator, label, Scope.SUBJECT, username="investigator", password=INV_PASSWORD)
        assert refused.value.code == "esign-incomplete" and "D0/VS" in refused.value.message
        assert "D14" not in refused.value.message  # not due yet: signing after Day 28 does not wait for Day 90
        assert "SCR/VS" in refused.value.message  # screening's window closed too, its vital signs never entered
        # A complete form can still be signed on its own.
        esign.sign(investigator, label, Scope.FORM, ref=DM, username="investigator", password=INV_PASSWORD)
    finally:
        investigator.close()
