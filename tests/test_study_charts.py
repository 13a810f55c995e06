"""The chart file (forms/display/charts.yaml) is part of the definition check: the study loader reads it
into Study.charts and reports each problem with its code, file and line; it stays out of the fingerprint."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FORMS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrf.cli.main import main
from ecrf.study.chart_reader import read_charts
from ecrf.study.charts import CHARTS_FILE, NO_CHARTS
from ecrf.study.loader import load_study
from ecrf.study.problems import DefinitionError, Problem, Problems
from ecrf.study.reader import Reader
from ecrf.study.yamlsource import LineMap, parse_yaml

CHARTED = ["VS.TEMP", "VS.OXYSAT", "VS.RESP", "CS.WHOSCALE", "LB.LYMPH", "CT.CTTOTAL"]
HEADER = "study: MSC-COVID19\ncharts:\n"


@pytest.fixture
def forms(tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the shipped study to damage."""
    folder = tmp_path / "forms"
    shutil.copytree(FORMS, folder)
    return folder


def _write(folder: Path, text: str) -> Path:
    (folder / CHARTS_FILE).write_text(text, encoding="utf-8")
    return folder


def _problems(folder: Path) -> list[Problem]:
    with pytest.raises(DefinitionError) as caught:
        load_study(folder)
    return caught.value.problems


def test_the_shipped_chart_file_is_read_into_the_study(study):
    assert [c.key for c in study.charts.charts] == CHARTED
    who = study.charts.charts[3]
    assert who.integer and who.axis == (0.0, 8.0) and who.label.get("zh") == "WHO临床改善序贯量表"
    assert study.charts.charts[0].unit is not None and study.charts.charts[0].unit.get("en") == "°C"  # the item's
    infusions = study.charts.infusions
    assert infusions is not None and (infusions.form, infusions.date, infusions.given) == ("EX", "EXDAT", "EXDOSE")


def test_a_study_without_a_chart_file_has_no_charts(forms):
    shutil.rmtree(forms / "display")
    assert load_study(forms).charts == NO_CHARTS


def test_defaults_come_from_the_item(forms):
    study = load_study(_write(forms, HEADER + "  - {form: VS, item: RESP}\n"))
    [chart] = study.charts.charts
    resp = study.form("VS").item("RESP")
    assert (chart.label, chart.unit, chart.axis, chart.integer) == (resp.label, resp.unit, None, True)
    assert study.charts.infusions is None


@pytest.mark.req("DEF-ALL-PROBLEMS")
@pytest.mark.parametrize(("entry", "code", "words"), [
    ("{form: XX, item: TEMP}", "unknown-form", "form 'XX' is not defined"),
    ("{form: VS, item: TEMPP}", "unknown-item", "item 'TEMPP' is not in form VS (did you mean 'TEMP'?)"),
    ("{form: VS, item: VSDAT}", "chart-not-numeric", "VS.VSDAT is a date item and cannot be plotted"),
    ("{form: VS, item: TEMP, axis: [5, 1]}", "chart-bad-axis", "low < high, not [5, 1]"),
    ("{form: VS, item: TEMP, axis: low}", "chart-bad-axis", "not a text"),
    ("{form: VS, item: TEMP, label: {en: Temp}}", "missing-translation", "has no 'zh' text"),
    ("{form: VS, item: TEMP, colour: red}", "unknown-key", "unknown key 'colour' in a chart"),
    ("{form: VS}", "missing-key", "a chart needs 'item'"),
    ("VS.TEMP", "wrong-shape", "a chart must be a mapping"),
])
def test_a_wrong_chart_entry_is_a_coded_problem_at_its_line(forms, entry, code, words):
    [problem] = _problems(_write(forms, HEADER + f"  - {entry}\n"))
    assert (problem.file, problem.line, problem.code.value) == ("forms/display/charts.yaml", 3, code)
    assert words in problem.message


@pytest.mark.req("DEF-ALL-PROBLEMS")
def test_every_problem_of_the_chart_file_is_reported_at_once_with_the_rest(forms):
    _write(forms, HEADER + "  - {form: VS, item: NOPE}\n  - {form: VS, item: TEMP}\n  - {form: XX, item: TEMP}\n"
                  "infusions: {form: EX, date: EXDOSE, given: EXDAT}\n")
    (forms / "lb.yaml").write_text((forms / "lb.yaml").read_text(encoding="utf-8") + "\nbogus: 1\n", encoding="utf-8")
    found = {(p.file, p.line, p.code.value) for p in _problems(forms)}
    chart_file = "forms/display/charts.yaml"
    assert {(chart_file, 3, "unknown-item"), (chart_file, 5, "unknown-form"), (chart_file, 6, "chart-infusion-item")} \
        <= found
    assert len([f for f in found if f[0] == chart_file and f[2] == "chart-infusion-item"]) == 1  # same line
    assert any(f[0] == "forms/lb.yaml" for f in found)


def test_a_name_missing_because_its_form_has_problems_is_not_reported_twice(forms):
    """A wrong item type drops VS.TEMP from the form: its own problem is reported, not the chart's."""
    vs = forms / "vs.yaml"
    text = vs.read_text(encoding="utf-8")
    vs.write_text(text.replace("    type: decimal\n", "    type: decmal\n", 1), encoding="utf-8")
    problems = _problems(forms)
    assert [p.code.value for p in problems] == ["unknown-type"] and problems[0].file == "forms/vs.yaml"
    (forms / "ex.yaml").write_text("form: [\n", encoding="utf-8")  # EX lost entirely: no chart name is doubted
    files = {p.file for p in _problems(forms)}
    assert "forms/ex.yaml" in files and "forms/display/charts.yaml" not in files


def test_infusion_items_must_be_a_date_and_a_number(forms):
    problems = _problems(_write(forms, "study: MSC-COVID19\ninfusions:\n  form: EX\n  date: EXDOSE\n  given: EXDAT\n"))
    assert [(p.line, p.code.value) for p in problems] == [(4, "chart-infusion-item"), (5, "chart-infusion-item")]
    assert "'date' must name a date item; EX.EXDOSE is a decimal item" in problems[0].message


def test_a_chart_file_of_another_study_is_a_problem(forms):
    [problem] = _problems(_write(forms, "study: OTHER\ncharts:\n  - {form: NOT, item: CHECKED}\n"))
    assert (problem.line, problem.code.value) == (1, "chart-wrong-study")
    assert "written for study 'OTHER', not MSC-COVID19" in problem.message


@pytest.mark.parametrize(("text", "line", "code"), [
    (HEADER + "  - {form: VS, item: TEMP\n", 4, "yaml-syntax"),
    (HEADER + "  - form: VS\n    form: LB\n    item: TEMP\n", 4, "duplicate-key"),
    ("charts: []\n", 1, "missing-key"),
    ("- just a list\n", 1, "wrong-shape"),
    ("study: MSC-COVID19\nshow: all\n", 2, "unknown-key"),
])
def test_a_damaged_chart_file_is_a_coded_problem(forms, text, line, code):
    problems = _problems(_write(forms, text))
    assert (problems[0].file, problems[0].line, problems[0].code.value) == ("forms/display/charts.yaml", line, code)


def test_the_chart_file_does_not_change_the_fingerprint(study, forms):
    """Saved forms record the fingerprint: a display-only file must never make them look out of date."""
    top_level = hashlib.sha256()
    for path in sorted(p for p in FORMS.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()):
        raw = path.read_bytes()
        top_level.update(f"{path.name}\0{len(raw)}\0".encode() + raw)
    assert study.fingerprint == top_level.hexdigest()
    edited = load_study(_write(forms, HEADER + "  - {form: VS, item: RESP}\n"))
    assert edited.charts != study.charts and edited.fingerprint == study.fingerprint
    shutil.rmtree(forms / "display")
    assert load_study(forms).fingerprint == study.fingerprint


def test_check_forms_lists_chart_problems_in_the_usual_format(forms, capsys):
    _write(forms, HEADER + "  - {form: VS, item: NOPE}\n")
    assert main(["check-forms", str(forms)]) == 1
    out = capsys.readouterr().out
    assert "forms/display/charts.yaml:3: [unknown-item] charts: item 'NOPE' is not in form VS" in out


@pytest.mark.parametrize("text", [HEADER + "  - {form: VS, item: TEMP\n", HEADER + "  - {form: VS, item: NOPE}\n"])
def test_a_site_command_shows_the_coded_problem_not_a_traceback(forms, capsys, text):
    _write(forms, text)
    assert main(["describe", "--forms", str(forms)]) == 1
    err = capsys.readouterr().err
    assert "forms/display/charts.yaml:" in err and ("[yaml-syntax]" in err or "[unknown-item]" in err)
    assert f"ecrf check-forms {forms}" in err and "Traceback" not in err


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 50), st.floats(allow_nan=True), st.text(max_size=8),
                     st.sampled_from(["MSC-COVID19", "VS", "TEMP", "EX", "EXDAT", "EXDOSE", "CS", "WHOSCALE", "en"]))
_keys = st.sampled_from(["study", "charts", "infusions", "form", "item", "label", "unit", "axis", "date", "given",
                         "en", "zh", "x"])
_docs = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=5),
                     max_leaves=20)


@pytest.mark.req("VAL-NO-CRASH")
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(_docs, st.fixed_dictionaries({"study": st.just("MSC-COVID19")}, optional={
    "charts": st.lists(st.dictionaries(_keys, _docs, max_size=5), max_size=3),
    "infusions": st.dictionaries(_keys, _docs, max_size=5)})))
def test_any_chart_file_gives_problems_not_exceptions(study, content):
    doc = parse_yaml(yaml.safe_dump(content, allow_unicode=True).encode())
    if not isinstance(doc, LineMap):
        return  # the loader reports a file that is not a mapping before the chart reader sees it
    problems = Problems()
    chart_set = read_charts(doc, study, Reader(problems, "forms/display/charts.yaml", study.info.languages))
    assert all(str(p) for p in problems.items)
    assert all(chart.key.count(".") == 1 for chart in chart_set.charts)
