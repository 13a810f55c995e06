"""Operations of the expression language, with SQL-like three-valued logic.

`None` means unknown: a missing value, a partial date whose answer is not certain, a division by
zero, or operands of types that do not combine. Unknown never raises; it propagates.
"""
from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ecrf.study.values import Missing, PartialDate, date_bounds

Value = Any  # int | Decimal | str | bool | date | datetime | time | PartialDate | tuple | None

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def known(value: Value) -> Value:
    """Missing codes and empty answers are unknown to expressions."""
    if value is None or value == "" or value == () or type(value) is Missing:
        return None
    return value


def logic_and(a: Value, b: Value) -> bool | None:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return bool(a) and bool(b)


def logic_or(a: Value, b: Value) -> bool | None:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return bool(a) or bool(b)


def logic_not(a: Value) -> bool | None:
    return None if a is None else not a


def compare(op: str, a: Value, b: Value) -> bool | None:
    if a is None or b is None:
        return None
    if isinstance(a, PartialDate) or isinstance(b, PartialDate):
        return _compare_intervals(op, a, b)
    if isinstance(a, bool) != isinstance(b, bool):
        return None
    try:
        return _COMPARE[op](a, b)
    except TypeError:
        return None


def _compare_intervals(op: str, a: Value, b: Value) -> bool | None:
    """Compare dates of which one or both are partial: an answer only when it is certain."""
    ba, bb = date_bounds(a), date_bounds(b)
    if ba is None or bb is None:
        return None
    (a_lo, a_hi), (b_lo, b_hi) = ba, bb
    if op in (">", ">="):
        return _compare_intervals("<" if op == ">" else "<=", b, a)
    if op == "<":
        return True if a_hi < b_lo else False if a_lo >= b_hi else None
    if op == "<=":
        return True if a_hi <= b_lo else False if a_lo > b_hi else None
    overlap = not (a_hi < b_lo or b_hi < a_lo)
    equal: bool | None = True if (a_lo == a_hi == b_lo == b_hi) else (None if overlap else False)
    if op == "==":
        return equal
    return None if equal is None else not equal


def arith(op: str, a: Value, b: Value) -> Value:
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return None
    if isinstance(a, (date, PartialDate)) or isinstance(b, (date, PartialDate)):
        return _date_arith(op, a, b)
    if not isinstance(a, (int, Decimal)) or not isinstance(b, (int, Decimal)):
        return None
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            return None
        return Decimal(a) / Decimal(b)
    except (InvalidOperation, ArithmeticError):
        return None


def _date_arith(op: str, a: Value, b: Value) -> Value:
    """date - date = days; date ± days = date. Partial dates and datetimes give unknown."""
    if type(a) is date and type(b) is date and op == "-":
        return (a - b).days
    if type(a) is date and isinstance(b, int) and op in "+-":
        try:
            return a + timedelta(days=b if op == "+" else -b)
        except OverflowError:
            return None
    if isinstance(a, int) and type(b) is date and op == "+":
        return _date_arith("+", b, a)
    return None


def negate(a: Value) -> Value:
    return -a if isinstance(a, (int, Decimal)) and not isinstance(a, bool) else None


def membership(a: Value, container: Value, negate_result: bool) -> bool | None:
    if a is None or container is None or not isinstance(container, tuple):
        return None
    found = a in container
    return not found if negate_result else found


# ---- functions -----------------------------------------------------------------------------

def fn_date(text: Value) -> Value:
    if not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def fn_age(dob: Value, on: Value) -> Value:
    """Whole years from `dob` to `on`; unknown unless certain (partial dates give a range)."""
    bd, bo = date_bounds(dob), date_bounds(on)
    if bd is None or bo is None:
        return None
    youngest = _years_between(bd[1], bo[0])
    oldest = _years_between(bd[0], bo[1])
    return youngest if youngest == oldest else None


def _years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def fn_sum(*values: Value) -> Value:
    total: Value = 0
    for v in values:
        total = arith("+", total, v)
    return total


def fn_min(*values: Value) -> Value:
    return _extreme(values, "<")


def fn_max(*values: Value) -> Value:
    return _extreme(values, ">")


def _extreme(values: tuple[Value, ...], op: str) -> Value:
    if not values or any(v is None for v in values):
        return None
    best = values[0]
    for v in values[1:]:
        better = compare(op, v, best)
        if better is None:
            return None
        if better:
            best = v
    return best


def fn_round(x: Value, digits: Value = 0) -> Value:
    if not isinstance(x, (int, Decimal)) or not isinstance(digits, int) or isinstance(x, bool):
        return None
    if not 0 <= digits <= 12:
        return None
    return quantize(x, digits)


def quantize(x: int | Decimal, digits: int) -> int | Decimal:
    """Round half up (as people do), not banker's rounding; 0 digits gives an int."""
    try:
        rounded = Decimal(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return x
    return int(rounded) if digits == 0 else rounded


def fn_abs(x: Value) -> Value:
    return abs(x) if isinstance(x, (int, Decimal)) and not isinstance(x, bool) else None


def fn_count(x: Value) -> Value:
    return len(x) if isinstance(x, tuple) else None


def fn_coalesce(*values: Value) -> Value:
    for v in values:
        if v is not None:
            return v
    return None


FUNCTIONS: dict[str, Callable[..., Value]] = {
    "date": fn_date, "age": fn_age, "sum": fn_sum, "min": fn_min, "max": fn_max,
    "round": fn_round, "abs": fn_abs, "count": fn_count, "coalesce": fn_coalesce,
}
