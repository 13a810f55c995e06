"""A hand-written parser for the expression grammar (grammar.lark), for the texts it is sure of.

Loading a study parses about a hundred expressions at every start; with lark that costs importing lark,
loading its tables and building its lexers (~50 ms, a third of the start). This recursive-descent
parser reads the same language into the same syntax tree, without lark. It decides nothing about bad
text: it returns None whenever a text is not plainly well-formed, and lark (the reference, and the one
that explains a mistake) parses it instead. tests/test_expr_quick_parser.py holds the two to the same
trees on every expression of the study and on thousands of generated and damaged ones.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ecrf.study.expr import ast

KEYWORDS = frozenset({"and", "or", "not", "is", "missing", "in", "true", "false"})
# The terminals of grammar.lark, longest first where they share a start; whitespace as %ignore'd there.
_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'[^'\n]*'|"[^"\n]*")
  | (?P<code>[A-Z][A-Z0-9_]*)
  | (?P<word>[a-z][a-z0-9_]*)
  | (?P<compare>==|!=|<=|>=|<|>)
  | (?P<punct>[-+*/()\[\],.$])
""", re.VERBOSE)


class _NotSure(Exception):
    """The text is not plainly well-formed: lark parses it (and says what is wrong)."""


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs; a keyword's kind is the keyword itself, punctuation's the character."""
    found: list[tuple[str, str]] = []
    pos, end = 0, len(text)
    while pos < end:
        match = _TOKEN.match(text, pos)
        if match is None:
            raise _NotSure
        kind, value = match.lastgroup or "", match.group()
        pos = match.end()
        if kind == "ws":
            continue
        if kind == "word" and value in KEYWORDS:
            kind = value
        elif kind == "punct":
            kind = value
        found.append((kind, value))
    found.append(("end", ""))
    return found


class _Parser:
    """One method per rule of grammar.lark, from or_expr down to atom."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> str:
        return self.tokens[self.at][0]

    def take(self, kind: str) -> str:
        token_kind, value = self.tokens[self.at]
        if token_kind != kind:
            raise _NotSure
        self.at += 1
        return value

    def whole(self) -> ast.Node:
        node = self.or_expr()
        self.take("end")
        return node

    def or_expr(self) -> ast.Node:
        node = self.and_expr()
        while self.peek() == "or":
            self.at += 1
            node = ast.Logic("or", node, self.and_expr())
        return node

    def and_expr(self) -> ast.Node:
        node = self.not_expr()
        while self.peek() == "and":
            self.at += 1
            node = ast.Logic("and", node, self.not_expr())
        return node

    def not_expr(self) -> ast.Node:
        if self.peek() == "not":
            self.at += 1
            return ast.Not(self.not_expr())
        return self.comparison()

    def comparison(self) -> ast.Node:
        left = self.sum()
        kind = self.peek()
        if kind == "compare":
            op = self.take("compare")
            return ast.Compare(op, left, self.sum())
        if kind == "is":
            self.at += 1
            negate = self.peek() == "not"
            if negate:
                self.at += 1
            self.take("missing")
            return ast.IsMissing(left, negate=negate)
        if kind == "in":
            self.at += 1
            return ast.In(left, self.sum(), negate=False)
        if kind == "not":
            self.at += 1
            self.take("in")
            return ast.In(left, self.sum(), negate=True)
        return left

    def sum(self) -> ast.Node:
        node = self.product()
        while self.peek() in ("+", "-"):
            op = self.take(self.peek())
            node = ast.Arith(op, node, self.product())
        return node

    def product(self) -> ast.Node:
        node = self.unary()
        while self.peek() in ("*", "/"):
            op = self.take(self.peek())
            node = ast.Arith(op, node, self.unary())
        return node

    def unary(self) -> ast.Node:
        if self.peek() == "-":
            self.at += 1
            return ast.Neg(self.unary())
        return self.atom()

    def atom(self) -> ast.Node:  # noqa: PLR0911 - one return per alternative of the rule
        kind, value = self.tokens[self.at]
        self.at += 1
        if kind == "number":
            return ast.Lit(Decimal(value) if "." in value else int(value))
        if kind == "string":
            return ast.Lit(value[1:-1])
        if kind in ("true", "false"):
            return ast.Lit(kind == "true")
        if kind == "word":  # FUNC: always a call
            self.take("(")
            return ast.Call(value, self.args(")"))
        if kind == "code":
            parts = [value]
            while self.peek() == ".":
                self.at += 1
                parts.append(self.take("code"))
            return ast.Ref(tuple(parts))
        if kind == "$":
            return ast.Ctx(self.take("word"))
        if kind == "[":
            return ast.ListLit(self.args("]"))
        if kind == "(":
            node = self.or_expr()
            self.take(")")
            return node
        raise _NotSure

    def args(self, close: str) -> tuple[ast.Node, ...]:
        """`[args] close`: nothing, or expressions separated by commas, then the closing bracket."""
        if self.peek() == close:
            self.at += 1
            return ()
        found = [self.or_expr()]
        while self.peek() == ",":
            self.at += 1
            found.append(self.or_expr())
        self.take(close)
        return tuple(found)


def quick_parse(text: str) -> ast.Node | None:
    """The syntax tree of `text`, or None when lark should parse it (a mistake, or nesting too deep to
    parse recursively)."""
    try:
        return _Parser(text).whole()
    except (_NotSure, RecursionError):
        return None
