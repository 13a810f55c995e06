"""Read codelists and form files (items, checks) into model objects."""
from __future__ import annotations

from dataclasses import dataclass, field

from ecrf.study.expr import Expression
from ecrf.study.model import (
    NUMERIC_TYPES,
    Check,
    CodeItem,
    Codelist,
    Criterion,
    Form,
    Item,
    ItemType,
    Source,
    Text,
)
from ecrf.study.problems import P
from ecrf.study.reader import CODE_RE, CODE_RULE, Reader, did_you_mean, shape_name
from ecrf.study.yamlsource import LineMap

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

COMMON_ITEM_KEYS = frozenset({"code", "cdash", "sdtm", "testcd", "type", "label", "help", "required",
                              "missing", "show_if", "criterion"})
TYPE_KEYS: dict[ItemType, frozenset[str]] = {
    ItemType.TEXT: frozenset({"max_length"}),
    ItemType.INTEGER: frozenset({"unit", "range"}),
    ItemType.DECIMAL: frozenset({"unit", "range", "precision"}),
    ItemType.DATE: frozenset({"future_allowed"}),
    ItemType.PARTIAL_DATE: frozenset({"future_allowed"}),
    ItemType.TIME: frozenset(),
    ItemType.DATETIME: frozenset({"future_allowed"}),
    ItemType.SINGLE_CHOICE: frozenset({"codelist", "widget"}),
    ItemType.MULTI_CHOICE: frozenset({"codelist", "widget"}),
    ItemType.YES_NO: frozenset({"widget"}),
    ItemType.CALCULATED: frozenset({"derive", "result_type", "precision", "unit", "range"}),
}
ALL_TYPE_KEYS = frozenset().union(*TYPE_KEYS.values())
RESULT_TYPES = (ItemType.INTEGER, ItemType.DECIMAL, ItemType.TEXT, ItemType.DATE, ItemType.YES_NO)
FORM_KEYS = ("code", "label", "help", "domain", "repeating")
CHECK_KEYS = ("id", "expr", "when", "severity", "items", "message")

YES_NO = Codelist("NY", "text", (CodeItem("Y", Text.of(en="Yes", zh="是")),
                                 CodeItem("N", Text.of(en="No", zh="否"))), Source("(built in)", 0))


@dataclass(eq=False)
class PendingExpr:
    """An expression to bind once every form and visit is known."""

    expr: Expression
    file: str
    line: int
    where: str
    form: str
    want: str  # the static type it must have: bool, number, text, date


@dataclass(eq=False)
class FormDraft:
    """A form as read from its file, with the expressions and check lines the study-wide checks still need."""

    form: Form
    expressions: list[PendingExpr] = field(default_factory=list)
    check_item_lines: dict[str, int] = field(default_factory=dict)


def read_codelists(r: Reader, raw: Any, line: int, found: dict[str, Codelist]) -> None:
    """Add the codelists of one `codelists:` mapping to `found`, reporting duplicates."""
    cm = r.mapping(raw, line, "'codelists'")
    if cm is None:
        return
    for name, body in cm.items():
        where = f"codelist {name}"
        name_line = cm.line_of(name)
        if not isinstance(name, str) or not CODE_RE.match(name):
            r.add(name_line, P.BAD_CODE, where, code=name, rule=CODE_RULE)
            continue
        if name in found or name == "NY":
            first = found[name].source.line if name in found else 0
            r.add(name_line, P.DUPLICATE_CODE, where, what="codelist", code=name, first=first)
            continue
        codelist = _read_codelist(r, name, body, name_line, where)
        if codelist is not None:
            found[name] = codelist


def _read_codelist(r: Reader, name: str, body: Any, line: int, where: str) -> Codelist | None:
    bm = r.mapping(body, line, f"codelist {name}", where)
    if bm is None:
        return None
    r.keys(bm, ("data_type", "items"), ("items",), f"codelist {name}", where)
    data_type = r.choice(bm, "data_type", ("text", "integer"), f"codelist {name}", where) or "text"
    entries = r.sequence(bm.get("items"), bm.line_of("items"), f"codelist {name} 'items'", where)
    if not entries:
        return None
    items: list[CodeItem] = []
    seen: dict[object, int] = {}
    for index, entry in enumerate(entries):
        entry_line = entries.line_of(index)
        em = r.mapping(entry, entry_line, f"an entry of codelist {name}", where)
        if em is None:
            continue
        r.keys(em, ("code", "label"), ("code", "label"), f"an entry of codelist {name}", where)
        code = _code_value(r, em, data_type, where)
        label = r.text(em, "label", f"code {code}", where)
        if code is None or label is None:
            continue
        if code in seen:
            r.add(entry_line, P.DUPLICATE_CODE, where, what="code", code=code, first=seen[code])
            continue
        seen[code] = entry_line
        items.append(CodeItem(code, label))
    return Codelist(name, data_type, tuple(items), Source(r.file, line))


def _code_value(r: Reader, em: LineMap, data_type: str, where: str) -> str | int | None:
    code = em.get("code")
    line = em.line_of("code")
    if data_type == "integer":
        if isinstance(code, bool) or not isinstance(code, int):
            r.add(line, P.WRONG_SHAPE, where, what="a code of an integer codelist", expected="a whole number",
                  got=shape_name(code))
            return None
        return code
    if isinstance(code, bool):
        r.add(line, P.WRONG_SHAPE, where, what="a code", expected="a text (YAML reads yes/no/on/off as "
              "true/false: put the code in quotes)", got=shape_name(code))
        return None
    if not isinstance(code, (str, int)) or not str(code).strip():
        r.add(line, P.WRONG_SHAPE, where, what="a code", expected="a text", got=shape_name(code))
        return None
    return str(code)


class FormReader:
    """Reads one form file; needs the study's codelists and missing codes."""

    def __init__(self, r: Reader, codelists: dict[str, Codelist], missing_codes: dict[str, Text]) -> None:
        self.r = r
        self.codelists = codelists
        self.missing_codes = missing_codes
        self.pending: list[PendingExpr] = []

    def read(self, doc: LineMap) -> FormDraft | None:
        r = self.r
        r.keys(doc, ("form", "items", "checks", "codelists"), ("form", "items"), "a form file")
        fm = r.mapping(doc.get("form"), doc.line_of("form"), "'form'") if "form" in doc else None
        if fm is None:
            return None
        r.keys(fm, FORM_KEYS, ("code", "label", "domain"), "'form'")
        code = r.code(fm, "code", "form")
        if code is None:
            return None
        label = r.text(fm, "label", "form", code)
        help_text = r.text(fm, "help", "form", code, required=False)
        domain = r.string(fm, "domain", "form", code) or ""
        repeating = r.boolean(fm, "repeating", "form", code)
        items = self._items(doc, code)
        checks = self._checks(doc, code, {i.code for i in items})
        if label is None:
            return None
        form = Form(code, label, domain, repeating, tuple(items), tuple(checks), Source(r.file, fm.line), help_text)
        return FormDraft(form, self.pending)

    # -- items ---------------------------------------------------------------------------
    def _items(self, doc: LineMap, form: str) -> list[Item]:
        entries = self.r.sequence(doc.get("items"), doc.line_of("items"), "'items'", form)
        if entries is None:
            return []
        items: list[Item] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(entries):
            item = self._item(raw, entries.line_of(index), form)
            if item is None:
                continue
            if item.code in seen:
                self.r.add(item.source.line, P.DUPLICATE_CODE, f"{form}.{item.code}", what="item",
                           code=item.code, first=seen[item.code])
                continue
            seen[item.code] = item.source.line
            items.append(item)
        return items

    def _item(self, raw: Any, line: int, form: str) -> Item | None:
        r = self.r
        im = r.mapping(raw, line, "an item", form)
        if im is None:
            return None
        code = r.code(im, "code", "item", form)
        where = f"{form}.{code or '?'}"
        item_type = self._type(im, where)
        allowed = COMMON_ITEM_KEYS | (TYPE_KEYS[item_type] if item_type else ALL_TYPE_KEYS)
        required = ["code", "cdash", "type", "label"]
        if item_type is ItemType.DECIMAL:
            required.append("precision")
        if item_type in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE):
            required.append("codelist")
        if item_type is ItemType.CALCULATED:
            required += ["derive", "result_type"]
        r.keys(im, allowed, required, "an item", where, elsewhere=ALL_TYPE_KEYS, type_name=str(item_type))
        label = r.text(im, "label", "item", where)
        cdash = r.string(im, "cdash", "item", where)
        if code is None or item_type is None or label is None or cdash is None:
            return None
        hard, soft = r.ranges(im, where)
        result_type = self._result_type(im, where) if item_type is ItemType.CALCULATED else None
        item = Item(
            code=code, type=item_type, label=label, cdash=cdash, source=Source(r.file, im.line),
            help=r.text(im, "help", "item", where, required=False),
            sdtm=r.string(im, "sdtm", "item", where), testcd=r.string(im, "testcd", "item", where),
            unit=r.unit(im, "unit", "item", where),
            precision=r.integer(im, "precision", "item", where, minimum=0),
            max_length=r.integer(im, "max_length", "item", where, minimum=1) or 200,
            required=r.boolean(im, "required", "item", where),
            missing=self._missing(im, where), hard=hard, soft=soft,
            codelist=self._codelist(im, item_type, where),
            widget=r.choice(im, "widget", ("radio", "combo", "checkbox"), "item", where),
            show_if=self._expr(im, "show_if", where, form, "bool"),
            derive=self._expr(im, "derive", where, form, _static_type(result_type)),
            result_type=result_type,
            future_allowed=r.boolean(im, "future_allowed", "item", where),
            criterion=self._criterion(im, item_type, where, form),
        )
        self._check_numeric_keys(im, item, where)
        return item

    def _type(self, im: LineMap, where: str) -> ItemType | None:
        raw = im.get("type")
        if raw is None:
            return None
        try:
            return ItemType(raw)
        except ValueError:
            hint = did_you_mean(raw, [t.value for t in ItemType])
            self.r.add(im.line_of("type"), P.UNKNOWN_TYPE, where, type=raw, hint=hint,
                       allowed=", ".join(t.value for t in ItemType))
            return None

    def _result_type(self, im: LineMap, where: str) -> ItemType | None:
        value = self.r.choice(im, "result_type", [t.value for t in RESULT_TYPES], "item", where)
        return ItemType(value) if value else None

    def _check_numeric_keys(self, im: LineMap, item: Item, where: str) -> None:
        value_type = item.value_type
        if item.type is ItemType.CALCULATED and "range" in im and value_type not in NUMERIC_TYPES:
            self.r.add(im.line_of("range"), P.KEY_NOT_FOR_TYPE, where, key="range", type=f"{value_type} result")
        if item.type is ItemType.CALCULATED and value_type is ItemType.DECIMAL and item.precision is None:
            self.r.add(im.line, P.MISSING_KEY, where, what="a calculated decimal item", key="precision")

    def _missing(self, im: LineMap, where: str) -> tuple[str, ...]:
        raw = im.get("missing")
        if raw is None:
            return ()
        seq = self.r.sequence(raw, im.line_of("missing"), "'missing'", where)
        codes = []
        for value in seq or ():
            if value not in self.missing_codes:
                self.r.add(im.line_of("missing"), P.UNKNOWN_MISSING_CODE, where, code=value,
                           allowed=", ".join(self.missing_codes) or "none")
            else:
                codes.append(value)
        return tuple(codes)

    def _codelist(self, im: LineMap, item_type: ItemType, where: str) -> Codelist | None:
        if item_type is ItemType.YES_NO:
            return YES_NO
        name = im.get("codelist")
        if name is None:
            return None
        if name not in self.codelists:
            self.r.add(im.line_of("codelist"), P.UNKNOWN_CODELIST, where, name=name,
                       hint=did_you_mean(name, self.codelists))
            return None
        return self.codelists[name]

    def _criterion(self, im: LineMap, item_type: ItemType, where: str, form: str) -> Criterion | None:
        raw = im.get("criterion")
        if raw is None:
            return None
        cm = self.r.mapping(raw, im.line_of("criterion"), "'criterion'", where)
        if cm is None:
            return None
        self.r.keys(cm, ("kind", "number", "rule", "rule_label"), ("kind", "number"), "'criterion'", where)
        if item_type is not ItemType.YES_NO:
            self.r.add(im.line_of("criterion"), P.KEY_NOT_FOR_TYPE, where, key="criterion", type=str(item_type))
        kind = self.r.choice(cm, "kind", ("inclusion", "exclusion"), "criterion", where)
        number = self.r.integer(cm, "number", "criterion", where, minimum=1)
        rule = self._expr(cm, "rule", where, form, "bool")
        rule_label = self.r.text(cm, "rule_label", "criterion", where, required=rule is not None)
        if kind is None or number is None:
            return None
        return Criterion(kind, number, rule, rule_label)

    def _expr(self, m: LineMap, key: str, where: str, form: str, want: str) -> Expression | None:
        expr = self.r.expression(m, key, where)
        if expr is not None:
            self.pending.append(PendingExpr(expr, self.r.file, m.line_of(key), where, form, want))
        return expr

    # -- checks --------------------------------------------------------------------------
    def _checks(self, doc: LineMap, form: str, item_codes: set[str]) -> list[Check]:
        if "checks" not in doc or doc.get("checks") is None:
            return []
        entries = self.r.sequence(doc.get("checks"), doc.line_of("checks"), "'checks'", form)
        checks: list[Check] = []
        if entries is None:
            return checks
        seen: dict[str, int] = {}
        for index, raw in enumerate(entries):
            line = entries.line_of(index)
            cm = self.r.mapping(raw, line, "a check", form)
            if cm is None:
                continue
            self.r.keys(cm, CHECK_KEYS, ("id", "expr", "severity", "items", "message"), "a check", form)
            check_id = self.r.code(cm, "id", "check", form)
            where = f"{form} check {check_id or '?'}"
            if check_id is not None and check_id in seen:
                self.r.add(line, P.DUPLICATE_CODE, where, what="check", code=check_id, first=seen[check_id])
                continue
            expr = self._expr(cm, "expr", where, form, "bool")
            when = self._expr(cm, "when", where, form, "bool")
            severity = self.r.choice(cm, "severity", ("hard", "soft"), "check", where)
            message = self.r.text(cm, "message", "check", where)
            items = self._check_items(cm, where, form, item_codes)
            if check_id is None or expr is None or severity is None or message is None or not items:
                continue
            seen[check_id] = line
            checks.append(Check(check_id, expr, severity, items, message, Source(self.r.file, line), when))
        return checks

    def _check_items(self, cm: LineMap, where: str, form: str, item_codes: set[str]) -> tuple[str, ...]:
        seq = self.r.sequence(cm.get("items"), cm.line_of("items"), "check 'items'", where) if "items" in cm else None
        codes: list[str] = []
        for value in seq or ():
            if value not in item_codes:
                self.r.add(cm.line_of("items"), P.UNKNOWN_ITEM, where, item=value, form=form, hint="")
            else:
                codes.append(value)
        return tuple(codes)


def _static_type(result_type: ItemType | None) -> str:
    types: dict[ItemType | None, str] = {ItemType.INTEGER: "number", ItemType.DECIMAL: "number",
                                         ItemType.TEXT: "text", ItemType.DATE: "date", ItemType.YES_NO: "yes_no"}
    return types.get(result_type, "any")
