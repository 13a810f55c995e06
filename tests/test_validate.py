"""Validation of whole form instances on the real trial definition: hard, soft, required, missing
codes, skip logic, derived values and cross-item checks."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ecrf.study.findings import F, Severity
from ecrf.study.subject import SubjectData, Where
from ecrf.study.validate import validate_form
from ecrf.study.values import Missing, PartialDate

TODAY = date(2020, 6, 1)
AT_D3 = Where(visit="D3", today=TODAY)

GOOD_VS = {"VSDAT": "2020-02-03", "VSTIM": "09:30", "TEMP": "37.2", "PULSE": "88", "RESP": "20",
           "SYSBP": "128", "DIABP": "76", "OXYSAT": "95", "O2SUP": "RA"}


def check(study, form: str, values: dict, where: Where = AT_D3, subject: SubjectData | None = None, **kw):
    return validate_form(study.form(form), values, subject=subject, where=where, **kw)


def codes(result) -> set[tuple[str | None, F]]:
    return {(f.item, f.code) for f in result.findings}


def test_a_complete_vital_signs_form_has_no_findings(study):
    result = check(study, "VS", GOOD_VS)
    assert result.findings == []
    assert result.can_save and result.can_complete
    assert result.values["TEMP"] == Decimal("37.2")


@pytest.mark.req("VAL-HARD")
@pytest.mark.parametrize("temp, code", [("29.9", F.BELOW_HARD), ("45.1", F.ABOVE_HARD)])
def test_temperature_outside_hard_range_is_refused(study, temp, code):
    result = check(study, "VS", GOOD_VS | {"TEMP": temp})
    assert codes(result) == {("TEMP", code)}
    assert not result.can_save
    assert "°C" in result.hard[0].text("en") and "体温" in result.hard[0].text("zh")


@pytest.mark.req("VAL-HARD")
@pytest.mark.parametrize("temp", ["30", "30.0", "45", "35", "41"])
def test_range_limits_are_inclusive(study, temp):
    assert check(study, "VS", GOOD_VS | {"TEMP": temp}).hard == []


@pytest.mark.req("VAL-SOFT")
def test_soft_range_warns_and_needs_confirmation(study):
    result = check(study, "VS", GOOD_VS | {"TEMP": "41.5"})
    assert [(f.item, f.code, f.severity) for f in result.findings] == [("TEMP", F.OUTSIDE_SOFT, Severity.SOFT)]
    assert not result.can_save
    confirmed = check(study, "VS", GOOD_VS | {"TEMP": "41.5"}, confirmed={result.soft[0].key})
    assert confirmed.soft[0].confirmed and confirmed.can_save


@pytest.mark.req("VAL-SOFT")
def test_a_confirmation_of_another_finding_does_not_count(study):
    result = check(study, "VS", GOOD_VS | {"TEMP": "41.5"}, confirmed={"PULSE:outside-soft-range"})
    assert not result.can_save


@pytest.mark.req("VAL-CROSS")
def test_systolic_must_exceed_diastolic(study):
    result = check(study, "VS", GOOD_VS | {"SYSBP": "90", "DIABP": "95"})
    failed = [f for f in result.findings if f.code is F.CHECK_FAILED]
    assert len(failed) == 1 and failed[0].check == "BP_ORDER" and failed[0].severity is Severity.HARD
    assert set(failed[0].items) == {"SYSBP", "DIABP"}
    assert failed[0].text("zh") != failed[0].text("en")


@pytest.mark.req("VAL-CROSS")
def test_a_check_over_a_refused_value_does_not_repeat_the_refusal(study):
    result = check(study, "VS", GOOD_VS | {"SYSBP": "abc"})
    assert codes(result) == {("SYSBP", F.NOT_A_NUMBER)}


@pytest.mark.req("VAL-REQUIRED")
def test_required_items_block_completion_not_saving(study):
    result = check(study, "VS", {k: v for k, v in GOOD_VS.items() if k != "PULSE"})
    assert codes(result) == {("PULSE", F.REQUIRED)}
    assert result.can_save and not result.can_complete
    assert "ND" in result.incomplete[0].text("en")


@pytest.mark.req("VAL-MISSING-CODES")
def test_allowed_missing_code_satisfies_required(study):
    result = check(study, "VS", GOOD_VS | {"PULSE": Missing("ND")})
    assert result.findings == [] and result.values["PULSE"] == Missing("ND")


@pytest.mark.req("VAL-MISSING-CODES")
def test_missing_code_not_allowed_is_refused(study):
    result = check(study, "VS", GOOD_VS | {"PULSE": Missing("UNK")})
    assert codes(result) == {("PULSE", F.MISSING_NOT_ALLOWED)}
    assert "ND" in result.hard[0].text("en")


@pytest.mark.req("VAL-SKIP")
def test_skip_logic_hides_items_and_their_required_answer(study):
    result = check(study, "VS", GOOD_VS)
    assert {"FIO2", "O2FLOW"} <= result.hidden
    on_flow = check(study, "VS", GOOD_VS | {"O2SUP": "NC"})
    assert "O2FLOW" not in on_flow.hidden and codes(on_flow) == {("O2FLOW", F.REQUIRED)}


@pytest.mark.req("VAL-SKIP")
def test_a_value_in_a_hidden_item_is_reported_not_dropped(study):
    result = check(study, "VS", GOOD_VS | {"O2FLOW": "2.0"})
    assert codes(result) == {("O2FLOW", F.HIDDEN_HAS_VALUE)}
    assert result.values["O2FLOW"] == Decimal("2.0")  # still there: the caller decides, with the user


@pytest.mark.req("VAL-SKIP")
def test_ct_value_only_when_the_target_is_positive(study):
    base = {"MBDAT": "2020-02-03", "MBSPEC": "NPS", "MBTEST": ["ORF1AB"], "MBRES": "NEG", "MBLAB": "Hospital lab"}
    negative = check(study, "MB", base | {"ORF1AB_RES": "NEG", "ORF1AB_CT": "31.5"})
    assert ("ORF1AB_CT", F.HIDDEN_HAS_VALUE) in codes(negative)
    positive = check(study, "MB", base | {"MBRES": "POS", "ORF1AB_RES": "POS", "ORF1AB_CT": "31.5"})
    assert not any(f.item == "ORF1AB_CT" for f in positive.findings)


@pytest.mark.req("VAL-DERIVED")
def test_age_and_bmi_are_derived(study):
    result = check(study, "DM", {"RFICDAT": "2020-02-01", "ICVER": "2.0", "BRTHDAT": "1960-02-02", "SEX": "M",
                                 "HEIGHT": "175.0", "WEIGHT": "70.0"}, where=Where("SCR", today=TODAY))
    assert result.derived == {"AGE": 59, "BMI": Decimal("22.9")}
    assert result.findings == []
    assert "PREGST" in result.hidden


@pytest.mark.req("VAL-DERIVED")
def test_derived_value_stays_empty_while_an_input_is_missing(study):
    result = check(study, "DM", {"RFICDAT": "2020-02-01", "SEX": "F", "HEIGHT": "160"}, where=Where("SCR", today=TODAY))
    assert result.derived == {"AGE": None, "BMI": None}


@pytest.mark.req("VAL-DERIVED")
def test_ct_total_score_is_the_sum_of_the_lobes(study):
    lobes = {"SCRUL": "1", "SCRML": "2", "SCRLL": "3", "SCLUL": "4", "SCLLL": "5"}
    result = check(study, "CT", lobes)
    assert result.derived["CTTOTAL"] == 15


@pytest.mark.req("VAL-DERIVED")
def test_typed_value_for_a_derived_item_is_ignored_and_recomputed(study):
    values = {"RFICDAT": "2020-02-01", "BRTHDAT": "1960-02-02", "AGE": 12}
    assert check(study, "DM", values, where=Where("SCR", today=TODAY)).derived["AGE"] == 59


def ae(**overrides) -> dict:
    base = {"AETERM": "Fever", "AESTDAT": "2020-02-05", "AEONGO": "N", "AEENDAT": "2020-02-07", "AETOXGR": "1",
            "AESER": "N", "AEREL": "POS", "AEACN": "NOTCHG", "AECONTRT": "N", "AEOUT": "RECOV"}
    return base | overrides


LOG = Where(visit="", today=TODAY)


@pytest.mark.req("VAL-CROSS")
def test_ae_end_before_onset_is_refused(study):
    result = check(study, "AE", ae(AEENDAT="2020-02-01"), where=LOG)
    assert [f.check for f in result.hard] == ["AE_END_AFTER_START"]


@pytest.mark.req("VAL-CROSS")
def test_ae_partial_dates_compare_only_when_certain(study):
    assert not check(study, "AE", ae(AESTDAT="2020-02-UN", AEENDAT="2020-02-07"), where=LOG).hard
    late = check(study, "AE", ae(AESTDAT="2020-03-UN", AEENDAT="2020-02-07"), where=LOG)
    assert [f.check for f in late.hard] == ["AE_END_AFTER_START"]


@pytest.mark.req("VAL-CROSS")
def test_grade_5_requires_fatal_outcome(study):
    result = check(study, "AE", ae(AETOXGR="5", AESER="Y", AESCRIT=["AESDTH"]), where=LOG)
    assert "GRADE5_FATAL" in {f.check for f in result.findings}
    fatal = check(study, "AE", ae(AETOXGR="5", AESER="Y", AESCRIT=["AESDTH"], AEOUT="FATAL"), where=LOG)
    assert not fatal.hard


@pytest.mark.req("VAL-CROSS")
def test_fatal_ae_end_date_should_match_the_death_date(study):
    subject = SubjectData(arm="MSC", day0=date(2020, 2, 1))
    subject.put("D180", "EOS", {"DSDECOD": "DEATH", "DTHDAT": date(2020, 2, 10)})
    values = ae(AETOXGR="5", AESER="Y", AESCRIT=["AESDTH"], AEOUT="FATAL", AEENDAT="2020-02-09")
    result = check(study, "AE", values, where=LOG, subject=subject)
    soft_checks = {f.check for f in result.soft}
    assert any("DTH" in (c or "") for c in soft_checks), result.findings


@pytest.mark.req("VAL-CROSS")
def test_death_date_must_lie_within_the_study(study):
    subject = SubjectData(arm="MSC", day0=date(2020, 2, 1))
    subject.put("SCR", "DM", {"RFICDAT": date(2020, 1, 29)})
    base = {"DSDECOD": "DEATH", "DSSTDAT": "2020-02-10", "DTHDAT": "2020-02-10", "DTHCAUS": "Respiratory failure"}
    ok = check(study, "EOS", base, where=Where("D180", today=date(2021, 1, 1)), subject=subject)
    assert not ok.hard
    before_consent = check(study, "EOS", base | {"DTHDAT": "2020-01-20", "DSSTDAT": "2020-01-20"},
                           where=Where("D180", today=date(2021, 1, 1)), subject=subject)
    assert before_consent.hard or before_consent.soft
    too_late = check(study, "EOS", base | {"DTHDAT": "2020-09-01", "DSSTDAT": "2020-09-01"},
                     where=Where("D180", today=date(2021, 1, 1)), subject=subject)
    assert any(f.code is F.CHECK_FAILED for f in too_late.findings)


@pytest.mark.req("VAL-HARD")
def test_a_date_in_the_future_is_refused(study):
    result = check(study, "VS", GOOD_VS | {"VSDAT": "2020-06-02"})
    assert codes(result) == {("VSDAT", F.FUTURE_DATE)}
    partial = check(study, "AE", ae(AESTDAT="2020-07-UN", AEENDAT=None, AEONGO="Y", AEOUT="NOTREC"), where=LOG)
    assert ("AESTDAT", F.FUTURE_DATE) in codes(partial)


def test_values_for_unknown_items_are_reported(study):
    assert (None, F.UNKNOWN_ITEM) in codes(check(study, "VS", GOOD_VS | {"HEIGHT": "170"}))


def test_context_values_reach_the_checks(study):
    """The infusion date is checked against the visit date the subject's record holds."""
    subject = SubjectData(arm="MSC", day0=date(2020, 2, 1), visit_dates={"D3": date(2020, 2, 4)})
    base = {"EXDAT": "2020-02-05", "EXSTTIM": "10:00", "EXENTIM": "10:30", "EXDOSE": "3.00", "EXLOT": "L1",
            "EXVOL": "100", "EXCOMP": "Y", "EXREACT": "N"}
    result = check(study, "EX", base, subject=subject)
    assert [f.severity for f in result.findings if f.code is F.CHECK_FAILED] == [Severity.SOFT]
    same_day = check(study, "EX", base | {"EXDAT": "2020-02-04"}, subject=subject)
    assert not [f for f in same_day.findings if f.code is F.CHECK_FAILED]


def test_partial_date_value_types(study):
    result = check(study, "AE", ae(AESTDAT="2020-02-UN"), where=LOG)
    assert result.values["AESTDAT"] == PartialDate(2020, 2)
