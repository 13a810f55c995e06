"""Seriousness of adverse events in the study definition: a grade 4 event marked not serious asks for a
confirmation (soft check), and the 24-hour reporting reminder shows exactly while the event is serious."""
from __future__ import annotations

from datetime import date

import pytest

from ecrf.study.subject import Where
from ecrf.study.validate import validate_form

LOG = Where(visit="", today=date(2020, 6, 1))


def _ae(**overrides: object) -> dict[str, object]:
    base = {"AETERM": "Neutropenic sepsis", "AESTDAT": "2020-02-05", "AEONGO": "N", "AEENDAT": "2020-02-07",
            "AETOXGR": "4", "AESER": "N", "AEREL": "POS", "AEACN": "NOTCHG", "AECONTRT": "Y", "AEOUT": "RECOV"}
    return base | overrides


@pytest.mark.req("WARD-ENTRY-2")
def test_a_grade_4_event_marked_not_serious_asks_for_a_confirmation(study) -> None:  # type: ignore[no-untyped-def]
    result = validate_form(study.form("AE"), _ae(), where=LOG)
    [finding] = [f for f in result.soft if f.check == "GRADE4_SERIOUS"]
    assert finding.items == ("AESER", "AETOXGR") and not result.hard
    assert "grade 4" in finding.text("en") and "4级" in finding.text("zh")
    # a warning, not a refusal: a grade 4 laboratory value without clinical consequences may be non-serious
    confirmed = validate_form(study.form("AE"), _ae(), where=LOG, confirmed=[finding.key])
    assert not result.can_save and confirmed.can_save


@pytest.mark.req("WARD-ENTRY-2")
@pytest.mark.parametrize("values", [{"AESER": "Y", "AESCRIT": ["AESLIFE"]}, {"AETOXGR": "3"}, {"AETOXGR": "2"}])
def test_no_warning_when_serious_or_below_grade_4(study, values) -> None:  # type: ignore[no-untyped-def]
    result = validate_form(study.form("AE"), _ae(**values), where=LOG)
    assert "GRADE4_SERIOUS" not in {f.check for f in result.findings}


@pytest.mark.req("WARD-ENTRY-2")
def test_the_24_hour_reminder_shows_only_while_the_event_is_serious(study) -> None:  # type: ignore[no-untyped-def]
    form = study.form("AE")
    criteria = next(item for item in form.items if item.code == "AESCRIT")
    assert criteria.help is not None
    assert "within 24 hours" in criteria.help.get("en") and "24小时内报告申办方" in criteria.help.get("zh")
    assert "AESCRIT" in validate_form(form, _ae(), where=LOG).hidden
    serious = _ae(AESER="Y", AESCRIT=["AESLIFE"])
    assert "AESCRIT" not in validate_form(form, serious, where=LOG).hidden
