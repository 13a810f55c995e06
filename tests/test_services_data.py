"""Data rules of the services: findings refuse or ask, completion, reasons for changes, values read back as
saved, log entries removed only by marking, allocation and the end of participation, the idle lock."""
from __future__ import annotations

import time
from datetime import date, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text
from subject_helpers import (
    IE_ELIGIBLE,
    actions_after,
    consent_day,
    dm_values,
    enrol,
    events_after,
    head,
    instance_of,
    save_confirming,
    screen,
    stored,
    subject_row,
)

from ecrf.services import auth, forms, logs, subjects, users
from ecrf.services.errors import (
    InvalidInput,
    LoginFailed,
    NeedsConfirmation,
    PermissionDenied,
    ReasonRequired,
    ValuesRefused,
    WrongState,
)
from ecrf.services.subject_data import FormRef
from ecrf.store.errors import StoreError
from ecrf.store.models import AllocationSlot, ItemValue, Subject, User
from ecrf.study import clock as app_clock
from ecrf.study.codec import from_text
from ecrf.study.findings import F
from ecrf.study.status import SubjectStatus
from ecrf.study.values import Missing, PartialDate

TODAY = app_clock.today()


# -- findings ------------------------------------------------------------------------------------------

@pytest.mark.req("P11.10a")
def test_hard_finding_refuses_the_save_and_stores_nothing(nurse):
    label = screen(nurse)
    ref = FormRef(label, "SCR", "VS")
    for values, code in (({"TEMP": "46.0", "PULSE": "80"}, F.ABOVE_HARD),
                         ({"SYSBP": "80", "DIABP": "90"}, F.CHECK_FAILED),
                         ({"TEMP": Missing("NA")}, F.MISSING_NOT_ALLOWED),
                         ({"VSDAT": (TODAY + timedelta(days=1)).isoformat()}, F.FUTURE_DATE),
                         ({"PULSE": "72.5"}, F.NOT_WHOLE)):
        before = head(nurse)
        with pytest.raises(ValuesRefused) as refused:
            forms.save_form(nurse, ref, values)
        assert code in {f.code for f in refused.value.findings}
        assert "was not saved" in refused.value.message
        assert head(nurse) == before
        assert instance_of(nurse, ref) is None

    forms.save_form(nurse, ref, {"PULSE": "80"})
    before = head(nurse)
    with pytest.raises(ValuesRefused):
        forms.save_form(nurse, ref, {"PULSE": "300", "RESP": "16"})
    assert stored(nurse, ref) == {"PULSE": 80}  # the valid RESP of the refused save is not kept either
    assert head(nurse) == before


@pytest.mark.req("P11.10a")
def test_soft_finding_asks_for_confirmation_which_is_stored(nurse):
    label = screen(nurse)
    ref = FormRef(label, "SCR", "VS")
    before = head(nurse)
    with pytest.raises(NeedsConfirmation) as asked:
        forms.save_form(nurse, ref, {"TEMP": "41.5"})
    assert head(nurse) == before and instance_of(nurse, ref) is None
    [finding] = asked.value.findings
    assert finding.key == "TEMP:outside-soft-range"
    assert "confirm" in asked.value.message

    forms.save_form(nurse, ref, {"TEMP": "41.5"}, confirm={finding.key})
    assert stored(nurse, ref)["TEMP"] == Decimal("41.5")
    with nurse.database.read() as db:
        row = db.scalar(select(ItemValue).where(ItemValue.item_code == "TEMP"))
        assert row is not None and row.confirmed == finding.key

    result = forms.save_form(nurse, ref, {"PULSE": "80"})  # an unrelated change: not asked again
    assert result.changed == ["PULSE"]
    assert [f.key for f in result.findings if f.confirmed] == [finding.key]

    with pytest.raises(NeedsConfirmation):  # a new value needs its own confirmation
        forms.save_form(nurse, ref, {"TEMP": "41.6"})
    assert stored(nurse, ref)["TEMP"] == Decimal("41.5")
    forms.save_form(nurse, ref, {"TEMP": "37.0"})  # back in range: nothing to confirm
    with nurse.database.read() as db:
        assert db.scalar(select(ItemValue.confirmed).where(ItemValue.item_code == "TEMP")) == ""


@pytest.mark.req("P11.10e")
def test_a_carried_confirmation_is_not_audited_again(nurse):
    label = screen(nurse)
    ref = FormRef(label, "SCR", "VS")
    forms.save_form(nurse, ref, {"TEMP": "41.5"}, confirm={"TEMP:outside-soft-range"})
    before = head(nurse)
    forms.save_form(nurse, ref, {"PULSE": "80"})
    assert actions_after(nurse, before) == ["value"]


@pytest.mark.req("P11.10f")
def test_completing_with_a_required_item_empty_is_refused_with_the_missing_items(nurse):
    label = subjects.screen_subject(nurse)
    ref = FormRef(label, "SCR", "DM")
    values = dm_values()
    del values["ICVER"], values["HEIGHT"]
    before = head(nurse)
    with pytest.raises(ValuesRefused) as refused:
        forms.save_form(nurse, ref, values, complete=True)
    assert {(f.item, f.code) for f in refused.value.findings} == {("ICVER", F.REQUIRED), ("HEIGHT", F.REQUIRED)}
    assert "cannot be marked complete" in refused.value.message
    assert head(nurse) == before and instance_of(nurse, ref) is None

    assert forms.save_form(nurse, ref, values).status == "in_progress"  # saving without completing is fine
    result = forms.save_form(nurse, ref, {"ICVER": "V1.0", "HEIGHT": Missing("ND")}, complete=True)
    assert result.status == "complete"


@pytest.mark.req("DATA-REASON")
def test_changing_a_complete_form_needs_a_reason_which_is_audited(nurse):
    label = screen(nurse)
    ref = FormRef(label, "SCR", "DM")
    before = head(nurse)
    with pytest.raises(ReasonRequired) as refused:
        forms.save_form(nurse, ref, {"ICVER": "V1.1 2020-02-01"})
    assert "ICVER" in refused.value.message
    with pytest.raises(ReasonRequired):
        forms.save_form(nurse, ref, {"ICVER": "V1.1 2020-02-01"}, reason="   ")
    assert head(nurse) == before and stored(nurse, ref)["ICVER"] == "V1.0 2020-01-20"

    result = forms.save_form(nurse, ref, {"ICVER": "V1.1 2020-02-01"}, reason="wrong version transcribed")
    assert (result.status, result.changed) == ("complete", ["ICVER"])
    [event] = events_after(nurse, before)
    assert (event.action, event.item, event.old_value, event.new_value, event.reason) == (
        "value", "ICVER", "V1.0 2020-01-20", "V1.1 2020-02-01", "wrong version transcribed")
    assert forms.save_form(nurse, ref, {"ICVER": "V1.1 2020-02-01"}).changed == []  # no change, no reason


@pytest.mark.req("DATA-REASON")
def test_the_reason_for_filling_an_empty_item_of_a_complete_form_is_audited(nurse):
    label = screen(nurse)
    ref = FormRef(label, "SCR", "CT")
    save_confirming(nurse, ref, CT_COMPLETE, complete=True)  # IMPRESS (optional) left empty
    with pytest.raises(ReasonRequired):
        forms.save_form(nurse, ref, {"IMPRESS": "typical COVID-19 pneumonia"})
    before = head(nurse)
    forms.save_form(nurse, ref, {"IMPRESS": "typical COVID-19 pneumonia"}, reason="radiology report arrived")
    [event] = events_after(nurse, before)
    assert (event.item, event.reason) == ("IMPRESS", "radiology report arrived")


CT_COMPLETE = {"IMDAT": TODAY.isoformat(), "IMMOD": "CT", "GGO": "Y", "CONSOL": "N", "CRAZY": "N",
               "SEPTAL": "N", "PLEFF": "N", "LOBES": "RUL;LLL", "LATER": "BI", "DISTRIB": "PERIPH",
               "SCRUL": "1", "SCRML": "0", "SCRLL": "0", "SCLUL": "0", "SCLLL": "2", "CHANGE": "NA"}


# -- values read back as saved -------------------------------------------------------------------------

ROUND_TRIP: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    # (id, form, entered, read back); SCR forms go to a new subject in screening, logs to an enrolled one
    ("decimal", "DM", {"HEIGHT": "172.5"}, {"HEIGHT": Decimal("172.5")}),
    ("decimal-padded", "DM", {"WEIGHT": "68"}, {"WEIGHT": Decimal("68.0")}),
    ("decimal-typed", "DM", {"HEIGHT": Decimal("180.1")}, {"HEIGHT": Decimal("180.1")}),
    ("decimal-3-places", "CM", {"CMDOSE": "0.5"}, {"CMDOSE": Decimal("0.500")}),
    ("date", "DM", {"BRTHDAT": "1975-02-28"}, {"BRTHDAT": date(1975, 2, 28)}),
    ("date-typed", "DM", {"BRTHDAT": date(1980, 12, 31)}, {"BRTHDAT": date(1980, 12, 31)}),
    ("partial-date-day", "AE", {"AESTDAT": "2020-02-UN"}, {"AESTDAT": PartialDate(2020, 2)}),
    ("partial-date-month", "AE", {"AESTDAT": "2020-UN-UN"}, {"AESTDAT": PartialDate(2020)}),
    ("partial-date-full", "AE", {"AESTDAT": "2020-02-15"}, {"AESTDAT": date(2020, 2, 15)}),
    ("time", "VS", {"VSTIM": "08:05"}, {"VSTIM": time_of_day(8, 5)}),
    ("integer", "VS", {"PULSE": "72"}, {"PULSE": 72}),
    ("yes-no", "CT", {"GGO": "y"}, {"GGO": "Y"}),
    ("single-choice", "DM", {"SEX": "F"}, {"SEX": "F"}),
    ("single-choice-integer-codes", "AE", {"AETOXGR": "3"}, {"AETOXGR": 3}),
    ("multi-choice", "AE", {"AESER": "Y", "AESCRIT": "AESHOSP;AESLIFE"},
     {"AESER": "Y", "AESCRIT": ("AESLIFE", "AESHOSP")}),
    ("multi-choice-typed", "CT", {"LOBES": ["LLL", "RUL"]}, {"LOBES": ("RUL", "LLL")}),
    ("text", "AE", {"AETERM": "  Infusion-related fever  "}, {"AETERM": "Infusion-related fever"}),
    ("text-chinese", "DM", {"ICVER": "第1.0版 2020-01-20"}, {"ICVER": "第1.0版 2020-01-20"}),
    ("missing-ND", "VS", {"TEMP": Missing("ND"), "PULSE": Missing("ND")}, {"TEMP": Missing("ND"),
                                                                             "PULSE": Missing("ND")}),
    ("missing-UNK", "CM", {"CMDOSE": Missing("UNK"), "CMROUTE": Missing("UNK")},
     {"CMDOSE": Missing("UNK"), "CMROUTE": Missing("UNK")}),
    ("missing-NA", "CT", {"LOBES": Missing("NA"), "SCRUL": Missing("NA")},
     {"LOBES": Missing("NA"), "SCRUL": Missing("NA")}),
    ("missing-UNK-shown-item", "EOS", {"DSDECOD": "DEATH", "DTHCAUS": Missing("UNK")},
     {"DSDECOD": "DEATH", "DTHCAUS": Missing("UNK")}),
]


@pytest.fixture(scope="module")
def round_trip_site(tmp_path_factory, study):  # type: ignore[no-untyped-def]
    from conftest import SiteMaker

    maker = SiteMaker(tmp_path_factory.mktemp("round-trip"), study)
    db, _ = maker.make()
    session = maker.login(db, "investigator")
    subject = enrol(session)
    yield session, subject
    session.close()


@pytest.mark.parametrize(("form", "entered", "expected"), [case[1:] for case in ROUND_TRIP],
                         ids=[case[0] for case in ROUND_TRIP])
def test_a_saved_value_reads_back_identically(round_trip_site, form, entered, expected):
    session, subject = round_trip_site
    if form in session.study.logs:
        try:
            repeat, _ = logs.add_log_entry(session, subject, form, entered)
        except NeedsConfirmation as asked:
            repeat, _ = logs.add_log_entry(session, subject, form, entered, confirm={f.key for f in asked.findings})
        ref = FormRef(subject, "", form, "", repeat)
    else:
        ref = FormRef(enrol(session), "D180", "EOS") if form == "EOS" else \
            FormRef(subjects.screen_subject(session), "SCR", form)
        save_confirming(session, ref, entered)
    got = stored(session, ref)
    assert {code: got.get(code) for code in expected} == expected
    assert {code: type(got.get(code)) for code in expected} == {code: type(v) for code, v in expected.items()}
    again = forms.save_form(session, ref, {code: got[code] for code in entered})
    assert again.changed == []  # what was read back is what is stored


def test_derived_values_read_back_typed(study):
    dm, ie = study.form("DM"), study.form("IE")
    assert from_text(dm.item("AGE"), "45", None) == 45
    assert from_text(dm.item("BMI"), "22.9", None) == Decimal("22.9")
    assert from_text(ie.item("IEELIG"), "Y", None) == "Y"


@pytest.mark.req("P11.10f")
def test_derived_values_are_stored_and_decide_eligibility(investigator):
    label = screen(investigator)
    assert stored(investigator, FormRef(label, "SCR", "DM"))["AGE"] == 45
    assert stored(investigator, FormRef(label, "SCR", "IE"))["IEELIG"] == "Y"
    assert subjects.eligibility(investigator, label).eligible is True
    assert subjects.allocate(investigator, label).rand_no == "R001"


# -- log entries are marked, never erased --------------------------------------------------------------

AE_COMPLETE = {"AETERM": "Headache", "AESTDAT": TODAY.isoformat(), "AEONGO": "Y", "AETOXGR": "1", "AESER": "N",
               "AEREL": "NA", "AEACN": "NA", "AECONTRT": "N", "AEOUT": "RECOVING"}


@pytest.mark.req("DATA-NO-ERASE")
def test_removing_a_log_entry_marks_it_and_keeps_its_values(investigator):
    subject = enrol(investigator, manual=("CTRL", "M001"))
    repeat, result = logs.add_log_entry(investigator, subject, "AE", AE_COMPLETE, complete=True)
    assert (repeat, result.status) == (1, "complete")
    ref = FormRef(subject, "", "AE", "", repeat)
    kept = stored(investigator, ref)
    with pytest.raises(InvalidInput):
        logs.remove_log_entry(investigator, subject, "AE", repeat, "  ")
    logs.remove_log_entry(investigator, subject, "AE", repeat, "entered for the wrong subject")
    instance = instance_of(investigator, ref)
    assert instance is not None
    assert (instance.deleted, instance.deleted_reason, instance.status) == (
        True, "entered for the wrong subject", "complete")
    assert stored(investigator, ref) == kept
    with pytest.raises(WrongState, match="removed"):
        forms.save_form(investigator, ref, {"AETERM": "Migraine"}, reason="typo")
    with pytest.raises(WrongState, match="removed already"):
        logs.remove_log_entry(investigator, subject, "AE", repeat, "again")
    assert logs.add_log_entry(investigator, subject, "AE", {"AETERM": "Migraine"})[0] == 2  # numbers not reused


@pytest.mark.req("P11.10e")
def test_an_empty_log_entry_is_not_audited_as_added(investigator):
    subject = enrol(investigator)
    before = head(investigator)
    try:
        logs.add_log_entry(investigator, subject, "AE", {})
    except InvalidInput:
        pass  # refusing an empty entry is fine too
    assert "log_entry_added" not in actions_after(investigator, before)
    repeat, _ = logs.add_log_entry(investigator, subject, "AE", {"AETERM": "Headache"})
    added = [e.repeat for e in events_after(investigator, before) if e.action == "log_entry_added"]
    assert added == [repeat]


@pytest.mark.req("DATA-NO-ERASE")
def test_the_database_refuses_to_delete_rows(investigator):
    subject = enrol(investigator)
    logs.add_log_entry(investigator, subject, "AE", {"AETERM": "Headache"})
    auth.lock(investigator)
    with pytest.raises(LoginFailed):
        auth.reauthenticate(investigator, "wrong-password")
    auth.reauthenticate(investigator, "investigator-password-1")  # the failure joins failed_logins
    before = head(investigator)
    for table in ("form_instances", "item_values", "subjects", "users", "allocation_list", "audit_events",
                  "failed_logins"):
        with investigator.database.read() as db:
            rows = db.scalar(text(f"SELECT count(*) FROM {table}"))
        assert rows > 0, table
        with pytest.raises(StoreError, match="never deleted|append-only"), investigator.database.write() as db:
            db.execute(text(f"DELETE FROM {table}"))
        with investigator.database.read() as db:
            assert db.scalar(text(f"SELECT count(*) FROM {table}")) == rows, table
    assert head(investigator) == before


@pytest.mark.req("DATA-NO-ERASE")
def test_the_database_refuses_to_delete_scheduled_or_cancelled_visits(investigator):
    subject = enrol(investigator)
    subjects.end_participation(investigator, subject, SubjectStatus.WITHDRAWN, TODAY, "withdrew consent")
    with pytest.raises(StoreError, match="never deleted"), investigator.database.write() as db:
        db.execute(text("DELETE FROM visits WHERE cancelled"))


@pytest.mark.req("DATA-NO-ERASE")
def test_the_audit_trail_cannot_be_updated_and_deactivated_users_stay(sites):
    db_path, _ = sites.make()
    admin = sites.login(db_path, "admin")
    try:
        users.deactivate_user(admin, "monitor", "left")
        with pytest.raises(StoreError, match="append-only"), admin.database.write() as db:
            db.execute(text("UPDATE audit_events SET reason = 'tampered' WHERE seq = 1"))
        assert admin.database.check_trail().ok
        with admin.database.read() as db:
            monitor = db.scalar(select(User).where(User.username == "monitor"))
            assert monitor is not None and monitor.active is False and monitor.slot_public_key is None
        assert "monitor" in {u.username for u in users.list_users(admin)}
    finally:
        admin.close()


# -- allocation ----------------------------------------------------------------------------------------

@pytest.mark.req("P11.10f")
def test_allocation_uses_the_list_entries_in_order(investigator):
    labels = [screen(investigator) for _ in range(3)]
    allocations = [subjects.allocate(investigator, label, day0=TODAY) for label in labels]
    assert [(a.subject_id, a.rand_no, a.arm) for a in allocations] == [
        ("CN01-001", "R001", "MSC"), ("CN01-002", "R002", "CTRL"), ("CN01-003", "R003", "MSC")]
    with investigator.database.read() as db:
        used = db.scalars(select(AllocationSlot).where(AllocationSlot.subject_pk.is_not(None))
                          .order_by(AllocationSlot.seq)).all()
        assert [s.rand_no for s in used] == ["R001", "R002", "R003"]
    subject = subject_row(investigator, labels[0])
    assert (subject.status, subject.subject_id, subject.arm, subject.day0) == (
        "enrolled", "CN01-001", "MSC", TODAY.isoformat())
    assert sorted(v.visit_code for v in subject.visits) == sorted(v.code for v in investigator.study.visits)
    assert stored(investigator, FormRef("CN01-001", "SCR", "RAND")) == {
        "RANDDAT": TODAY, "ARMCD": "MSC", "RANDNO": "R001"}
    with pytest.raises(WrongState, match="not in screening"):
        subjects.allocate(investigator, labels[0])


@pytest.mark.req("P11.10f")
def test_an_ineligible_or_undecided_subject_is_refused_with_the_reasons(investigator):
    ineligible = screen(investigator, ie={"IEEX02": "Y"})
    assert subjects.eligibility(investigator, ineligible).eligible is False
    undecided = subjects.screen_subject(investigator)
    forms.save_form(investigator, FormRef(undecided, "SCR", "DM"), dm_values(), complete=True)
    forms.save_form(investigator, FormRef(undecided, "SCR", "IE"), {"IEIN01": "Y"})
    too_young = subjects.screen_subject(investigator)
    forms.save_form(investigator, FormRef(too_young, "SCR", "DM"), dm_values(age=16), complete=True)
    forms.save_form(investigator, FormRef(too_young, "SCR", "IE"), IE_ELIGIBLE, complete=True)
    before = head(investigator)
    for label, words in ((ineligible, ["Exclusion 2", "answered Yes"]),
                         (undecided, ["Inclusion 2", "not answered yet", "Exclusion 5"]),
                         (too_young, ["Inclusion 1", "not met: Age 18–70 years at consent"])):
        with pytest.raises(WrongState) as refused:
            subjects.allocate(investigator, label)
        assert refused.value.message.startswith(f"{label} cannot be allocated: ")
        for word in words:
            assert word in refused.value.message
        with pytest.raises(WrongState):
            subjects.allocate_manually(investigator, label, "MSC", "ENV-1", "list PC broken")
        assert subject_row(investigator, label).status == "screening"
    assert head(investigator) == before
    assert subjects.allocate(investigator, screen(investigator)).rand_no == "R001"  # no entry was used up


@pytest.mark.req("P11.10f")
def test_manual_allocation_only_with_a_reason(investigator):
    label = screen(investigator)
    before = head(investigator)
    for arm, number, reason in (("MSC", "ENV-01", ""), ("MSC", "ENV-01", "   "), ("PLACEBO", "ENV-01", "outage")):
        with pytest.raises(InvalidInput):
            subjects.allocate_manually(investigator, label, arm, number, reason)
    assert head(investigator) == before
    allocation = subjects.allocate_manually(investigator, label, "CTRL", "ENV-01", "allocation PC broken")
    assert (allocation.arm, allocation.rand_no) == ("CTRL", "ENV-01")
    with pytest.raises(InvalidInput, match="already used"):
        subjects.allocate_manually(investigator, screen(investigator), "MSC", "ENV-01", "outage")
    assert subjects.allocate(investigator, screen(investigator)).rand_no == "R001"  # the list is untouched


@pytest.mark.req("P11.10f")
def test_no_allocation_number_is_given_twice(investigator):
    try:
        subjects.allocate_manually(investigator, screen(investigator), "MSC", "R001", "envelope R001 opened")
    except InvalidInput:
        pass  # refusing a number of the list is as good as marking its entry used
    subjects.allocate(investigator, screen(investigator))
    with investigator.database.read() as db:
        numbers = db.scalars(select(Subject.rand_no).where(Subject.rand_no.is_not(None))).all()
    assert len(numbers) == len(set(numbers)), numbers


@pytest.mark.req("P11.10f")
def test_allocation_refused_by_the_allocation_form_uses_nothing_up(investigator):
    label = screen(investigator)  # consent two days ago
    before = head(investigator)
    with pytest.raises(ValuesRefused, match="before the informed consent date"):
        subjects.allocate(investigator, label, day0=consent_day() - timedelta(days=1))
    assert head(investigator) == before
    row = subject_row(investigator, label)
    assert (row.status, row.subject_id, row.rand_no, row.visits) == ("screening", None, None, [])
    assert subjects.allocate(investigator, label).subject_id == "CN01-001"


@pytest.mark.req("P11.10f")
def test_the_allocation_list_is_checked_and_imported_once(sites):
    db, _ = sites.make(allocation=False)
    admin = sites.login(db, "admin")
    try:
        for bad, words in (("number,group\nR1,MSC\n", "columns rand_no and arm"),
                           ("rand_no,arm\nR1,MSC\nR2,PLACEBO\n", "Line 3"),
                           ("rand_no,arm\nR1,MSC\nR1,CTRL\n", "repeated"),
                           ("rand_no,arm\n", "no entries")):
            with pytest.raises(InvalidInput, match=words):
                subjects.import_allocation_list(admin, bad)
        assert actions_after(admin, 0).count("allocation_list_imported") == 0
        assert subjects.import_allocation_list(admin, "\ufeffrand_no,arm\nR1,MSC\nR2,CTRL\n") == 2
        with pytest.raises(WrongState, match="imported already"):
            subjects.import_allocation_list(admin, "rand_no,arm\nR3,MSC\n")
    finally:
        admin.close()


# -- end of participation ------------------------------------------------------------------------------

@pytest.mark.req("P11.10f")
def test_ending_participation_cancels_later_visits_and_refuses_their_data(investigator):
    day0 = TODAY - timedelta(days=4)
    subject = enrol(investigator, day0=day0, consent=TODAY - timedelta(days=6))  # list entry 1: MSC
    with pytest.raises(InvalidInput):
        subjects.end_participation(investigator, subject, SubjectStatus.WITHDRAWN, TODAY, " ")
    with pytest.raises(InvalidInput, match="before"):
        subjects.end_participation(investigator, subject, SubjectStatus.WITHDRAWN, day0 - timedelta(days=1), "x")
    with pytest.raises(WrongState, match="screen failure"):
        subjects.end_participation(investigator, subject, SubjectStatus.SCREEN_FAILURE, TODAY, "x")

    subjects.end_participation(investigator, subject, SubjectStatus.WITHDRAWN, TODAY, "withdrew consent")
    row = subject_row(investigator, subject)
    assert (row.status, row.ended_on, row.end_reason) == ("withdrawn", TODAY.isoformat(), "withdrew consent")
    cancelled = {v.visit_code for v in row.visits if v.cancelled}
    assert cancelled == {"D6", "D14", "D28", "D90", "D180"}  # D3's window opened two days ago

    vs = {"VSDAT": TODAY.isoformat(), "PULSE": "80"}
    before = head(investigator)
    with pytest.raises(WrongState, match="cancelled"):
        forms.save_form(investigator, FormRef(subject, "D14", "VS"), vs)
    with pytest.raises(WrongState, match="cancelled"):
        forms.save_form(investigator, FormRef(subject, "D180", "CT"), {"IMDAT": TODAY.isoformat()})
    assert head(investigator) == before
    forms.save_form(investigator, FormRef(subject, "D3", "VS", "PRE"), vs)  # a visit not cancelled
    eos = {"DSDECOD": "WDSUBJ", "DSSTDAT": TODAY.isoformat(), "DSTERM": "withdrew consent"}
    assert save_confirming(investigator, FormRef(subject, "D180", "EOS"), eos, complete=True).status == "complete"
    with pytest.raises(WrongState, match="already ended"):
        subjects.end_participation(investigator, subject, SubjectStatus.DIED, TODAY, "x")


@pytest.mark.req("P11.10f")
def test_participation_cannot_end_in_the_future(investigator):
    subject = enrol(investigator)
    before = head(investigator)
    with pytest.raises(InvalidInput, match="future"):
        subjects.end_participation(investigator, subject, SubjectStatus.DIED, TODAY + timedelta(days=30), "x")
    assert head(investigator) == before


@pytest.mark.req("P11.10f")
def test_a_subject_in_screening_ends_as_a_screen_failure(investigator):
    label = screen(investigator, ie={"IEIN02": "N"})
    with pytest.raises(WrongState, match="screen failure instead"):
        subjects.end_participation(investigator, label, SubjectStatus.WITHDRAWN, TODAY, "x")
    with pytest.raises(InvalidInput):
        subjects.end_participation(investigator, label, SubjectStatus.ENROLLED, TODAY, "x")
    subjects.end_participation(investigator, label, SubjectStatus.SCREEN_FAILURE, TODAY, "RT-PCR negative")
    assert subject_row(investigator, label).status == "screen_failure"
    with pytest.raises(WrongState):
        subjects.allocate(investigator, label)


@pytest.mark.req("P11.10f")
def test_data_of_later_visits_wait_for_allocation(nurse):
    label = screen(nurse)
    with pytest.raises(WrongState, match="not allocated yet"):
        forms.save_form(nurse, FormRef(label, "D0", "VS"), {"PULSE": "80"})
    with pytest.raises(WrongState, match="not allocated yet"):
        logs.add_log_entry(nurse, label, "AE", {"AETERM": "Headache"})
    with pytest.raises(InvalidInput, match="not asked for"):
        forms.save_form(nurse, FormRef(label, "SCR", "EX"), {})


# -- idle lock -----------------------------------------------------------------------------------------

@pytest.mark.req("P11.10d")
def test_idle_lock_and_reauthentication(nurse, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    nurse.touch()
    assert nurse.idle_lock_minutes == 10
    now[0] += 599
    assert not nurse.idle_expired()
    label = subjects.screen_subject(nurse)  # activity restarts the count
    now[0] += 599
    assert not nurse.idle_expired()
    now[0] += 2
    assert nurse.idle_expired()

    before = head(nurse)
    auth.lock(nurse)
    assert nurse.locked
    for call in (lambda: subjects.screen_subject(nurse), lambda: subjects.eligibility(nurse, label),
                 lambda: forms.save_form(nurse, FormRef(label, "SCR", "DM"), {"SEX": "M"}),
                 lambda: auth.lock(nurse)):
        with pytest.raises(PermissionDenied, match="locked"):
            call()
    with pytest.raises(LoginFailed):
        auth.reauthenticate(nurse, "not-my-password")
    assert nurse.locked
    auth.reauthenticate(nurse, "nurse-password-1")
    assert not nurse.locked and not nurse.idle_expired()
    assert actions_after(nurse, before) == ["idle_lock", "login_failed", "unlock"]
    assert subjects.screen_subject(nurse) == "CN01-S002"

    nurse.idle_lock_minutes = 0  # the site turned the idle lock off
    now[0] += 10 * 3600
    assert not nurse.idle_expired()
