"""The hand-written expression parser reads exactly the language of grammar.lark, into lark's syntax trees.

quick_parser may decline a text (lark then parses it and explains the mistake); it must never accept a text
lark refuses, nor read a text into another tree. Trees are compared by repr, so True is not taken for 1."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ecrf.study.expr import parser
from ecrf.study.expr.lark_parser import parse_with_lark
from ecrf.study.expr.parser import ExprSyntaxError, parse
from ecrf.study.expr.quick_parser import quick_parse
from ecrf.study.loader import load_study

pytestmark = pytest.mark.req("VAL-NO-CRASH")
FORMS = Path(__file__).resolve().parent.parent / "forms"


def _lark_tree(text: str) -> str | None:
    try:
        return repr(parse_with_lark(text))
    except ExprSyntaxError:
        return None


def _agrees(text: str) -> bool:
    """quick_parse declined, or read the text as lark does. Returns whether it read it."""
    quick = quick_parse(text)
    if quick is None:
        return False
    assert repr(quick) == _lark_tree(text), text
    return True


def test_every_expression_of_the_study_is_read_as_lark_reads_it(monkeypatch) -> None:
    texts: list[str] = []

    def recording(text: str):  # type: ignore[no-untyped-def]
        texts.append(text)
        return quick_parse(text)

    monkeypatch.setattr(parser, "quick_parse", recording)
    load_study(FORMS)
    assert len(texts) > 50
    assert all(_agrees(text) for text in texts)  # and none needed lark: a sound study never imports it


_PIECES = ["A", "BB_1", "DM.AGE", "SCR.DM.SEX", "1", "25", "2.5", "0.10", "'x'", '"y z"', "''", "+", "-", "*",
           "/", "==", "!=", "<", "<=", ">", ">=", "and", "or", "not", "is", "missing", "in", "true", "false", "(",
           ")", "[", "]", ",", ".", "$", "$day0", "age", "sum(", "f(", "x", "é", "=", "!", "&", "_a", "1.", "\t"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.lists(st.sampled_from(["", " ", "  ", "\n"]),
                                                                  min_size=14, max_size=14))
@example(["and", "(", ")"], [" "] * 14)
@example(["A", "not", "in", "[", "1", ",", "2", "]"], [" "] * 14)
@example(["not", "A", "is", "not", "missing"], [" "] * 14)
@example(["-", "-", "1", "*", "-", "A"], [""] * 14)
@example(["true", "or", "false", "and", "not", "true"], [" "] * 14)
def test_token_soup_is_read_as_lark_reads_it_or_left_to_lark(pieces: list[str], gaps: list[str]) -> None:
    _agrees("".join(piece + gap for piece, gap in zip(pieces, gaps, strict=False)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="AB1.'\"()[],$+-*/<>=! anotrisgmfx_\n", max_size=30))
def test_character_soup_is_read_as_lark_reads_it_or_left_to_lark(text: str) -> None:
    _agrees(text)


def _expression(rng: random.Random, depth: int = 0) -> str:
    """A random well-formed expression of the grammar, spaced as people write."""
    if depth > 4 or rng.random() < 0.3:
        return rng.choice(["A", "DM.AGE", "V.F.I", "7", "3.25", "'text'", "true", "false", "$today", "f()",
                           "age(A, B)", "[1, 2, 'x']", "[]"])
    left, right = _expression(rng, depth + 1), _expression(rng, depth + 1)
    return rng.choice([
        f"{left} or {right}", f"{left} and {right}", f"not {left}", f"({left}) == ({right})", f"({left}) < {right}",
        f"{left} is missing", f"({left}) is not missing", f"{left} in [{right}]", f"{left} not in {right}",
        f"{left} + {right}", f"{left} - {right}", f"{left} * ({right})", f"-{left} / {right}", f"({left})",
        f"g({left}, {right})"])


def test_well_formed_expressions_are_read_without_lark() -> None:
    rng = random.Random(16)
    for _ in range(400):
        text = _expression(rng)
        if _lark_tree(text) is not None:  # "7 in 'text' < 1" and the like are not in the language
            assert _agrees(text), text


def test_mistakes_are_explained_by_lark_as_before() -> None:
    with pytest.raises(ExprSyntaxError, match="unexpected character '&' at column 3"):
        parse("A && B")
    with pytest.raises(ExprSyntaxError, match="ends too early"):
        parse("(A + 1")
    with pytest.raises(ExprSyntaxError, match="'age' is not a known word"):
        parse("age > 18")


def test_nesting_too_deep_to_read_recursively_is_left_to_lark() -> None:
    text = "(" * 400 + "1" + ")" * 400  # one level deep once read, but 400 recursive calls to read it
    assert quick_parse(text) is None
    assert repr(parse(text)) == "Lit(value=1)"
