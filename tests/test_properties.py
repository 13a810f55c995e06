"""Property-based tests: whatever comes in, validators answer with findings, never exceptions."""
from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ecrf.study.expr import evaluate_text
from ecrf.study.expr.parser import ExprSyntaxError, parse
from ecrf.study.findings import Finding
from ecrf.study.loader import check_definition
from ecrf.study.parsing import parse_entry
from ecrf.study.subject import Where
from ecrf.study.validate import validate_form
from ecrf.study.values import Missing, PartialDate

pytestmark = pytest.mark.req("VAL-NO-CRASH")
FORMS = Path(__file__).resolve().parent.parent / "forms"

anything = st.one_of(
    st.none(), st.text(max_size=40), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True), st.booleans(), st.dates(),
    st.datetimes(), st.times(), st.lists(st.text(max_size=8), max_size=4),
    st.builds(Missing, st.sampled_from(["ND", "UNK", "NA", "XX"])),
    st.builds(PartialDate, st.integers(1900, 2100), st.one_of(st.none(), st.integers(1, 12))),
)
typed_like = st.one_of(
    st.text(alphabet="0123456789.,-+ UNK:T/", max_size=16), st.text(max_size=30),
)


def _items(study):
    return [(form, item) for form in study.forms.values() for item in form.items]


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_parse_entry_never_raises(study, data):
    form, item = data.draw(st.sampled_from(_items(study)))
    value, findings = parse_entry(item, data.draw(st.one_of(anything, typed_like)))
    assert all(isinstance(f, Finding) for f in findings)
    assert value is None or not findings


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_validate_form_never_raises(study, data):
    form = data.draw(st.sampled_from(list(study.forms.values())))
    codes = [i.code for i in form.items] + ["BOGUS"]
    values = data.draw(st.dictionaries(st.sampled_from(codes), st.one_of(anything, typed_like), max_size=12))
    result = validate_form(form, values, where=Where("SCR", today=date(2020, 6, 1)))
    assert all(isinstance(f, Finding) and f.text("en") and f.text("zh") for f in result.findings)


@settings(max_examples=500)
@given(st.text(max_size=60))
def test_expression_parser_only_raises_syntax_errors(text):
    try:
        parse(text)
    except ExprSyntaxError as exc:
        assert str(exc)


_EXPR_ALPHABET = st.sampled_from(["A", "B", "1", "2.5", "'x'", "+", "-", "*", "/", "==", "<", "and", "or",
                                  "not", "(", ")", "is missing", "in", "[", "]", ",", "$day0", "age(", "sum("])


@settings(max_examples=500)
@given(st.lists(_EXPR_ALPHABET, max_size=12), anything, anything)
@example(["and", "(", ")"], None, None)  # a keyword once parsed as the name of a function call
def test_evaluating_any_parsable_expression_never_raises(tokens, a, b):
    text = " ".join(tokens)
    try:
        parse(text)
    except ExprSyntaxError:
        return
    evaluate_text(text, {"A": a, "B": b}, day0=date(2020, 2, 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.text(max_size=300), st.binary(max_size=200)))
def test_any_form_file_gives_problems_not_exceptions(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("forms")
    shutil.copytree(FORMS, folder, dirs_exist_ok=True)
    target = folder / "vs.yaml"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    problems = check_definition(folder)
    assert all(str(p) for p in problems)


def test_decimal_round_trip_keeps_the_value(study):
    item = study.form("VS").item("TEMP")
    for text in ["35.0", "37.4", "41.9"]:
        value, findings = parse_entry(item, text)
        assert findings == [] and str(value) == text and value == Decimal(text)
