"""Per-subject chart series: the chart file (data, not code), values read back by study day, infusion days."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FORMS
from subject_helpers import stored

from ecrf.services import charts
from ecrf.services.auth import login
from ecrf.services.charts import (
    INFUSIONS,
    ChartDefinitionError,
    chart_series,
    load_chart_set,
)
from ecrf.services.errors import NotFound
from ecrf.services.overview import subject_rows
from ecrf.services.subject_data import FormRef

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
    chart_set = load_chart_set(study, FORMS)
    assert [c.key for c in chart_set.charts] == CHARTED
    assert chart_set.infusions is not None and chart_set.infusions.form == "EX"
    who = chart_set.charts[3]
    assert who.integer and who.axis == (0.0, 8.0)
    assert who.label.get("zh") == "WHO临床改善序贯量表"
    assert chart_set.charts[0].unit is not None and chart_set.charts[0].unit.get("en") == "°C"  # from the item


def test_check_forms_still_passes_with_the_chart_folder(capsys):
    from ecrf.cli.main import main

    assert (FORMS / charts.CHARTS_FILE).is_file()
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


# -- the chart file's own checks ------------------------------------------------------------------

def _folder(tmp_path: Path, text: str) -> Path:
    (tmp_path / "display").mkdir(parents=True, exist_ok=True)
    (tmp_path / charts.CHARTS_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_no_file_or_a_file_of_another_study_gives_no_charts(study, tmp_path):
    assert load_chart_set(study, tmp_path).charts == ()
    other = _folder(tmp_path, "study: OTHER\ncharts:\n  - {form: VS, item: TEMP}\n")
    assert load_chart_set(study, other).charts == ()


@pytest.mark.parametrize(("entry", "words"), [
    ("{form: XX, item: TEMP}", "no form 'XX'"),
    ("{form: VS, item: NOPE}", "no item 'NOPE'"),
    ("{form: VS, item: VSDAT}", "cannot be plotted"),
    ("{form: VS, item: TEMP, axis: [5, 1]}", "'axis' must be"),
    ("{form: VS, item: TEMP, label: {en: Temp}}", "every language"),
])
def test_a_wrong_chart_entry_names_the_file_and_line(study, tmp_path, entry, words):
    folder = _folder(tmp_path, f"study: MSC-COVID19\ncharts:\n  - {entry}\n")
    with pytest.raises(ChartDefinitionError) as caught:
        load_chart_set(study, folder)
    assert words in caught.value.message and "charts.yaml:3" in caught.value.message


def test_defaults_come_from_the_item(study, tmp_path):
    folder = _folder(tmp_path, "study: MSC-COVID19\ncharts:\n  - {form: VS, item: RESP}\n")
    chart = load_chart_set(study, folder).charts[0]
    assert chart.label == study.form("VS").item("RESP").label and chart.unit == study.form("VS").item("RESP").unit
    assert chart.axis is None and chart.integer


def test_a_copied_forms_folder_keeps_its_charts(study, tmp_path):
    copy = tmp_path / "forms"
    shutil.copytree(FORMS, copy)
    assert [c.key for c in load_chart_set(study, copy).charts] == CHARTED
