"""The expression syntax tree: plain immutable nodes, built by the parser, read by analysis and compile."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class Lit:
    """A literal: a number, a text, true or false."""

    value: Any


@dataclass(frozen=True)
class Ref:
    """`ITEM`, `FORM.ITEM` or `VISIT.FORM.ITEM` as written."""

    parts: tuple[str, ...]


@dataclass(frozen=True)
class Ctx:
    """`$name`: a value the caller supplies (arm, Day 0, visit date, today ...)."""

    name: str


@dataclass(frozen=True)
class ListLit:
    """`[a, b, ...]`, the right-hand side of `in`."""

    elements: tuple[Node, ...]


@dataclass(frozen=True)
class Call:
    """`name(args...)`: one of the language's functions."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """`not operand`."""

    operand: Node


@dataclass(frozen=True)
class Neg:
    """`-operand`."""

    operand: Node


@dataclass(frozen=True)
class Logic:
    """`left and right`, `left or right`."""

    op: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Arith:
    """`left + right` and the other arithmetic operators."""

    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare:
    """`left == right` and the other comparisons."""

    op: str  # == != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True)
class IsMissing:
    """`operand is missing`, `operand is not missing`."""

    operand: Node
    negate: bool


@dataclass(frozen=True)
class In:
    """`left in right`, `left not in right`."""

    left: Node
    right: Node
    negate: bool


Node = Lit | Ref | Ctx | ListLit | Call | Not | Neg | Logic | Arith | Compare | IsMissing | In


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents first."""
    yield node
    for child in children(node):
        yield from walk(child)


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (Not, Neg, IsMissing)):
        return (node.operand,)
    if isinstance(node, (Logic, Arith, Compare, In)):
        return (node.left, node.right)
    if isinstance(node, ListLit):
        return node.elements
    if isinstance(node, Call):
        return node.args
    return ()
