"""The monitoring plan (forms/monitoring.yaml) is part of the study definition: read into Study.monitoring,
fingerprinted, and every problem reported with its file and line by the loader and `ecrf check-forms`."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FORMS

from ecrf.study.loader import load_study
from ecrf.study.monitoring import MONITORING_FILE, NO_MONITORING, LockNeed, Policy
from ecrf.study.problems import DefinitionError, Problem


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    shutil.copytree(FORMS, folder)
    return folder


def _problems(folder: Path, text: str) -> list[Problem]:
    (folder / MONITORING_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_study(folder)
    return caught.value.problems


@pytest.mark.req("MON-PLAN")
def test_the_shipped_plan_is_the_trials_monitoring_plan(study):
    plan, vs = study.monitoring, study.form("VS")
    assert plan.sdv.rule("D3", "VS").covers(vs) == ("TEMP", "OXYSAT", "O2SUP")
    assert plan.sdv.rule("SCR", "IE").covers(study.form("IE")) == tuple(i.code for i in study.form("IE").items)
    assert not plan.sdv.rule("D14", "CS").required  # everything else: no SDV
    ae = plan.sdv.rule("", "AE")
    assert ae.items is None and ae.when is not None and ae.when.is_bound
    assert plan.auto_queries.confirmed_warnings == {"VS", "LB", "AE"} and plan.auto_queries.missing_after_days == 7
    assert plan.signature.meaning.get("zh").startswith("本人已审阅") and plan.signature.meaning_version == "1"
    assert (plan.signature.empty_required, plan.signature.open_queries) == (Policy.REFUSE, Policy.WARN)
    assert plan.lock.needs == set(LockNeed)


def test_a_study_without_a_plan_verifies_nothing_and_signs_with_a_plain_meaning(forms):
    (forms / MONITORING_FILE).unlink()
    study = load_study(forms)
    assert study.monitoring == NO_MONITORING and not study.monitoring.sdv.rule("SCR", "IE").required


def test_the_plan_is_part_of_the_fingerprint(forms, study):
    text = (forms / MONITORING_FILE).read_text(encoding="utf-8")
    (forms / MONITORING_FILE).write_text(text.replace("missing_after_days: 7", "missing_after_days: 5"),
                                         encoding="utf-8")
    assert load_study(forms).fingerprint != study.fingerprint


PLAN_PROBLEMS = [
    ("monitoring:\n  sdv:\n    forms:\n      XX: all\n", "unknown-form", 4),
    ("monitoring:\n  sdv:\n    forms:\n      VS: [TEMP, TMEP]\n", "unknown-item", 4),
    ("monitoring:\n  sdv:\n    forms:\n      VS: some\n", "bad-value", 4),
    ("monitoring:\n  sdv:\n    forms:\n      AE: {items: all, when: \"AESER ==\"}\n", "bad-expression", 4),
    ("monitoring:\n  sdv:\n    forms:\n      AE: {items: all, when: \"NOPE == 1\"}\n", "bad-reference", 4),
    ("monitoring:\n  sdv:\n    visits:\n      D99: {VS: all}\n", "unknown-visit", 4),
    ("monitoring:\n  auto_queries:\n    missing_after_days: -1\n", "bad-value", 3),
    ("monitoring:\n  signature:\n    meaning: {version: '1', en: Signed}\n", "missing-translation", 3),
    ("monitoring:\n  signature:\n    meaning: {en: Signed, zh: 已签}\n", "missing-key", 3),
    ("monitoring:\n  signature:\n    meaning: {version: '1', en: a, zh: b}\n    open_queries: ignore\n",
     "bad-value", 4),
    ("monitoring:\n  lock:\n    needs: [complete, signed]\n", "bad-value", 3),
    ("monitoring:\n  sdvv: {}\n", "unknown-key", 2),
]


@pytest.mark.req("MON-PLAN")
@pytest.mark.parametrize(("text", "code", "line"), PLAN_PROBLEMS)
def test_each_problem_is_reported_with_its_line(forms, text, code, line):
    found = [p for p in _problems(forms, text) if p.file.endswith(MONITORING_FILE)]
    assert [(p.code, p.line) for p in found] == [(code, line)], found
