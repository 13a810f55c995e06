"""The CSV dialect and the formula rule on their own: what a cell becomes, and that it reads back."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ecrf.errors import Bug
from ecrf.export.csv.safe import FORMULA_RULE, CsvFile, cell_text, neutralise, restore

FORMULAS = ["=cmd|' /C calc'!A0", "+1+2", "@SUM(A1)", "-2+3", "\tx", "\rx", "=1", "-", "+", "-5\n", "-٥"]
NUMBERS = ["-5", "-3.25", "+7", "0", "12", "-0.5", ".5", "-.5", "1e5", "-2.5E-3", "5000000.000"]


@pytest.mark.req("EXPORT-CSV-SAFE")
@pytest.mark.parametrize("text", FORMULAS)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.req("EXPORT-CSV-SAFE")
@pytest.mark.parametrize("text", NUMBERS)
def test_numbers_are_never_altered(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize("text", ["abc", "", "a=b", "Grade 1 – mild", "发热", "'abc", "x-1"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.req("EXPORT-CSV-SAFE")
@pytest.mark.parametrize("text", [*FORMULAS, *NUMBERS, "'=x", "'-5", "''", "'", "'abc", "abc", ""])
def test_the_rule_is_undone_exactly(text: str) -> None:
    assert restore(neutralise(text)) == text


def test_an_apostrophe_before_a_trigger_is_doubled_so_it_survives_restore() -> None:
    assert neutralise("'=x") == "''=x"
    assert restore("''=x") == "'=x"


def test_the_rule_names_every_trigger() -> None:
    for word in ("'='", "'+'", "'-'", "'@'", "TAB", "carriage return", "apostrophe", "number"):
        assert word in FORMULA_RULE


def test_cells_none_bool_int() -> None:
    assert [cell_text(v) for v in (None, True, False, 0, -4, "x")] == ["", "true", "false", "0", "-4", "x"]


@pytest.mark.req("EXPORT-CSV-SAFE")
@pytest.mark.req("WARD-SPEED-EXPORT-2")
def test_file_is_utf8_rfc4180_and_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "t.csv"
    with CsvFile(path, ("a", "b")) as out:
        out.write(("发热, \"咳嗽\"", None))
        out.write(("=1+1", True))
        out.write(("line\nbreak", -5))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark: Excel on Windows then reads UTF-8
    assert raw.count(b"\r\n") == 4  # the line break inside a quoted cell stays a bare \n
    assert raw.decode("utf-8-sig").startswith('a,b\r\n"发热, ""咳嗽""",\r\n')
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [["a", "b"], ["发热, \"咳嗽\"", ""], ["'=1+1", "true"], ["line\nbreak", "-5"]]


def test_a_row_of_the_wrong_width_is_refused(tmp_path: Path) -> None:
    with CsvFile(tmp_path / "t.csv", ("a", "b")) as out, pytest.raises(Bug, match="2"):
        out.write(("only one",))
