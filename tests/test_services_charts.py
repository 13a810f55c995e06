"""Per-subject chart series: values read back by study day, infusion days. The chart file itself (data, not
code) is read and checked by the study loader: tests/test_study_charts.py."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FORMS
from subject_helpers import stored

from ecrf.services.auth import login
from ecrf.services.charts import INFUSIONS, chart_series
from ecrf.services.errors import NotFound
from ecrf.services.overview import subject_rows
from ecrf.services.subject_data import FormRef
from ecrf.study.charts import CHARTS_FILE, ChartSet

CHARTED = ["VS.TEMP", "VS.OXYSAT", "VS.RESP", "CS.WHOSCALE", "LB.LYMPH", "CT.CTTOTAL"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, study) -> Path:  # type: ignore[no-untyped-def]
    from ecrf.demo import create_demo

    path = tmp_path_factory.mktemp("charts-demo") / "site.db"
    create_demo(path, study, subjects=6)
    return path


@pytest.fixture
def nurse(demo_db, study):  # type: ignore[no-untyped-def]
    session = login(demo_db, study, "nurse", "demo-nurse-2020")
    yield session
    session.close()


def test_the_shipped_chart_file_names_the_six_measures_and_the_infusions(study):
    chart_set = study.charts
    assert [c.key for c in chart_set.charts] == CHARTED
    assert chart_set.infusions is not None and chart_set.infusions.form == "EX"
    who = chart_set.charts[3]
    assert who.integer and who.axis == (0.0, 8.0)
    assert who.label.get("zh") == "WHO临床改善序贯量表"
    assert chart_set.charts[0].unit is not None and chart_set.charts[0].unit.get("en") == "°C"  # from the item


def test_check_forms_still_passes_with_the_chart_folder(capsys):
    from ecrf.cli.main import main

    assert (FORMS / CHARTS_FILE).is_file()
    assert main(["check-forms", str(FORMS)]) == 0


def test_values_read_back_are_what_the_demo_stored_placed_by_study_day(nurse):
    checked = 0
    for row in subject_rows(nurse):
        if row.day0 is None:
            continue
        for series in chart_series(nurse, row.label):
            if series.is_infusions:
                continue
            form, item = series.key.split(".")
            date_item = next(i.code for i in nurse.study.form(form).items if i.value_type.value == "date")
            for point in series.points:
                values = stored(nurse, FormRef(row.label, point.visit, form, point.timepoint))
                assert point.value == float(values[item])
                assert point.on == values[date_item]
                assert point.day == (values[date_item] - row.day0).days
                checked += 1
            assert [p.day for p in series.points] == sorted(p.day for p in series.points)
    assert checked > 50


def test_every_stored_value_is_charted(nurse):
    row = next(r for r in subject_rows(nurse) if r.day0 is not None)
    temps = chart_series(nurse, row.label)[0]
    expected = 0
    for visit in nurse.study.visits:
        for visit_form in visit.forms_for(row.arm):
            if visit_form.form == "VS":
                for tp in visit_form.timepoints or ("",):
                    expected += "TEMP" in stored(nurse, FormRef(row.label, visit.code, "VS", tp))
    assert len(temps.points) == expected > 0


def test_infusion_days_are_the_recorded_infusions_of_the_msc_arm(nurse):
    rows = [r for r in subject_rows(nurse) if r.day0 is not None]
    assert {r.arm for r in rows} == {"MSC", "CTRL"}
    for row in rows:
        infusions = next(s for s in chart_series(nurse, row.label) if s.key == INFUSIONS)
        if row.arm == "CTRL":
            assert infusions.points == ()
            continue
        expected = []
        for visit in ("D0", "D3", "D6"):
            ex = stored(nurse, FormRef(row.label, visit, "EX"))
            if ex and ex.get("EXDOSE") and ex["EXDOSE"] > 0:
                expected.append((ex["EXDAT"] - row.day0).days)
        assert [p.day for p in infusions.points] == expected
        assert expected and expected[0] == 0  # the first infusion is on Day 0


def test_a_subject_without_day0_has_empty_series(nurse):
    from ecrf.services import subjects

    label = subjects.screen_subject(nurse)
    series = chart_series(nurse, label)
    assert [s.key for s in series] == [*CHARTED, INFUSIONS]
    assert all(s.points == () for s in series)


def test_an_unknown_subject_is_a_message(nurse):
    with pytest.raises(NotFound):
        chart_series(nurse, "NOBODY")


def test_the_site_admin_may_not_read_chart_data(demo_db, study):
    from ecrf.services.errors import PermissionDenied

    admin = login(demo_db, study, "admin", "demo-admin-2020")
    try:
        with pytest.raises(PermissionDenied):
            chart_series(admin, "DEMO-001")
    finally:
        admin.close()


def test_the_series_follow_the_chart_set_given(nurse):
    row = next(r for r in subject_rows(nurse) if r.day0 is not None)
    only_temp = ChartSet(nurse.study.charts.charts[:1], None)
    assert [s.key for s in chart_series(nurse, row.label, only_temp)] == ["VS.TEMP"]
    assert chart_series(nurse, row.label, ChartSet((), None)) == []
