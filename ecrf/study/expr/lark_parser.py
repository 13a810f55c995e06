"""The expression grammar with lark (LALR): the reference parser, used for the texts quick_parser is not
sure of — in a sound study, none — and for saying what is wrong with a text."""
from __future__ import annotations

import os
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

import lark
import platformdirs
from lark import Lark, Token, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)
from lark.visitors import Transformer_NonRecursive

from ecrf.study.expr import ast
from ecrf.study.expr.parser import ExprSyntaxError, lowercase_name_hint


def parse_with_lark(text: str) -> ast.Node:
    """The syntax tree of `text`; raise ExprSyntaxError saying where and why it is not in the language."""
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as exc:
        raise ExprSyntaxError(lowercase_name_hint(text) or _describe(exc, text)) from None
    node: ast.Node = _TRANSFORMER.transform(tree)
    return node


@lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = resources.files("ecrf.study.expr").joinpath("grammar.lark").read_text(encoding="utf-8")
    options = {"parser": "lalr", "maybe_placeholders": False}
    # Building the LALR tables costs ~25 ms at every start; lark can keep them in a cache file.
    # It goes in the user's own cache folder (lark reads it with pickle, so never a shared /tmp).
    cache = _cache_file()
    if cache is not None:
        try:
            return Lark(grammar, cache=str(cache), **options)
        except OSError:
            pass
    return Lark(grammar, **options)


def _cache_file() -> Path | None:
    folder = os.environ.get("ECRF_CACHE_DIR") or platformdirs.user_cache_dir("ecrf", appauthor=False)
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return Path(folder) / f"expr-grammar-lark-{lark.__version__}.cache"


@v_args(inline=True)
class _ToAst(Transformer_NonRecursive):
    def number(self, tok: Token) -> ast.Lit:
        text = str(tok)
        return ast.Lit(Decimal(text) if "." in text else int(text))

    def string(self, tok: Token) -> ast.Lit:
        return ast.Lit(str(tok)[1:-1])

    def true(self) -> ast.Lit:
        return ast.Lit(True)

    def false(self) -> ast.Lit:
        return ast.Lit(False)

    def ref(self, *parts: Token) -> ast.Ref:
        return ast.Ref(tuple(str(p) for p in parts))

    def context(self, name: Token) -> ast.Ctx:
        return ast.Ctx(str(name))

    def args(self, *nodes: ast.Node) -> tuple[ast.Node, ...]:
        return nodes

    def call(self, name: Token, args: tuple[ast.Node, ...] = ()) -> ast.Call:
        return ast.Call(str(name), tuple(args))

    def list(self, args: tuple[ast.Node, ...] = ()) -> ast.ListLit:
        return ast.ListLit(tuple(args))

    def or_(self, a: ast.Node, b: ast.Node) -> ast.Logic:
        return ast.Logic("or", a, b)

    def and_(self, a: ast.Node, b: ast.Node) -> ast.Logic:
        return ast.Logic("and", a, b)

    def not_(self, a: ast.Node) -> ast.Not:
        return ast.Not(a)

    def neg(self, a: ast.Node) -> ast.Neg:
        return ast.Neg(a)

    def compare(self, a: ast.Node, op: Token, b: ast.Node) -> ast.Compare:
        return ast.Compare(str(op), a, b)

    def is_missing(self, a: ast.Node) -> ast.IsMissing:
        return ast.IsMissing(a, negate=False)

    def is_not_missing(self, a: ast.Node) -> ast.IsMissing:
        return ast.IsMissing(a, negate=True)

    def in_(self, a: ast.Node, b: ast.Node) -> ast.In:
        return ast.In(a, b, negate=False)

    def not_in(self, a: ast.Node, b: ast.Node) -> ast.In:
        return ast.In(a, b, negate=True)

    def add(self, a: ast.Node, b: ast.Node) -> ast.Arith:
        return ast.Arith("+", a, b)

    def sub(self, a: ast.Node, b: ast.Node) -> ast.Arith:
        return ast.Arith("-", a, b)

    def mul(self, a: ast.Node, b: ast.Node) -> ast.Arith:
        return ast.Arith("*", a, b)

    def div(self, a: ast.Node, b: ast.Node) -> ast.Arith:
        return ast.Arith("/", a, b)


_TRANSFORMER = _ToAst()


def _describe(exc: UnexpectedInput, text: str) -> str:
    column = getattr(exc, "column", None)
    at = f" at column {column}" if isinstance(column, int) and column > 0 else ""
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream if exc.pos_in_stream is not None else len(text)
        char = text[pos] if pos < len(text) else "?"
        hint = _hint_for_char(char, text, pos)
        return f"unexpected character {char!r}{at}{hint}"
    if isinstance(exc, UnexpectedEOF):
        return "the expression ends too early (an operand or a closing bracket is missing)"
    if isinstance(exc, UnexpectedToken):
        if exc.token.type == "$END":
            return "the expression ends too early (an operand or a closing bracket is missing)"
        return f"unexpected {str(exc.token)!r}{at}"
    return f"not a valid expression{at}"  # pragma: no cover - lark raises the three above


def _hint_for_char(char: str, text: str, pos: int) -> str:
    if char == "_" or (char.isalpha() and char.islower() is False and not char.isupper()):
        return " (names start with a letter; Python built-ins are not available)"
    if char == "=" :
        return " (compare with ==)"
    if char in "&|!":
        return " (use and, or, not)"
    if char.isalpha() and char.isupper() is False and text[pos:pos + 1].islower():
        return " (item codes are upper case; functions and keywords lower case)"
    return ""
