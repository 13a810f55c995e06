"""Bad input found while attacking the app (issue 12, "Robustness found on the way"): each case first
reproduces the input that used to crash, hang or mislead, then checks the coded message that replaces it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecrf.study.loader import check_definition
from ecrf.study.yamlsource import MAX_ALIASES, YamlAliasBomb, YamlSyntaxError, parse_yaml

REPO = Path(__file__).resolve().parent.parent

# ---- a YAML alias bomb ("billion laughs") in a forms folder ------------------------------------------

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8))


def test_alias_bomb_is_refused_before_it_expands():
    with pytest.raises(YamlAliasBomb) as caught:
        parse_yaml(BILLION_LAUGHS.encode())
    assert caught.value.expanded > 10**8  # 9**9 values, counted without building them


def test_many_aliases_are_refused_even_when_small():
    text = "a: &a x\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(YamlAliasBomb):
        parse_yaml(text.encode())


def test_ordinary_aliases_still_load_and_a_recursive_one_is_a_syntax_error():
    assert parse_yaml(b"a: &x {k: 1}\nb: *x\n") == {"a": {"k": 1}, "b": {"k": 1}}
    with pytest.raises(YamlSyntaxError, match="recursive"):  # counted once by the check, no endless walk
        parse_yaml(b"a: &r [1, *r]\n")


@pytest.mark.req("DEF-ALL-PROBLEMS")
def test_check_forms_reports_an_alias_bomb_with_its_code(tmp_path, ecrf):
    forms = tmp_path / "forms"
    shutil.copytree(REPO / "forms", forms)
    (forms / "bomb.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    problems = [p for p in check_definition(forms) if p.file.endswith("bomb.yaml")]
    assert [p.code.value for p in problems] == ["yaml-alias-bomb"]
    assert "aliases" in problems[0].message
    code, out, err = ecrf("check-forms", forms)
    assert code != 0 and "[yaml-alias-bomb]" in out + err and "Traceback" not in out + err
