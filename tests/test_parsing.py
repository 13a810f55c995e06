"""Entered values → typed values or a finding, for every item type (locale-independent)."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from ecrf.study.findings import F, Severity
from ecrf.study.parsing import parse_entry
from ecrf.study.values import Missing, PartialDate

pytestmark = pytest.mark.req("VAL-TYPES")


def parse(study, form: str, item: str, raw):
    return parse_entry(study.form(form).item(item), raw)


def codes(findings) -> list[F]:
    return [f.code for f in findings]


@pytest.mark.parametrize("raw, expected", [("37.5", Decimal("37.5")), (" 37.5 ", Decimal("37.5")),
                                           ("37", Decimal("37.0")), ("37.50", Decimal("37.5")),
                                           ("３７．５", Decimal("37.5")), ("-0.5", Decimal("-0.5"))])
def test_decimal_accepts_point_notation(study, raw, expected):
    value, findings = parse(study, "VS", "TEMP", raw)
    assert findings == [] and value == expected


@pytest.mark.parametrize("raw, code", [("37,5", F.DECIMAL_COMMA), ("abc", F.NOT_A_NUMBER), ("1e3", F.NOT_A_NUMBER),
                                       ("37.55", F.TOO_MANY_DECIMALS), ("37.5.1", F.NOT_A_NUMBER),
                                       ("NaN", F.NOT_A_NUMBER), ("inf", F.NOT_A_NUMBER)])
def test_decimal_refuses_with_a_reason(study, raw, code):
    value, findings = parse(study, "VS", "TEMP", raw)
    assert value is None and codes(findings) == [code]
    assert findings[0].severity is Severity.HARD
    assert raw in findings[0].text("en") and "Body temperature" in findings[0].text("en")
    assert "体温" in findings[0].text("zh")


def test_decimal_comma_message_suggests_the_point(study):
    _, findings = parse(study, "VS", "TEMP", "37,5")
    assert "37.5" in findings[0].text("en")


@pytest.mark.parametrize("raw, expected", [("72", 72), ("+72", 72), ("７２", 72)])
def test_integer(study, raw, expected):
    assert parse(study, "VS", "PULSE", raw) == (expected, [])


@pytest.mark.parametrize("raw, code", [("72.5", F.NOT_WHOLE), ("72,0", F.NOT_WHOLE), ("seventy", F.NOT_A_NUMBER)])
def test_integer_refusals(study, raw, code):
    assert codes(parse(study, "VS", "PULSE", raw)[1]) == [code]


def test_date(study):
    assert parse(study, "VS", "VSDAT", "2020-02-29") == (date(2020, 2, 29), [])


@pytest.mark.parametrize("raw, code, detail", [
    ("2020-02-30", F.IMPOSSIBLE_DATE, "February 2020 has 29 days"),
    ("2021-02-29", F.IMPOSSIBLE_DATE, "February 2021 has 28 days"),
    ("2020-13-01", F.IMPOSSIBLE_DATE, "no month 13"),
    ("1850-01-01", F.IMPOSSIBLE_DATE, "between 1900 and 2100"),
    ("30/02/2020", F.BAD_DATE, "YYYY-MM-DD"),
    ("2020-02-UN", F.BAD_DATE, "YYYY-MM-DD"),
    ("yesterday", F.BAD_DATE, "YYYY-MM-DD"),
])
def test_date_refusals(study, raw, code, detail):
    value, findings = parse(study, "VS", "VSDAT", raw)
    assert value is None and codes(findings) == [code]
    assert detail in findings[0].text("en")


@pytest.mark.parametrize("raw, expected", [
    ("2020-02-UN", PartialDate(2020, 2)), ("2020-UN-UN", PartialDate(2020)), ("2020-02-un", PartialDate(2020, 2)),
    ("2020-02-UNK", PartialDate(2020, 2)), ("2020-02", PartialDate(2020, 2)), ("2020", PartialDate(2020)),
    ("2020-02-15", date(2020, 2, 15)),
])
def test_partial_date(study, raw, expected):
    assert parse(study, "AE", "AESTDAT", raw) == (expected, [])


@pytest.mark.parametrize("raw, code", [("2020-UN-15", F.BAD_PARTIAL_DATE), ("UN-UN-2020", F.BAD_PARTIAL_DATE),
                                       ("2020-02-30", F.IMPOSSIBLE_DATE), ("2020-14-UN", F.IMPOSSIBLE_DATE)])
def test_partial_date_refusals(study, raw, code):
    assert codes(parse(study, "AE", "AESTDAT", raw)[1]) == [code]


def test_partial_date_iso_form():
    assert PartialDate(2020, 2).iso() == "2020-02"
    assert PartialDate(2020).iso() == "2020"
    assert PartialDate(2020, 2).entry_text() == "2020-02-UN"
    assert PartialDate(2020, 2).latest == date(2020, 2, 29)


@pytest.mark.parametrize("raw, expected", [("14:30", time(14, 30)), ("7:05", time(7, 5)), ("00:00", time(0, 0))])
def test_time(study, raw, expected):
    assert parse(study, "VS", "VSTIM", raw) == (expected, [])


@pytest.mark.parametrize("raw", ["24:00", "12:60", "2 pm", "1430"])
def test_time_refusals(study, raw):
    assert codes(parse(study, "VS", "VSTIM", raw)[1]) == [F.BAD_TIME]


def test_datetime():
    from ecrf.study.model import Item, ItemType, Source, Text

    item = Item("DT", ItemType.DATETIME, Text.of(en="When", zh="时间"), "XXDTC", Source("x", 1))
    assert parse_entry(item, "2020-02-03T14:30") == (datetime(2020, 2, 3, 14, 30), [])
    assert parse_entry(item, "2020-02-03 14:30") == (datetime(2020, 2, 3, 14, 30), [])
    assert codes(parse_entry(item, "2020-02-03")[1]) == [F.BAD_DATETIME]
    assert codes(parse_entry(item, "2020-02-30 14:30")[1]) == [F.IMPOSSIBLE_DATE]


def test_single_choice_text_and_integer_codelists(study):
    assert parse(study, "DM", "SEX", "F") == ("F", [])
    assert codes(parse(study, "DM", "SEX", "X")[1]) == [F.NOT_IN_CODELIST]
    assert parse(study, "AE", "AETOXGR", "5") == (5, [])
    assert parse(study, "AE", "AETOXGR", 3) == (3, [])
    assert codes(parse(study, "AE", "AETOXGR", "6")[1]) == [F.NOT_IN_CODELIST]


def test_yes_no(study):
    assert parse(study, "IE", "IEIN01", "y") == ("Y", [])
    assert codes(parse(study, "IE", "IEIN01", "maybe")[1]) == [F.NOT_IN_CODELIST]


def test_multi_choice_is_ordered_as_the_codelist(study):
    assert parse(study, "MB", "MBTEST", ["N", "ORF1AB"]) == (("ORF1AB", "N"), [])
    assert parse(study, "MB", "MBTEST", "E;N") == (("N", "E"), [])
    assert codes(parse(study, "MB", "MBTEST", ["N", "N"])[1]) == [F.DUPLICATE_CHOICE]
    assert codes(parse(study, "MB", "MBTEST", ["S"])[1]) == [F.NOT_IN_CODELIST]
    assert parse(study, "MB", "MBTEST", []) == (None, [])


def test_text_length_and_control_characters(study):
    item = study.form("AE").item("AETERM")
    assert parse_entry(item, "  Fever  ") == ("Fever", [])
    value, findings = parse_entry(item, "x" * 2000)
    assert value is None and codes(findings) == [F.TOO_LONG]
    assert "2000" in findings[0].text("en")
    assert codes(parse_entry(item, "fe\x00ver")[1]) == [F.CONTROL_CHARACTER]


def test_empty_and_missing(study):
    assert parse(study, "VS", "TEMP", "   ") == (None, [])
    assert parse(study, "VS", "TEMP", Missing("ND")) == (Missing("ND"), [])


def test_calculated_items_cannot_be_typed(study):
    assert codes(parse(study, "DM", "AGE", "44")[1]) == [F.CALCULATED_READ_ONLY]


@pytest.mark.parametrize("value", [True, 3.5j, object(), b"37"])
def test_wrong_python_types_are_findings(study, value):
    assert codes(parse(study, "VS", "TEMP", value)[1]) == [F.WRONG_VALUE_TYPE]


def test_typed_values_from_the_store(study):
    assert parse(study, "VS", "TEMP", Decimal("37.5")) == (Decimal("37.5"), [])
    assert parse(study, "VS", "TEMP", 37) == (Decimal("37.0"), [])
    assert parse(study, "VS", "VSDAT", date(2020, 2, 1)) == (date(2020, 2, 1), [])
    assert codes(parse(study, "VS", "VSDAT", datetime(2020, 2, 1))[1]) == [F.WRONG_VALUE_TYPE]
