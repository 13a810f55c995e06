"""Formula text typed into the eCRF reaches the bundle's CSVs neutralised; numbers reach it untouched."""
from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import pytest

from ecrf.export.bundle import layout
from ecrf.export.csv.part import CsvPart
from ecrf.export.csv.safe import restore
from ecrf.export.records import ExportContext, FormRecord, ValueRecord
from tests.export.helpers import DemoRecords, run_part

FORMULAS = ["=cmd|' /C calc'!A0", "+1+2", "@SUM(A1)", "-2+3", "\tx", "\rx", "'=already quoted"]
NUMBERS = ["-5", "-3.25", "+7"]
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)

pytestmark = pytest.mark.req("EXPORT-CSV-SAFE")


def raw_rows(path: Path) -> list[dict[str, str]]:
    """Cells exactly as a spreadsheet would get them (no restore)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _with(form: FormRecord, repeat: int, text: str, dose: str) -> FormRecord:
    values = {v.item: v for v in form.values}
    values["CMTRT"] = replace(values["CMTRT"], value=text)
    values["CMINDC"] = replace(values["CMINDC"], value=text)
    values["CMDOSE"] = replace(values["CMDOSE"], value=dose, missing=None)
    return replace(form, repeat=repeat, values=tuple(values.values()))


def hostile_records(demo_records: DemoRecords) -> DemoRecords:
    """The demo, with the first subject's medication log holding formulas in text and signed numbers."""
    first = next(s for s in demo_records.subjects if any(f.form == "CM" for f in s.forms))
    template = next(f for f in first.forms if f.form == "CM")
    doses = [NUMBERS[n % len(NUMBERS)] for n in range(len(FORMULAS))]
    injected = tuple(_with(template, 100 + n, text, dose) for n, (text, dose) in enumerate(zip(FORMULAS, doses,
                                                                                               strict=True)))
    note = ValueRecord("NOTE", "=HYPERLINK(\"http://x\")", None, template.updated_at, "nurse")  # an unknown item
    injected += (replace(template, repeat=99, values=(*template.values, note), deleted=True, deleted_reason="=1+1"),)
    hostile = replace(first, forms=first.forms + injected, end_reason="@risk")
    subjects = tuple(hostile if s is first else s for s in demo_records.subjects)
    audit = (replace(demo_records.audit[0], new_value="=2*3", reason="-1-1"), *demo_records.audit[1:])
    return replace(demo_records, subjects=subjects, audit=audit)


@pytest.fixture
def hostile_csv(export_context: ExportContext, demo_records: DemoRecords) -> Path:
    run_part(CsvPart(), export_context, hostile_records(demo_records))
    return export_context.staging


def test_formula_values_are_neutralised_in_the_long_file(hostile_csv: Path) -> None:
    rows = [r for r in raw_rows(hostile_csv / layout.ITEMS_LONG) if r["form"] == "CM" and int(r["repeat"]) >= 100]
    texts = [r["value"] for r in rows if r["item"] == "CMTRT"]
    assert texts == ["'" + text for text in FORMULAS]
    assert [restore(t) for t in texts] == FORMULAS
    doses = [r["value"] for r in rows if r["item"] == "CMDOSE"]
    assert set(doses) == set(NUMBERS)


def test_formula_values_are_neutralised_in_the_wide_file(hostile_csv: Path) -> None:
    rows = [r for r in raw_rows(hostile_csv / layout.form_csv("CM")) if int(r["repeat"]) >= 100]
    assert [r["CMTRT"] for r in rows] == ["'" + text for text in FORMULAS]
    assert [r["CMINDC"] for r in rows] == ["'" + text for text in FORMULAS]
    assert {r["CMDOSE"] for r in rows} == set(NUMBERS)


def test_other_files_are_neutralised_too(hostile_csv: Path) -> None:
    [removed] = [r for r in raw_rows(hostile_csv / layout.form_csv("CM")) if r["repeat"] == "99"]
    assert removed["deleted_reason"] == "'=1+1"
    note = next(r for r in raw_rows(hostile_csv / layout.ITEMS_LONG) if r["item"] == "NOTE")
    assert note["value"] == "'=HYPERLINK(\"http://x\")" and note["cdash"] == ""
    assert "'@risk" in {r["end_reason"] for r in raw_rows(hostile_csv / layout.SUBJECTS)}
    event = raw_rows(hostile_csv / layout.AUDIT_TRAIL)[0]
    assert (event["new_value"], event["reason"]) == ("'=2*3", "'-1-1")


def test_no_cell_of_any_file_would_run_as_a_formula(hostile_csv: Path) -> None:
    files = sorted(hostile_csv.rglob("*.csv"))
    assert len(files) > 10
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    runs = cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not _NUMBER.fullmatch(cell)
                    assert not runs, (path.name, cell)
