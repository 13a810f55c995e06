"""The safe expression language of study definitions (skip logic, derived values, edit checks).

`Expression.parse(text)` parses (lark grammar, no `eval`); `bind(namespace)` resolves the names
against the study and checks types; `evaluate(env)` returns a value or None (unknown).

The compiler (and with it the runtime: decimals, dates, calendars) is imported and run at the first
evaluation of each expression, not when binding: loading a study binds every expression of the
definition at every start, and a command such as `check-forms` evaluates none of them.
"""
from __future__ import annotations

from collections.abc import Mapping

from ecrf.errors import Bug
from ecrf.study.expr import ast
from ecrf.study.expr.analyze import Analysis, Analyzer, Issue, ItemKey, Namespace
from ecrf.study.expr.env import Env, Fn
from ecrf.study.expr.parser import ExprSyntaxError, parse

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Env", "ExprSyntaxError", "Expression", "Issue", "ItemKey", "Namespace"]


class Expression:
    """One expression of the definition: its text, its tree, and once bound, its compiled form."""

    __slots__ = ("_bound_refs", "_fn", "refs", "text", "tree", "type", "uses_eligible")

    def __init__(self, text: str, tree: ast.Node) -> None:
        self.text = text
        self.tree = tree
        self._fn: Fn | None = None
        self._bound_refs: Mapping[ast.Ref, ItemKey] | None = None  # set by a bind without issues
        self.refs: tuple[ItemKey, ...] = ()
        self.type = "any"
        self.uses_eligible = False

    @classmethod
    def parse(cls, text: str) -> Expression:
        """Raise ExprSyntaxError when the text is not in the language."""
        return cls(text, parse(text))

    def bind(self, ns: Namespace) -> list[Issue]:
        """Resolve names and types in `ns`; the expression can be evaluated when there is no issue."""
        analysis: Analysis = Analyzer(ns).run(self.tree)
        self.type = analysis.type
        self.refs = tuple(dict.fromkeys(analysis.refs.values()))
        self.uses_eligible = analysis.uses_eligible
        self._fn = None
        self._bound_refs = None if analysis.issues else analysis.refs
        return analysis.issues

    @property
    def is_bound(self) -> bool:
        return self._bound_refs is not None

    def evaluate(self, env: Env) -> Any:
        fn = self._fn
        if fn is None:
            fn = self._fn = self._compile()
        return fn(env)

    def _compile(self) -> Fn:
        if self._bound_refs is None:
            raise Bug(f"expression {self.text!r} was not bound to a study")
        from ecrf.study.expr.compiler import compile_node

        return compile_node(self.tree, self._bound_refs)

    def local_refs(self) -> tuple[str, ...]:
        """Codes of the current form's items this expression reads."""
        return tuple(k.item for k in self.refs if k.form is None)

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def evaluate_text(text: str, values: dict[str, Any] | None = None, **context: Any) -> Any:
    """Evaluate a stand-alone expression over plain values (tools and tests): no study, no checks.

    References are looked up in `values` by their dotted name (`DM.AGE`).
    """
    expr = Expression.parse(text)
    refs = {node: ItemKey(None, None, ".".join(node.parts))
            for node in ast.walk(expr.tree) if isinstance(node, ast.Ref)}
    from ecrf.study.expr.compiler import compile_node

    fn = compile_node(expr.tree, refs)
    return fn(Env(values or {}, None, context))
