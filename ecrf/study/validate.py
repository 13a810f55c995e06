"""Validate the values of one form instance: parse, skip logic, derived values, ranges, required
answers and cross-item checks. Pure: the services decide what to store from the result."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ecrf.study import clock
from ecrf.study.eligibility import criteria_met
from ecrf.study.expr import Env
from ecrf.study.expr.runtime import quantize
from ecrf.study.findings import F, Finding, Severity, make
from ecrf.study.model import (
    DATE_TYPES,
    NUMERIC_TYPES,
    Check,
    Form,
    Item,
    ItemType,
    Text,
    format_bound,
)
from ecrf.study.parsing import parse_entry
from ecrf.study.subject import SubjectData, Where
from ecrf.study.values import Missing, PartialDate, date_bounds


@dataclass
class FormCheck:
    """The outcome of validating a form: typed values, derived values, hidden items, findings."""

    values: dict[str, Any] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    findings: list[Finding] = field(default_factory=list)

    @property
    def hard(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.HARD]

    @property
    def soft(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.SOFT]

    @property
    def unconfirmed(self) -> list[Finding]:
        return [f for f in self.soft if not f.confirmed]

    @property
    def incomplete(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.INCOMPLETE]

    @property
    def can_save(self) -> bool:
        """No refusal and every warning confirmed."""
        return not self.hard and not self.unconfirmed

    @property
    def can_complete(self) -> bool:
        return self.can_save and not self.incomplete

    def for_item(self, code: str) -> list[Finding]:
        return [f for f in self.findings if code in f.items]


def validate_form(
    form: Form,
    values: Mapping[str, Any],
    *,
    subject: SubjectData | None = None,
    where: Where | None = None,
    confirmed: Collection[str] = (),
) -> FormCheck:
    """Check `values` (raw text, typed values or Missing codes by item code) of one form instance."""
    where = where or Where()
    result = FormCheck()
    findings = result.findings
    for code in values:
        if not form.has_item(code):
            findings.append(make(F.UNKNOWN_ITEM, Severity.HARD, None, code=code))
    for item in form.items:
        if item.is_calculated:
            continue  # always recomputed below; what was passed in is not trusted
        value, item_findings = parse_entry(item, values.get(item.code))
        result.values[item.code] = value
        findings.extend(item_findings)
        if value is not None and not item_findings:
            findings.extend(_value_findings(item, value, where))
    env = Env(result.values, where.lookup(subject), where.context(subject))
    env.eligible = lambda: criteria_met(form, env)
    result.hidden = _apply_skip_logic(form, result, env)
    _derive(form, result, env)
    _required(form, result, refused={f.item for f in findings if f.severity is Severity.HARD})
    broken = {f.item for f in findings if f.severity is Severity.HARD}
    for check in form.checks:
        finding = _run_check(check, env, broken)
        if finding is not None:
            findings.append(finding)
    if confirmed:
        result.findings[:] = [replace(f, confirmed=True) if f.severity is Severity.SOFT and f.key in confirmed
                              else f for f in findings]
    return result


def _value_findings(item: Item, value: Any, where: Where) -> list[Finding]:
    """Checks of a single parsed value: missing codes allowed, ranges, dates not in the future."""
    if isinstance(value, Missing):
        if value.code in item.missing:
            return []
        allowed = f" (allowed: {', '.join(item.missing)})" if item.missing else ""
        return [make(F.MISSING_NOT_ALLOWED, Severity.HARD, item.code, label=item.label, code=value.code,
                     allowed=allowed)]
    if item.value_type in NUMERIC_TYPES:
        return range_findings(item, value)
    if item.value_type in DATE_TYPES and not item.future_allowed:
        today = where.today or clock.today()
        bounds = date_bounds(value)
        if bounds is not None and bounds[0] > today:
            shown = value.entry_text() if isinstance(value, PartialDate) else value.isoformat()
            return [make(F.FUTURE_DATE, Severity.HARD, item.code, label=item.label, raw=shown,
                         today=today.isoformat())]
    return []


def range_findings(item: Item, value: int | Decimal) -> list[Finding]:
    unit = item.unit or ""
    if item.hard is not None and not item.hard.contains(value):
        below = item.hard.low is not None and value < item.hard.low
        return [make(F.BELOW_HARD if below else F.ABOVE_HARD, Severity.HARD, item.code, label=item.label,
                     value=value, unit=unit, low=format_bound(item.hard.low), high=format_bound(item.hard.high))]
    if item.soft is not None and not item.soft.contains(value):
        return [make(F.OUTSIDE_SOFT, Severity.SOFT, item.code, label=item.label, value=value, unit=unit,
                     range=str(item.soft))]
    return []


def _apply_skip_logic(form: Form, result: FormCheck, env: Env) -> frozenset[str]:
    """Hide items whose show_if is not true. A hidden item reads as missing to later expressions,
    and a value left in it is reported, never silently kept or dropped."""
    hidden: set[str] = set()
    shadow = dict(result.values)
    env.values = shadow
    for item in form.items:
        if item.show_if is None or item.show_if.evaluate(env) is True:
            continue
        hidden.add(item.code)
        value = shadow.pop(item.code, None)
        if value is not None:
            result.findings.append(make(F.HIDDEN_HAS_VALUE, Severity.HARD, item.code, label=item.label))
    return frozenset(hidden)


def _derive(form: Form, result: FormCheck, env: Env) -> None:
    values = env.values
    assert isinstance(values, dict)  # the shadow copy _apply_skip_logic put there
    for code in form.derive_order:
        item = form.item(code)
        derive = item.derive
        assert derive is not None  # derive_order holds only calculated items
        value = None if code in result.hidden else _coerce(item, derive.evaluate(env))
        result.derived[code] = value
        values[code] = value
        if value is not None and item.value_type in NUMERIC_TYPES:
            result.findings.extend(range_findings(item, value))


def _coerce(item: Item, value: Any) -> Any:
    """Fit a computed value to the item's result type (a yes/no from a condition, rounding)."""
    t = item.value_type
    if value is None:
        return None
    if t is ItemType.YES_NO and isinstance(value, bool):
        return "Y" if value else "N"
    if t in NUMERIC_TYPES and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return quantize(value, 0 if t is ItemType.INTEGER else item.precision or 0)
    return value


def _required(form: Form, result: FormCheck, refused: set[str | None]) -> None:
    for item in form.items:
        if not item.required or item.is_calculated or item.code in result.hidden or item.code in refused:
            continue
        if result.values.get(item.code) is None:
            codes = " / ".join(item.missing)
            hint = Text.of(en=f", or mark it {codes}", zh=f"，或标记为 {codes}") if item.missing else ""
            result.findings.append(make(F.REQUIRED, Severity.INCOMPLETE, item.code, label=item.label,
                                        missing_hint=hint))


def _run_check(check: Check, env: Env, broken: set[str | None]) -> Finding | None:
    # A check over a value that was refused would only repeat the refusal in other words.
    if broken and any(code in broken for code in check.expr.local_refs()):
        return None
    if check.when is not None and check.when.evaluate(env) is not True:
        return None
    if check.expr.evaluate(env) is not False:
        return None
    severity = Severity.HARD if check.severity == "hard" else Severity.SOFT
    return make(F.CHECK_FAILED, severity, check.items[0], check=check.id, items=check.items, message=check.message)
