"""Text → syntax tree. The grammar (grammar.lark) is the safety boundary: a hand-written parser of the same
grammar reads well-formed text quickly (quick_parser), and lark, the reference, reads everything else and says
what is wrong with it."""
from __future__ import annotations

import re

from ecrf.study.expr import ast
from ecrf.study.expr.quick_parser import quick_parse

MAX_LENGTH = 2000  # a form expression longer than this is a mistake, not a rule
MAX_DEPTH = 64  # deeper nesting is unreadable, and evaluation recurses once per level


class ExprSyntaxError(ValueError):
    """The expression text is not in the language; the message says where and why."""


def parse(text: str) -> ast.Node:
    """Parse an expression; raise ExprSyntaxError with a readable reason."""
    if not isinstance(text, str) or not text.strip():
        raise ExprSyntaxError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExprSyntaxError(f"the expression is longer than {MAX_LENGTH} characters")
    node = quick_parse(text)
    if node is None:  # a mistake (or nesting too deep to parse recursively): lark, imported only now
        from ecrf.study.expr.lark_parser import parse_with_lark

        node = parse_with_lark(text)
    if _depth(node) > MAX_DEPTH:
        raise ExprSyntaxError(f"the expression is nested more than {MAX_DEPTH} levels deep; split it into "
                              "simpler checks or a calculated item")
    return node


def _depth(root: ast.Node) -> int:
    """Nesting depth of the tree, measured without recursion (the tree may be very deep)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.children(node))
    return deepest


_KEYWORDS = frozenset({"and", "or", "not", "is", "missing", "in", "true", "false"})
_LOWER_NAME = re.compile(r"(?<![\w$'\"])([a-z][a-z0-9_]*)\b(?!\s*\()")


def lowercase_name_hint(text: str) -> str | None:
    """A lower-case word that is neither keyword nor function call is a common slip: say so."""
    stripped = re.sub(r"'[^']*'|\"[^\"]*\"", "''", text)
    for match in _LOWER_NAME.finditer(stripped):
        if match.group(1) not in _KEYWORDS:
            return (f"'{match.group(1)}' is not a known word: item codes are written in upper case, "
                    "functions need brackets, e.g. age(BRTHDAT, RFICDAT)")
    return None
