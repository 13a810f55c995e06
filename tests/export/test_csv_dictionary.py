"""The data dictionary CSVs: they describe every item, code and check, in every language, and every
value in items_long.csv reads as the type the dictionary declares for it."""
from __future__ import annotations

import csv
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ecrf.export.bundle import layout
from ecrf.export.csv.dictionary import check_header, item_header, write_dictionary
from ecrf.export.csv.part import CsvPart
from ecrf.export.csv.safe import restore
from ecrf.export.records import ExportContext
from tests.export.helpers import DemoRecords, run_part

_PARTIAL = re.compile(r"\d{4}-(\d{2}|UN)-(\d{2}|UN)")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{key: restore(value) for key, value in row.items()} for row in csv.DictReader(f)]


@pytest.fixture
def dictionary(export_context: ExportContext) -> Path:
    write_dictionary(export_context.study, export_context.staging)
    return export_context.staging


def _parses_as(text: str, spec: dict[str, str], codes: dict[str, set[str]]) -> bool:
    """Whether stored text is a value of the dictionary's declared type (independent of ecrf's parser)."""
    kind = spec["type"]
    if kind == "integer":
        return re.fullmatch(r"-?\d+", text) is not None
    if kind == "decimal":
        places = len(text.partition(".")[2])
        return Decimal(text).is_finite() and (spec["precision"] == "" or places == int(spec["precision"]))
    if kind == "date":
        return date.fromisoformat(text).isoformat() == text
    if kind == "partial_date":
        return _PARTIAL.fullmatch(text) is not None
    if kind == "time":
        return re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text) is not None
    if kind == "datetime":
        return datetime.strptime(text, "%Y-%m-%dT%H:%M").strftime("%Y-%m-%dT%H:%M") == text
    if kind in ("single_choice", "yes_no"):
        return text in codes[spec["codelist"]]
    if kind == "multi_choice":
        return set(text.split(";")) <= codes[spec["codelist"]]
    return kind == "text" and len(text) <= int(spec["max_length"])


@pytest.mark.req("EXPORT-COMPLETE")
def test_every_long_value_parses_as_its_declared_type(export_context: ExportContext, demo_records: DemoRecords) -> None:
    run_part(CsvPart(), export_context, demo_records)
    staging = export_context.staging
    items = {(r["form"], r["item"]): r for r in read_rows(staging / layout.DICT_ITEMS)}
    codes: dict[str, set[str]] = {}
    for r in read_rows(staging / layout.DICT_CODELISTS):
        codes.setdefault(r["codelist"], set()).add(r["code"])
    seen_types = set()
    for row in read_rows(staging / layout.ITEMS_LONG):
        spec = items[(row["form"], row["item"])]
        if row["missing"]:
            assert row["value"] == "" and row["missing"] in spec["missing_codes"].split(";"), row
            continue
        assert _parses_as(row["value"], spec, codes), (row["form"], row["item"], row["value"], spec["type"])
        seen_types.add(spec["type"])
    assert {"integer", "decimal", "date", "partial_date", "time", "single_choice", "multi_choice", "yes_no",
            "text"} <= seen_types


def test_items_dictionary_describes_every_item_in_definition_order(dictionary: Path, study) -> None:  # type: ignore[no-untyped-def]
    rows = read_rows(dictionary / layout.DICT_ITEMS)
    assert list(rows[0]) == list(item_header(study.info.languages))
    assert [(r["form"], r["item"]) for r in rows] == [(f.code, i.code) for f in study.forms.values() for i in f.items]
    by_item = {(r["form"], r["item"]): r for r in rows}
    temp = by_item[("VS", "TEMP")]
    assert (temp["cdash"], temp["testcd"], temp["wide_column"], temp["type"], temp["precision"]) == (
        "VSORRES", "TEMP", "TEMP_VSORRES", "decimal", "1")
    assert (temp["unit_en"], temp["missing_codes"], temp["calculated"]) == ("°C", "ND", "false")
    bmi = by_item[("DM", "BMI")]
    assert (bmi["type"], bmi["calculated"], bmi["derive"]) == ("decimal", "true",
                                                               "WEIGHT / ((HEIGHT/100) * (HEIGHT/100))")
    assert by_item[("DM", "PREGST")]["show_if"] == "SEX == 'F'"
    assert by_item[("AE", "AEONGO")]["codelist"] == "NY"
    assert by_item[("CT", "SCRUL")]["missing_codes"] == "ND;NA"
    assert [temp[k] for k in ("hard_low", "hard_high", "soft_low", "soft_high")] == ["30", "45", "35", "41"]
    assert by_item[("IE", "IEELIG")]["codelist"] == "NY"  # a calculated yes/no item


def test_codelists_include_the_built_in_yes_no(dictionary: Path, study) -> None:  # type: ignore[no-untyped-def]
    rows = read_rows(dictionary / layout.DICT_CODELISTS)
    assert [(r["code"], r["label_en"]) for r in rows if r["codelist"] == "NY"] == [("Y", "Yes"), ("N", "No")]
    grades = [r for r in rows if r["codelist"] == "WHOSCALE"]
    assert grades[0]["data_type"] == "integer" and grades[0]["code"] == "0"
    used = {i.codelist.name for f in study.forms.values() for i in f.items if i.codelist}
    assert used <= {r["codelist"] for r in rows}


def test_checks_dictionary(dictionary: Path, study) -> None:  # type: ignore[no-untyped-def]
    rows = read_rows(dictionary / layout.DICT_CHECKS)
    assert list(rows[0]) == list(check_header(study.info.languages))
    assert len(rows) == sum(len(f.checks) for f in study.forms.values())
    bp = next(r for r in rows if r["check"] == "BP_ORDER")
    assert (bp["form"], bp["severity"], bp["items"], bp["expression"], bp["when"]) == (
        "VS", "hard", "SYSBP;DIABP", "SYSBP > DIABP", "")
    assert bp["message_en"] == "Systolic must be higher than diastolic."


@pytest.mark.req("WARD-SPEED-EXPORT-2")
def test_chinese_labels_are_utf8_and_round_trip(dictionary: Path, study) -> None:  # type: ignore[no-untyped-def]
    raw = (dictionary / layout.DICT_ITEMS).read_bytes()
    raw.decode("utf-8")  # strict: raises on anything but valid UTF-8
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark: Excel shows the Chinese labels as written
    rows = {(r["form"], r["item"]): r for r in read_rows(dictionary / layout.DICT_ITEMS)}
    for form in study.forms.values():
        for item in form.items:
            assert rows[(form.code, item.code)]["label_zh"] == item.label.get("zh")
    assert rows[("VS", "PULSE")]["unit_zh"] == "次/分"
    checks = read_rows(dictionary / layout.DICT_CHECKS)
    assert next(r for r in checks if r["check"] == "BP_ORDER")["message_zh"] == "收缩压必须高于舒张压。"
    codelists = read_rows(dictionary / layout.DICT_CODELISTS)
    assert ("SEX", "F", "女") in {(r["codelist"], r["code"], r["label_zh"]) for r in codelists}


def test_dictionary_is_the_same_bytes_every_time(export_context: ExportContext, tmp_path: Path) -> None:
    write_dictionary(export_context.study, export_context.staging)
    write_dictionary(export_context.study, tmp_path / "again")
    for name in (layout.DICT_ITEMS, layout.DICT_CODELISTS, layout.DICT_CHECKS):
        assert (export_context.staging / name).read_bytes() == (tmp_path / "again" / name).read_bytes()
