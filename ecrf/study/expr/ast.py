"""The expression syntax tree: plain immutable nodes, built by the parser, read by analysis and compile."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Lit:
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
    elements: tuple[Node, ...]


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Logic:
    op: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True)
class IsMissing:
    operand: Node
    negate: bool


@dataclass(frozen=True)
class In:
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
