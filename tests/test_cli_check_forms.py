"""`ecrf check-forms` and `ecrf describe` on the command line."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecrf.cli.main import main

REPO = Path(__file__).resolve().parent.parent
FORMS = REPO / "forms"
VISITS = ("SCR", "D0", "D3", "D6", "D14", "D28", "D90", "D180")


@pytest.fixture
def broken_forms(tmp_path: Path) -> Path:
    """A copy of the real forms/ with a typo in an item type and a bad timepoint."""
    folder = tmp_path / "forms"
    shutil.copytree(FORMS, folder)
    vs = folder / "vs.yaml"
    text = vs.read_text(encoding="utf-8")
    assert text.count("    type: decimal\n") >= 1
    vs.write_text(text.replace("    type: decimal\n", "    type: decmal\n", 1), encoding="utf-8")
    study = folder / "study.yaml"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("timepoints: [PRE, POST]", "timepoints: [PRE, PST]", 1), encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _bundled_forms(monkeypatch):
    monkeypatch.delenv("ECRF_FORMS", raising=False)


@pytest.mark.req("DEF-ALL-PROBLEMS")
def test_check_forms_ok_on_the_real_forms(capsys):
    assert main(["check-forms", str(FORMS)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out
    assert "MSC-COVID19" in out
    assert "no problems" in out


def test_check_forms_defaults_to_the_bundled_forms(capsys):
    assert main(["check-forms"]) == 0
    assert "OK" in capsys.readouterr().out


@pytest.mark.req("DEF-ALL-PROBLEMS")
def test_check_forms_lists_every_problem_as_file_line(broken_forms, capsys):
    assert main(["check-forms", str(broken_forms)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    located = [line for line in lines if re.match(r"^forms/[\w.]+\.yaml:\d+: \[[a-z-]+\]", line)]
    assert any(line.startswith("forms/vs.yaml:") and "[unknown-type]" in line and "decmal" in line
               for line in located), captured.out
    assert any(line.startswith("forms/study.yaml:") and "[unknown-timepoint]" in line and "PST" in line
               for line in located), captured.out
    assert "OK" not in captured.out
    assert f"{len(located)} problem(s)" in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_check_forms_on_a_missing_folder(tmp_path, capsys):
    assert main(["check-forms", str(tmp_path / "nowhere")]) == 1
    captured = capsys.readouterr()
    assert "[file-missing]" in captured.out
    assert "does not exist" in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_describe_lists_visits_and_arms(capsys):
    assert main(["describe"]) == 0
    out = capsys.readouterr().out
    words = set(re.findall(r"[A-Z][A-Z0-9]*", out))
    for visit in VISITS:
        assert visit in words, visit
    assert {"MSC", "CTRL"} <= words
    # the schedule rows come in chronological order
    rows = [line.split()[0] for line in out.splitlines() if re.match(r"^  (SCR|D\d+) ", line)]
    assert rows == list(VISITS)
    assert "Mesenchymal" in out


def test_describe_in_chinese(capsys):
    assert main(["describe", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "间充质干细胞治疗组" in out
    assert "常规治疗对照组" in out
    assert "筛选期/基线" in out
    assert "生命体征" in out
    assert "Conventional Control Group" not in out


def test_describe_with_an_unknown_language(capsys):
    assert main(["describe", "--lang", "fr"]) == 1  # a refusal with its code; 2 is for bugs
    captured = capsys.readouterr()
    assert "error [language-not-in-study]: Language 'fr' is not in this study" in captured.err
    assert "en, zh" in captured.err
    assert "Traceback" not in captured.out + captured.err


def test_describe_on_a_broken_definition(broken_forms, capsys):
    assert main(["describe", "--forms", str(broken_forms)]) == 1
    captured = capsys.readouterr()
    assert "check-forms" in captured.err
    assert "Traceback" not in captured.out + captured.err


def test_python_dash_m_ecrf_check_forms():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("ECRF_FORMS", None)
    result = subprocess.run([sys.executable, "-m", "ecrf", "check-forms", "forms"], cwd=REPO, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout
