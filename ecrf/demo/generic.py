"""Values from the definition alone: a valid, unremarkable value per item type, fitted to the item
(precision, hard range, codelist), with skip logic respected. Used where the scenario says nothing."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from ecrf.demo.moment import Moment
from ecrf.demo.specs import as_number, minutes_to_time
from ecrf.study.model import Form, Item, ItemType
from ecrf.study.subject import Where
from ecrf.study.validate import validate_form
from ecrf.study.values import Missing

ADULT_YEARS = (25.0, 65.0)  # a birth date (CDASH BRTHDAT) without a spec: an adult
GENERIC_YES = 0.25
FATE_WORDS = {"completed": ("COMPLET",), "withdrawn": ("WITHDRAWAL BY SUBJECT", "WDSUBJ", "WITHDR", "WD"),
              "died": ("DEATH", "DIED", "DTH")}


def fit(item: Item, value: Any) -> Any:
    """A raw value as the item stores it: rounded to its precision, inside its hard range, a listed code."""
    if value is None or isinstance(value, Missing):
        return value
    kind = item.value_type
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        return fit_number(item, float(value))
    if kind in (ItemType.DATE, ItemType.PARTIAL_DATE):
        return date.fromisoformat(value) if isinstance(value, str) else value
    if kind is ItemType.TIME:
        return value if isinstance(value, time) else minutes_to_time(as_number(value))
    if kind is ItemType.DATETIME:
        return value if isinstance(value, datetime) else datetime.combine(value, time(9, 0))
    if kind is ItemType.YES_NO:
        return ("Y" if value else "N") if isinstance(value, bool) else str(value)
    if kind is ItemType.MULTI_CHOICE:
        return tuple(value) if isinstance(value, (list, tuple)) else (value,)
    if kind is ItemType.SINGLE_CHOICE:
        return _nearest_code(item, value)
    if kind is ItemType.TEXT:
        return str(value)[:item.max_length]
    return value


def fit_number(item: Item, x: float) -> int | Decimal:
    hard = item.hard
    if hard is not None:
        x = min(max(x, hard.low if hard.low is not None else x), hard.high if hard.high is not None else x)
    if item.value_type is ItemType.INTEGER:
        return round(x)
    digits = item.precision or 0
    return Decimal(str(round(x, digits))).quantize(Decimal(1).scaleb(-digits))


def _nearest_code(item: Item, value: Any) -> Any:
    """Integer codelists (scales) take the nearest code to a number; others the code as written."""
    if item.codelist is None or item.codelist.data_type != "integer" or not isinstance(value, (int, float)):
        return value
    codes = [c for c in item.codelist.codes() if isinstance(c, int)]
    return min(codes, key=lambda c: abs(c - value)) if codes else round(value)


def generic_value(item: Item, moment: Moment, rng: Random) -> Any:
    """A valid, unremarkable value from the item definition alone."""
    kind = item.value_type
    if item.cdash == "BRTHDAT" and kind in (ItemType.DATE, ItemType.PARTIAL_DATE):
        return moment.plan.consent - timedelta(days=round(rng.uniform(*ADULT_YEARS) * 365.25))
    if kind in (ItemType.DATE, ItemType.PARTIAL_DATE):
        return moment.on
    if kind is ItemType.DATETIME:
        return datetime.combine(moment.on, time(9, rng.randint(0, 59)))
    if kind is ItemType.TIME:
        return time(rng.randint(8, 11), rng.randint(0, 59))
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        bounds = item.soft or item.hard
        low = bounds.low if bounds and bounds.low is not None else 0
        high = bounds.high if bounds and bounds.high is not None else low + 100
        return fit_number(item, rng.uniform(float(low), float(high)))
    codes = item.codelist.codes() if item.codelist else ()
    if item.cdash == "DSDECOD" and _code_for_fate(codes, moment.plan.fate.value):
        return _code_for_fate(codes, moment.plan.fate.value)
    if kind is ItemType.YES_NO:  # mostly No, sometimes Yes: the items a Yes shows appear too
        return "Y" if rng.random() < GENERIC_YES else "N"
    if kind is ItemType.SINGLE_CHOICE and codes:
        return rng.choice(codes)
    if kind is ItemType.MULTI_CHOICE and codes:
        return (codes[0],)
    if kind is ItemType.TEXT:
        return "Synthetic demo entry"[:item.max_length]
    return None


def _code_for_fate(codes: tuple[str | int, ...], fate: str) -> str | int | None:
    """The disposition code (CDISC NCOMPLT terms or their short forms) that says how a subject ended."""
    for stem in FATE_WORDS.get(fate, ()):
        for code in codes:
            if str(code).upper().startswith(stem):
                return code
    return None


def drop_hidden(form: Form, values: dict[str, Any], moment: Moment) -> dict[str, Any]:
    """Leave out items whose skip logic (over this form's own items) hides them; the service refuses them."""
    local = {i.code for i in form.items if i.show_if is not None and all(k.form is None for k in i.show_if.refs)}
    if not local:
        return values
    for _ in range(len(local) + 1):
        hidden = validate_form(form, values, where=Where(moment.visit, moment.timepoint, moment.today)).hidden
        gone = [code for code in hidden & local if code in values]
        if not gone:
            break
        for code in gone:
            del values[code]
    return values
