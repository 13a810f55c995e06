"""Check a parsed expression against the study: names resolve, functions exist, types combine.

Runs once when the definition is loaded, so an author's mistake is a definition problem with a
line number, not a surprise on the ward.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ecrf.study.expr import ast
from ecrf.study.model import Form, Item, ItemType

# Static types: number, text, date, time, datetime, bool, list, any
CONTEXT_TYPES = {
    "arm": "text", "visit": "text", "timepoint": "text",
    "visit_date": "date", "day0": "date", "today": "date",
}
_ITEM_TYPES = {
    ItemType.INTEGER: "number", ItemType.DECIMAL: "number", ItemType.TEXT: "text",
    ItemType.DATE: "date", ItemType.PARTIAL_DATE: "date", ItemType.TIME: "time",
    ItemType.DATETIME: "datetime", ItemType.YES_NO: "text", ItemType.MULTI_CHOICE: "list",
}
# name: (min args, max args or None, argument type or None for any, result: a type or "arg0")
_SIGNATURES: dict[str, tuple[int, int | None, str | None, str]] = {
    "date": (1, 1, "text", "date"),
    "age": (2, 2, "date", "number"),
    "sum": (1, None, "number", "number"),
    "min": (1, None, None, "arg0"),
    "max": (1, None, None, "arg0"),
    "round": (1, 2, "number", "number"),
    "abs": (1, 1, "number", "number"),
    "count": (1, 1, "list", "number"),
    "coalesce": (1, None, None, "arg0"),
    "eligible": (0, 0, None, "bool"),
}


@dataclass(frozen=True)
class ItemKey:
    """A resolved reference. form None: the current form; visit None: the current visit."""

    visit: str | None
    form: str | None
    item: str


@dataclass(frozen=True)
class Namespace:
    """What an expression in `form` may refer to."""

    forms: Mapping[str, Form]
    form: str
    form_visits: Mapping[str, tuple[str, ...]]
    logs: frozenset[str]


class Issue(Exception):
    def __init__(self, kind: str, detail: str) -> None:  # kind: reference | type
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def item_type(item: Item) -> str:
    t = item.value_type
    if t is ItemType.SINGLE_CHOICE:
        return "number" if item.codelist is not None and item.codelist.data_type == "integer" else "text"
    return _ITEM_TYPES.get(t, "any")


@dataclass
class Analysis:
    """The result of analysing one expression."""

    type: str = "any"
    refs: dict[ast.Ref, ItemKey] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    uses_eligible: bool = False


class Analyzer:
    def __init__(self, ns: Namespace) -> None:
        self.ns = ns
        self.result = Analysis()

    def run(self, node: ast.Node) -> Analysis:
        try:
            self.result.type = self.type_of(node)
        except Issue as issue:
            self.result.issues.append(issue)
        return self.result

    # -- references ----------------------------------------------------------------------
    def resolve(self, ref: ast.Ref) -> tuple[ItemKey, Item]:
        parts = ref.parts
        if len(parts) == 1:
            form = self.ns.forms[self.ns.form]
            return ItemKey(None, None, parts[0]), self._item(form, parts[0])
        if len(parts) == 2:
            form_code, code = parts
            form = self._form(form_code)
            return ItemKey(self._visit_of(form_code), form_code, code), self._item(form, code)
        if len(parts) == 3:
            visit, form_code, code = parts
            form = self._form(form_code)
            if visit not in self.ns.form_visits.get(form_code, ()):
                raise Issue("reference", f"form {form_code} is not scheduled at visit {visit}")
            return ItemKey(visit, form_code, code), self._item(form, code)
        raise Issue("reference", f"'{'.'.join(parts)}' has too many parts; write ITEM, FORM.ITEM or VISIT.FORM.ITEM")

    def _form(self, code: str) -> Form:
        if code not in self.ns.forms:
            raise Issue("reference", f"there is no form {code}")
        if code in self.ns.logs and code != self.ns.form:
            raise Issue("reference",
                        f"form {code} is a log with many entries; another form cannot refer to one of them")
        return self.ns.forms[code]

    def _item(self, form: Form, code: str) -> Item:
        if not form.has_item(code):
            raise Issue("reference", f"there is no item {code} in form {form.code}")
        return form.item(code)

    def _visit_of(self, form_code: str) -> str | None:
        """The visit a FORM.ITEM reference points at: the same visit, or the form's only visit."""
        if form_code == self.ns.form:
            return None
        target = self.ns.form_visits.get(form_code, ())
        mine = self.ns.form_visits.get(self.ns.form, ())
        if len(target) == 1:
            return target[0]
        if mine and set(mine) <= set(target):
            return None
        raise Issue("reference", f"form {form_code} is at several visits ({', '.join(target)}) and not at every visit "
                    f"of {self.ns.form}; name the visit, e.g. {target[0] if target else 'SCR'}.{form_code}.ITEM")

    # -- types ---------------------------------------------------------------------------
    def type_of(self, node: ast.Node) -> str:
        if isinstance(node, ast.Lit):
            return _literal_type(node.value)
        if isinstance(node, ast.Ref):
            key, item = self.resolve(node)
            self.result.refs[node] = key
            return item_type(item)
        if isinstance(node, ast.Ctx):
            if node.name not in CONTEXT_TYPES:
                raise Issue("reference", f"${node.name} is not a context value; use one of "
                            + ", ".join("$" + n for n in CONTEXT_TYPES))
            return CONTEXT_TYPES[node.name]
        if isinstance(node, ast.ListLit):
            for element in node.elements:
                self.type_of(element)
            return "list"
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, (ast.Not, ast.Logic, ast.IsMissing)):
            for child in ast.children(node):
                t = self.type_of(child)
                if not isinstance(node, ast.IsMissing):
                    _expect(t, "bool", f"'{_op_name(node)}' needs conditions on both sides")
            return "bool"
        if isinstance(node, ast.Neg):
            _expect(self.type_of(node.operand), "number", "only a number can be negative")
            return "number"
        if isinstance(node, ast.Arith):
            return _arith_type(node.op, self.type_of(node.left), self.type_of(node.right))
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.In):
            return self._in(node)
        raise Issue("type", f"unsupported construct {type(node).__name__}")  # pragma: no cover

    def _compare(self, node: ast.Compare) -> str:
        left, right = self.type_of(node.left), self.type_of(node.right)
        if "any" not in (left, right) and left != right:
            raise Issue("type", f"'{node.op}' compares a {left} with a {right}")
        if node.op not in ("==", "!=") and left in ("list", "bool"):
            raise Issue("type", f"'{node.op}' cannot order a {left}")
        self._check_codes(node.left, (node.right,))
        self._check_codes(node.right, (node.left,))
        return "bool"

    def _in(self, node: ast.In) -> str:
        left, right = self.type_of(node.left), self.type_of(node.right)
        if right not in ("list", "any"):
            raise Issue("type", "'in' needs a list like ['A', 'B'] or a multiple-choice item on its right")
        if left == "list":
            raise Issue("type", "'in' needs a single value on its left")
        if isinstance(node.right, ast.ListLit):
            self._check_codes(node.left, node.right.elements)
        elif isinstance(node.right, ast.Ref):
            self._check_codes(node.right, (node.left,))
        return "bool"

    def _check_codes(self, ref: ast.Node, literals: tuple[ast.Node, ...]) -> None:
        """`SEX == 'X'` where X is no code of SEX's codelist can never be true: say so now."""
        if not isinstance(ref, ast.Ref):
            return
        _, item = self.resolve(ref)
        codes = _codes_of(item)
        if codes is None:
            return
        for lit in literals:
            if isinstance(lit, ast.Lit) and not isinstance(lit.value, bool) and lit.value not in codes:
                raise Issue("type", f"{lit.value!r} is not a code of {item.code} "
                            f"(codes: {', '.join(str(c) for c in codes)})")

    def _call(self, node: ast.Call) -> str:
        if node.name not in _SIGNATURES:
            raise Issue("reference", f"there is no function {node.name}(); functions are: "
                        + ", ".join(sorted(_SIGNATURES)))
        low, high, arg_type, result = _SIGNATURES[node.name]
        n = len(node.args)
        if n < low or (high is not None and n > high):
            want = str(low) if low == high else f"{low} to {high}" if high is not None else f"at least {low}"
            raise Issue("type", f"{node.name}() takes {want} argument(s), not {n}")
        types = [self.type_of(arg) for arg in node.args]
        if arg_type is not None:
            for t in types:
                _expect(t, arg_type, f"{node.name}() needs {arg_type} arguments, got a {t}")
        if node.name == "date":
            _check_date_literal(node)
        if node.name == "eligible":
            self.result.uses_eligible = True
        return types[0] if result == "arg0" else result


def _codes_of(item: Item) -> tuple[object, ...] | None:
    if item.value_type is ItemType.YES_NO:
        return ("Y", "N")
    if item.value_type in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE) and item.codelist is not None:
        return item.codelist.codes()
    return None


def _check_date_literal(node: ast.Call) -> None:
    arg = node.args[0]
    if not isinstance(arg, ast.Lit) or not isinstance(arg.value, str):
        raise Issue("type", "date() takes a quoted date like date('2020-01-27')")
    try:
        date.fromisoformat(arg.value)
    except ValueError:
        raise Issue("type", f"date({arg.value!r}) is not a real date in YYYY-MM-DD form") from None


def _literal_type(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "text"
    return "number"


def _expect(got: str, want: str, message: str) -> None:
    if got not in (want, "any"):
        raise Issue("type", message)


def _op_name(node: ast.Node) -> str:
    return node.op if isinstance(node, ast.Logic) else "not"


def _arith_type(op: str, left: str, right: str) -> str:
    if "any" in (left, right):
        return "any"
    if left == right == "number":
        return "number"
    if op == "-" and left == right == "date":
        return "number"
    if op in "+-" and left == "date" and right == "number":
        return "date"
    if op == "+" and left == "number" and right == "date":
        return "date"
    raise Issue("type", f"cannot compute {left} {op} {right}")
