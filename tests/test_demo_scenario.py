"""The demo scenario (forms/demo/scenario.yaml) is data, checked like the definition: its problems are
listed by `ecrf check-forms` in the catalogue's `file:line: [code] where: message` form, a demo refuses a
scenario with problems, and a scenario changes what the generator makes for any study."""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ecrf.cli.main import main
from ecrf.demo import create_demo
from ecrf.demo.scenario_check import check_scenario
from ecrf.services.auth import login
from ecrf.services.errors import InvalidInput
from ecrf.store.models import FormInstance, Subject
from ecrf.study.loader import load_study
from ecrf.study.problems import MESSAGES, P

REPO = Path(__file__).resolve().parent.parent
BROKEN = """\
fates:
  vanished: {share: 0.1}
forms:
  VS:
    TEMP: 50
    O2SUP: HELIUM
    NOPE: 1
  XX: {A: 1}
  CS:
    WHOSCALE: {course: {0: 3}, jiggle: 1}
logs:
  VS: {start: VSDAT}
events:
  - name: Lost
    chance: 2
"""
EXPECTED = [
    (2, P.DEMO_UNKNOWN_FATE), (5, P.DEMO_OUT_OF_RANGE), (6, P.DEMO_NOT_IN_CODELIST), (7, P.UNKNOWN_ITEM),
    (8, P.UNKNOWN_FORM), (10, P.DEMO_BAD_SPEC), (12, P.DEMO_NOT_A_LOG), (15, P.DEMO_BAD_EVENT)]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    shutil.copytree(REPO / "forms", folder)
    (folder / "demo" / "scenario.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def test_the_real_scenario_has_no_problems(study):  # type: ignore[no-untyped-def]
    assert check_scenario(study) == []


def test_every_demo_problem_code_has_a_message():
    assert all(code in MESSAGES for code in P if code.value.startswith("demo-"))


def test_each_problem_names_its_line_and_code(broken):  # type: ignore[no-untyped-def]
    problems = check_scenario(load_study(broken))
    assert [(p.line, p.code) for p in problems] == EXPECTED
    assert all(p.file == "forms/demo/scenario.yaml" for p in problems)
    assert "HELIUM" in problems[2].message and "RA" in problems[2].message
    assert "30–45" in problems[1].message


def test_check_forms_lists_the_scenario_problems(broken, capsys):  # type: ignore[no-untyped-def]
    assert main(["check-forms", str(broken)]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if re.match(r"^forms/demo/scenario\.yaml:\d+: \[[a-z-]+\]", line)]
    assert len(lines) == len(EXPECTED) and "demo scenario" in out


def test_a_yaml_error_is_a_problem_too(broken):  # type: ignore[no-untyped-def]
    (broken / "demo" / "scenario.yaml").write_text("forms:\n  VS: [unclosed\n", encoding="utf-8")
    assert [p.code for p in check_scenario(load_study(broken))] == [P.YAML_SYNTAX]


def test_a_demo_refuses_a_scenario_with_problems(broken, tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="check-forms"):
        create_demo(tmp_path / "site" / "site.db", load_study(broken), subjects=2, today=date(2024, 6, 1))
    assert not (tmp_path / "site" / "site.db").exists()


def test_a_scenario_shapes_another_studys_demo(tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "mini"
    shutil.copytree(REPO / "tests" / "data" / "mini-study", folder)
    (folder / "demo").mkdir()
    (folder / "demo" / "scenario.yaml").write_text(
        "fates:\n  died: {share: 0.1, day: 20, reason: Stroke}\n"
        "forms:\n  PAIN:\n    SCORE: {course: {0: [5, 8], 28: [1, 3]}}\n    RESCUE: 'N'\n", encoding="utf-8")
    study = load_study(folder)
    assert check_scenario(study) == []
    site = create_demo(tmp_path / "site.db", study, subjects=10, today=date(2024, 6, 1))
    session = login(site.db_path, study, "monitor", "demo-monitor-2020")
    try:
        with session.read() as db:
            died = db.scalars(select(Subject).where(Subject.status == "died")).all()
            pain = db.scalars(select(FormInstance).where(FormInstance.form_code == "PAIN")
                              .options(selectinload(FormInstance.values))).all()
    finally:
        session.close()
    assert [s.end_reason for s in died] == ["Stroke"]
    scores = {f.visit_code: [] for f in pain}  # type: dict[str, list[int]]
    for form in pain:
        stored = {v.item_code: v.value for v in form.values}
        assert stored["RESCUE"] == "N" and "RESCDOSE" not in stored
        scores[form.visit_code].append(int(stored["SCORE"]))
    assert min(scores["W0"]) >= 5 and max(scores["W6"]) <= 3


def test_an_event_of_an_undefined_group_is_a_problem(broken):  # type: ignore[no-untyped-def]
    (broken / "demo" / "scenario.yaml").write_text(
        "groups:\n  meds: {per_subject: [1, 2]}\nevents:\n  - name: X\n    group: mends\n", encoding="utf-8")
    problems = check_scenario(load_study(broken))
    assert [(p.line, p.code) for p in problems] == [(5, P.DEMO_BAD_EVENT)] and "meds" in problems[0].message
