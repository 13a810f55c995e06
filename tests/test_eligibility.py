"""Eligibility from the criteria, with the reasons a subject is not eligible."""
from __future__ import annotations

from datetime import date

import pytest

from ecrf.study.screening import eligibility_of
from ecrf.study.subject import SubjectData, Where
from ecrf.study.validate import validate_form

pytestmark = pytest.mark.req("ELIG-REASONS")
INCLUSIONS = ["IEIN01", "IEIN02", "IEIN03"]
EXCLUSIONS = ["IEEX01", "IEEX02", "IEEX03", "IEEX04", "IEEX05"]
ALL_MET = dict.fromkeys(INCLUSIONS, "Y") | dict.fromkeys(EXCLUSIONS, "N")
CONSENT = date(2020, 2, 1)


def subject_aged(study, dob: str) -> SubjectData:
    where = Where("SCR", today=date(2020, 3, 1))
    dm = validate_form(study.form("DM"), {"RFICDAT": CONSENT.isoformat(), "BRTHDAT": dob}, where=where)
    subject = SubjectData()
    subject.put("SCR", "DM", {**dm.values, **dm.derived})
    return subject


def test_all_criteria_met_is_eligible(study):
    result = eligibility_of(study, ALL_MET, subject_aged(study, "1970-05-05"))
    assert result.eligible is True and result.reasons == ()


@pytest.mark.parametrize("criterion", INCLUSIONS)
def test_each_inclusion_failing(study, criterion):
    result = eligibility_of(study, ALL_MET | {criterion: "N"}, subject_aged(study, "1970-05-05"))
    assert result.eligible is False
    assert [r.item for r in result.reasons] == [criterion]
    assert "answered No" in str(result.reasons[0]) and "Inclusion" in str(result.reasons[0])
    assert "入选标准" in result.reasons[0].text.get("zh")


@pytest.mark.parametrize("criterion", EXCLUSIONS)
def test_each_exclusion_hitting(study, criterion):
    result = eligibility_of(study, ALL_MET | {criterion: "Y"}, subject_aged(study, "1970-05-05"))
    assert result.eligible is False
    assert [(r.item, r.kind) for r in result.reasons] == [(criterion, "exclusion")]


@pytest.mark.parametrize("dob, age, eligible", [
    ("2002-02-02", 17, False),  # 18th birthday the day after consent
    ("2002-02-01", 18, True),  # 18 on the day of consent
    ("1949-02-02", 70, True),  # 71st birthday the day after consent
    ("1949-02-01", 71, False),
])
def test_age_limits(study, dob, age, eligible):
    subject = subject_aged(study, dob)
    assert subject.value("SCR", "DM", "AGE") == age
    result = eligibility_of(study, ALL_MET, subject)
    assert result.eligible is eligible
    if not eligible:
        assert [r.item for r in result.reasons] == ["IEIN01"]
        assert "Age 18" in str(result.reasons[0])


def test_unanswered_criteria_leave_eligibility_open(study):
    all_but_one = {k: v for k, v in ALL_MET.items() if k != "IEEX03"}
    result = eligibility_of(study, all_but_one, subject_aged(study, "1970-05-05"))
    assert result.eligible is None and [r.item for r in result.open] == ["IEEX03"]


def test_age_unknown_leaves_inclusion_1_open(study):
    result = eligibility_of(study, ALL_MET, SubjectData())
    assert result.eligible is None and [r.item for r in result.open] == ["IEIN01"]


def test_a_failure_decides_even_when_others_are_open(study):
    result = eligibility_of(study, {"IEIN02": "N"}, SubjectData())
    assert result.eligible is False and [r.item for r in result.reasons] == ["IEIN02"]


def test_the_derived_eligibility_item_agrees(study):
    subject = subject_aged(study, "1970-05-05")
    where = Where("SCR", today=date(2020, 3, 1))
    assert validate_form(study.form("IE"), ALL_MET, subject=subject, where=where).derived["IEELIG"] == "Y"
    failing = validate_form(study.form("IE"), ALL_MET | {"IEEX01": "Y"}, subject=subject, where=where)
    assert failing.derived["IEELIG"] == "N"


def test_a_reason_names_its_criterion_once(study):  # issue 16, item 13: "Exclusion 1 (Exclusion 1: …)"
    result = eligibility_of(study, ALL_MET | {"IEEX01": "Y"}, subject_aged(study, "1970-05-05"))
    reason = result.reasons[0]
    assert reason.text.get("en").startswith("Exclusion 1: Pregnancy") and str(reason).count("Exclusion 1") == 1
    assert reason.text.get("zh").count("排除标准") == 1
