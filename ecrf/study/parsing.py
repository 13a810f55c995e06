"""Turn what a user typed (or the store gave back) into a typed value of an item — or a finding.

Parsing is locale-independent: a decimal point is always '.', dates are ISO 8601. Full-width digits
typed with a Chinese input method (３７．５) are read as ASCII.
"""
from __future__ import annotations

import calendar
import math
import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from ecrf.study.findings import F, Finding, Severity, make
from ecrf.study.model import Item, ItemType, Text
from ecrf.study.values import Missing, PartialDate

_INT = re.compile(r"^[+-]?\d+$")
_DEC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}|UNK?))?(?:-(\d{1,2}|UNK?))?$", re.IGNORECASE)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Half of a UTF-16 surrogate pair (a paste cut inside an emoji): no UTF-8 text can hold it, so it could be
# neither stored nor written to the audit trail.
_SURROGATE = re.compile("[\ud800-\udfff]")
MIN_YEAR, MAX_YEAR = 1900, 2100
# No measurement has more digits; far below Python's int() limit of 4,300 digits, and short enough that
# every export format (ODM, CSV read by SAS/R, XPT) holds the number exactly.
MAX_DIGITS = 30
_SHOWN_CHARS = 32  # of a refused entry in its message

Parsed = tuple[Any, list[Finding]]


def parse_entry(item: Item, raw: Any) -> Parsed:
    """(typed value or None, findings). Empty input gives (None, []); required-ness is checked later."""
    if raw is None or isinstance(raw, Missing):
        return raw, []
    if item.is_calculated:
        return (None, []) if raw == "" else _bad(F.CALCULATED_READ_ONLY, item)
    if has_broken_character(raw):
        return _bad(F.BROKEN_CHARACTER, item)  # the text itself is not shown: it could not be printed
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip() if item.value_type is not ItemType.TEXT else raw
        if text == "":
            return None, []
        return _PARSERS[item.value_type](item, text)
    return _accept_typed(item, raw)


def parse_stored(item: Item, text: str) -> Parsed:
    """Stored text back to a value; a calculated item is read by its result type (typing into it is
    refused by parse_entry, but its stored result must read back)."""
    return _PARSERS[item.value_type](item, text.strip()) if item.is_calculated else parse_entry(item, text)


def _bad(code: F, item: Item, **params: Any) -> Parsed:
    raw = params.get("raw")
    if isinstance(raw, str) and len(raw) > _SHOWN_CHARS:  # a huge paste: its start is enough to recognise it
        params["raw"] = raw[:_SHOWN_CHARS] + "…"
    return None, [make(code, Severity.HARD, item.code, label=item.label, **params)]


def has_broken_character(raw: Any) -> bool:
    """A lone surrogate in a text or in any text of a list of choices."""
    if isinstance(raw, str):
        return _SURROGATE.search(raw) is not None
    if isinstance(raw, (list, tuple, set, frozenset)):
        return any(isinstance(part, str) and _SURROGATE.search(part) for part in raw)
    return False


def _too_many_digits(item: Item, text: str) -> Parsed | None:
    """A refusal for a number longer than any measurement (checked before int(), which raises past 4,300)."""
    digits = sum(ch.isdigit() for ch in text)
    if digits <= MAX_DIGITS:
        return None
    return _bad(F.TOO_MANY_DIGITS, item, raw=text, digits=digits, max_digits=MAX_DIGITS)


# -- numbers -----------------------------------------------------------------------------

def _parse_integer(item: Item, text: str) -> Parsed:
    too_long = _too_many_digits(item, text)
    if too_long is not None:
        return too_long
    if _INT.match(text):
        return int(text), []
    if _DEC.match(text.replace(",", ".")):
        return _bad(F.NOT_WHOLE, item, raw=text)
    return _bad(F.NOT_A_NUMBER, item, raw=text, example="72")


def _parse_decimal(item: Item, text: str) -> Parsed:
    if not _DEC.match(text):
        if "," in text and _DEC.match(text.replace(",", ".", 1)):
            return _bad(F.DECIMAL_COMMA, item, raw=text, suggestion=text.replace(",", ".", 1))
        return _bad(F.NOT_A_NUMBER, item, raw=text, example="37.5")
    too_long = _too_many_digits(item, text)
    if too_long is not None:
        return too_long
    value = Decimal(text)
    return _fit_precision(item, value, text)


def _fit_precision(item: Item, value: Decimal, raw: str) -> Parsed:
    precision = item.precision or 0
    quantum = Decimal(1).scaleb(-precision)
    try:
        fitted = value.quantize(quantum)
    except InvalidOperation:
        return _bad(F.NOT_A_NUMBER, item, raw=raw, example="37.5")
    if fitted != value:
        return _bad(F.TOO_MANY_DECIMALS, item, raw=raw, precision=precision)
    return fitted, []


# -- dates and times ---------------------------------------------------------------------

def _parse_date(item: Item, text: str) -> Parsed:
    m = _DATE.match(text)
    if not m:
        return _bad(F.BAD_DATE, item, raw=text)
    return _make_date(item, text, int(m[1]), int(m[2]), int(m[3]))


def _make_date(item: Item, raw: str, year: int, month: int, day: int) -> Parsed:
    problem = _date_problem(year, month, day)
    if problem:
        return _bad(F.IMPOSSIBLE_DATE, item, raw=raw, detail=problem)
    return date(year, month, day), []


def _date_problem(year: int, month: int | None, day: int | None) -> Text | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return Text.of(en=f"the year must be between {MIN_YEAR} and {MAX_YEAR}",
                       zh=f"年份须在 {MIN_YEAR} 至 {MAX_YEAR} 之间")
    if month is not None and not 1 <= month <= 12:
        return Text.of(en=f"there is no month {month}", zh=f"没有 {month} 月")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            name = calendar.month_name[month]
            return Text.of(en=f"{name} {year} has {last} days", zh=f"{year} 年 {month} 月只有 {last} 天")
    return None


def _parse_partial_date(item: Item, text: str) -> Parsed:
    m = _PARTIAL.match(text)
    if not m:
        return _bad(F.BAD_PARTIAL_DATE, item, raw=text)
    year = int(m[1])
    month = None if m[2] is None or m[2].upper().startswith("UN") else int(m[2])
    day = None if m[3] is None or m[3].upper().startswith("UN") else int(m[3])
    if month is None and day is not None:
        return _bad(F.BAD_PARTIAL_DATE, item, raw=text)
    problem = _date_problem(year, month, day)
    if problem:
        return _bad(F.IMPOSSIBLE_DATE, item, raw=text, detail=problem)
    if month is not None and day is not None:
        return date(year, month, day), []
    return PartialDate(year, month, None), []


def _parse_time(item: Item, text: str) -> Parsed:
    m = _TIME.match(text)
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        return _bad(F.BAD_TIME, item, raw=text)
    return time(int(m[1]), int(m[2])), []


def _parse_datetime(item: Item, text: str) -> Parsed:
    parts = re.split(r"[T ]+", text)
    if len(parts) != 2 or not _DATE.match(parts[0]) or not _TIME.match(parts[1]):
        return _bad(F.BAD_DATETIME, item, raw=text)
    day, findings = _parse_date(item, parts[0])
    if findings:
        return None, findings
    clock, findings = _parse_time(item, parts[1])
    if findings:
        return _bad(F.BAD_DATETIME, item, raw=text)
    return datetime.combine(day, clock), []


# -- choices and text --------------------------------------------------------------------

def _parse_code(item: Item, text: str) -> Parsed:
    codelist = item.codelist
    if codelist is None:  # pragma: no cover - the loader guarantees a codelist
        return text, []
    if codelist.data_type == "integer":
        code: Any = int(text) if _INT.match(text) and len(text) <= MAX_DIGITS else text
    else:
        code = text.upper() if item.value_type is ItemType.YES_NO else text
    if code not in codelist.codes():
        return _bad(F.NOT_IN_CODELIST, item, raw=text, choices=", ".join(str(c) for c in codelist.codes()))
    return code, []


def _parse_multi(item: Item, text: str) -> Parsed:
    return _accept_typed(item, tuple(p.strip() for p in re.split(r"[;,]", text) if p.strip()))


def _parse_text(item: Item, text: str) -> Parsed:
    text = text.strip()
    if text == "":
        return None, []
    if _CONTROL.search(text):
        return _bad(F.CONTROL_CHARACTER, item)
    if len(text) > item.max_length:
        return _bad(F.TOO_LONG, item, length=len(text), max_length=item.max_length)
    return text, []


_PARSERS = {
    ItemType.INTEGER: _parse_integer, ItemType.DECIMAL: _parse_decimal, ItemType.DATE: _parse_date,
    ItemType.PARTIAL_DATE: _parse_partial_date, ItemType.TIME: _parse_time, ItemType.DATETIME: _parse_datetime,
    ItemType.SINGLE_CHOICE: _parse_code, ItemType.YES_NO: _parse_code, ItemType.MULTI_CHOICE: _parse_multi,
    ItemType.TEXT: _parse_text,
}


# -- typed values (from the store, or from code) -----------------------------------------

def _accept_typed(item: Item, value: Any) -> Parsed:
    t = item.value_type
    if isinstance(value, bool):
        return _wrong(item, value)
    if t is ItemType.INTEGER and isinstance(value, int):
        return _typed_number(item, value) or (value, [])
    if t is ItemType.DECIMAL and isinstance(value, (int, Decimal, float)):
        if isinstance(value, float) and value != value:  # NaN
            return _wrong(item, value)
        return _typed_number(item, value) or _fit_precision(item, Decimal(str(value)), str(value))
    if t is ItemType.DATE and type(value) is date:
        return _typed_date(item, value)
    if t is ItemType.PARTIAL_DATE and (type(value) is date or isinstance(value, PartialDate)):
        return _typed_date(item, value)
    if t is ItemType.TIME and isinstance(value, time):
        return value, []
    if t is ItemType.DATETIME and isinstance(value, datetime):
        return _typed_date(item, value)
    if t is ItemType.MULTI_CHOICE and isinstance(value, (list, tuple, set, frozenset)):
        return _accept_multi(item, tuple(value))
    if t in (ItemType.SINGLE_CHOICE, ItemType.YES_NO) and isinstance(value, (str, int)):
        return _parse_code(item, str(value))
    if t is ItemType.TEXT and isinstance(value, str):
        return _parse_text(item, value)
    return _wrong(item, value)


def _typed_number(item: Item, value: int | Decimal | float) -> Parsed | None:
    """A refusal for a typed number with more digits than any measurement, else None (floats: their text
    is short). An int is measured without str(), which raises past 4,300 digits."""
    if isinstance(value, int):
        if abs(value) < 10**MAX_DIGITS:
            return None
        digits = int(value.bit_length() * math.log10(2)) + 1  # within one of the exact count
        return _bad(F.TOO_MANY_DIGITS, item, raw=f"~10^{digits - 1}", digits=digits, max_digits=MAX_DIGITS)
    if isinstance(value, Decimal) and value.is_finite() and len(value.as_tuple().digits) > MAX_DIGITS:
        return _too_many_digits(item, str(value))
    return None


def _typed_date(item: Item, value: date | datetime | PartialDate) -> Parsed:
    """A typed date passes the same 1900–2100 check as a typed-in one, so what is stored reads back."""
    problem = _date_problem(value.year, None, None)
    if problem:
        shown = value.entry_text() if isinstance(value, PartialDate) else value.isoformat()
        return _bad(F.IMPOSSIBLE_DATE, item, raw=shown, detail=problem)
    return value, []


def _accept_multi(item: Item, chosen: tuple[Any, ...]) -> Parsed:
    codelist = item.codelist
    codes = codelist.codes() if codelist else ()
    picked: list[Any] = []
    for raw in chosen:
        integer_code = (codelist and codelist.data_type == "integer" and isinstance(raw, str) and _INT.match(raw)
                        and len(raw) <= MAX_DIGITS)
        code = int(raw) if integer_code else raw
        if code not in codes:
            return _bad(F.NOT_IN_CODELIST, item, raw=raw, choices=", ".join(str(c) for c in codes))
        if code in picked:
            return _bad(F.DUPLICATE_CHOICE, item, raw=raw)
        picked.append(code)
    if not picked:
        return None, []
    return tuple(c for c in codes if c in picked), []  # codelist order: the same answer, the same value


def _wrong(item: Item, value: Any) -> Parsed:
    return _bad(F.WRONG_VALUE_TYPE, item, got=type(value).__name__, want=item.value_type.value.replace("_", " "))
