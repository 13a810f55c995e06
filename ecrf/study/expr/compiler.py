"""Syntax tree → a tree of small Python closures: parsed once, then evaluated fast and safely.

Each closure takes an Env and returns a value or None (unknown). Nothing here can reach Python
objects beyond the values the caller put in the Env.
"""
from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from ecrf.study.expr import ast
from ecrf.study.expr import runtime as rt
from ecrf.study.expr.analyze import ItemKey
from ecrf.study.expr.env import Env, Fn


def compile_node(node: ast.Node, refs: Mapping[ast.Ref, ItemKey]) -> Fn:
    if isinstance(node, ast.Lit):
        value = node.value
        return lambda env: value
    if isinstance(node, ast.Ref):
        return _compile_ref(refs[node])
    if isinstance(node, ast.Ctx):
        name = node.name
        return lambda env: rt.known(env.context.get(name))
    if isinstance(node, ast.ListLit):
        elements = [compile_node(e, refs) for e in node.elements]
        return lambda env: tuple(e(env) for e in elements)
    if isinstance(node, ast.Call):
        return _compile_call(node, refs)
    if isinstance(node, ast.Not):
        operand = compile_node(node.operand, refs)
        return lambda env: rt.logic_not(operand(env))
    if isinstance(node, ast.Neg):
        operand = compile_node(node.operand, refs)
        return lambda env: rt.negate(operand(env))
    if isinstance(node, ast.IsMissing):
        return _compile_is_missing(node, refs)
    left = compile_node(node.left, refs)
    right = compile_node(node.right, refs)
    if isinstance(node, ast.Logic):
        return _compile_logic(node.op, left, right)
    if isinstance(node, ast.Arith):
        op = node.op
        return lambda env: rt.arith(op, left(env), right(env))
    if isinstance(node, ast.Compare):
        op = node.op
        return lambda env: rt.compare(op, left(env), right(env))
    if isinstance(node, ast.In):
        negate = node.negate
        return lambda env: rt.membership(left(env), right(env), negate)
    raise TypeError(f"cannot compile {type(node).__name__}")  # pragma: no cover


def _compile_ref(key: ItemKey) -> Fn:
    if key.form is None:
        code = key.item
        return lambda env: rt.known(env.values.get(code))

    def other(env: Env) -> Any:
        return rt.known(env.lookup(key)) if env.lookup is not None else None

    return other


def _compile_logic(op: str, left: Fn, right: Fn) -> Fn:
    # Short-circuit only where the answer is already certain.
    if op == "and":
        def and_(env: Env) -> Any:
            a = left(env)
            return False if a is False else rt.logic_and(a, right(env))
        return and_

    def or_(env: Env) -> Any:
        a = left(env)
        return True if a is True else rt.logic_or(a, right(env))
    return or_


def _compile_is_missing(node: ast.IsMissing, refs: Mapping[ast.Ref, ItemKey]) -> Fn:
    operand = compile_node(node.operand, refs)
    if node.negate:
        return lambda env: operand(env) is not None
    return lambda env: operand(env) is None


def _compile_call(node: ast.Call, refs: Mapping[ast.Ref, ItemKey]) -> Fn:
    if node.name == "eligible":
        return lambda env: env.eligible() if env.eligible is not None else None
    fn = rt.FUNCTIONS[node.name]
    args = [compile_node(a, refs) for a in node.args]
    try:
        inspect.signature(fn).bind(*args)
    except TypeError:
        # The analyzer refuses a wrong argument count at load time; an unchecked expression
        # (evaluate_text) gets an unknown result rather than an exception.
        return lambda env: None
    if node.name == "coalesce":
        return lambda env: fn(*(a(env) for a in args))
    # Every other function is strict: an unknown argument makes the result unknown.
    def call(env: Env) -> Any:
        values = [a(env) for a in args]
        if any(v is None for v in values):
            return None
        return fn(*values)
    return call
