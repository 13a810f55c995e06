"""What an expression reads when it is evaluated. Apart from the compiler so that loading a study
(which parses and checks every expression but evaluates none) does not import the compiler and runtime."""
from __future__ import annotations

from collections.abc import Callable, Mapping

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

    from ecrf.study.expr.analyze import ItemKey

Lookup = Callable[["ItemKey"], "Any"]


class Env:
    """What an expression reads: the current form's values, other forms, context values."""

    __slots__ = ("context", "eligible", "lookup", "values")

    def __init__(
        self,
        values: Mapping[str, Any],
        lookup: Lookup | None = None,
        context: Mapping[str, Any] | None = None,
        eligible: Callable[[], bool | None] | None = None,
    ) -> None:
        self.values = values
        self.lookup = lookup
        self.context = context or {}
        self.eligible = eligible


Fn = Callable[[Env], "Any"]
