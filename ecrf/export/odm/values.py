"""Item types as ODM DataTypes, and stored item text ↔ ODM value text.

ODM wants ISO 8601: a time with seconds (08:30 → 08:30:00) and a partial date with the unknown parts left
off (2020-02-UN → 2020-02). Only canonical stored text is converted, so `from_odm(to_odm(text)) == text`;
text that no longer parses under the definition (it changed) is written as it is.
"""
from __future__ import annotations

import re
from datetime import date

from ecrf.study.codec import from_text
from ecrf.study.model import Item, ItemType
from ecrf.study.values import PartialDate

DATA_TYPES = {
    ItemType.TEXT: "text",
    ItemType.INTEGER: "integer",
    ItemType.DECIMAL: "float",
    ItemType.DATE: "date",
    ItemType.PARTIAL_DATE: "partialDate",
    ItemType.TIME: "time",
    ItemType.DATETIME: "datetime",
    ItemType.SINGLE_CHOICE: "text",
    ItemType.MULTI_CHOICE: "text",
    ItemType.YES_NO: "text",
}
MULTI_SEPARATOR = ";"

_STORED_TIME = re.compile(r"^\d{2}:\d{2}$")
_STORED_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
_ODM_TIME = re.compile(r"^(\d{2}:\d{2}):00$")
_ODM_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):00$")
_ODM_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def data_type(item: Item) -> str:
    """The ODM DataType; a coded item takes its codelist's type (integer for WHOSCALE, text for SEX)."""
    kind = item.value_type
    if item.codelist is not None and kind is ItemType.SINGLE_CHOICE:
        return "integer" if item.codelist.data_type == "integer" else "text"
    return DATA_TYPES.get(kind, "text")


def length(item: Item) -> int | None:
    """The longest value text, where ODM asks for one (text-like types); None leaves Length off."""
    kind = item.value_type
    if kind is ItemType.TEXT:
        return item.max_length
    if item.codelist is not None and kind in (ItemType.SINGLE_CHOICE, ItemType.YES_NO, ItemType.MULTI_CHOICE):
        codes = [len(str(code)) for code in item.codelist.codes()] or [1]
        if kind is ItemType.MULTI_CHOICE:
            return sum(codes) + len(codes) - 1
        return max(codes)
    return None


def significant_digits(item: Item) -> int | None:
    return item.precision if item.value_type is ItemType.DECIMAL and item.precision is not None else None


def to_odm(item: Item | None, text: str) -> str:
    if item is None:
        return text
    kind = item.value_type
    if kind is ItemType.TIME and _STORED_TIME.match(text):
        return f"{text}:00"
    if kind is ItemType.DATETIME and _STORED_DATETIME.match(text):
        return f"{text}:00"
    if kind is ItemType.PARTIAL_DATE:
        value = from_text(item, text, None)
        if isinstance(value, PartialDate) and value.entry_text() == text:
            return value.iso()
        if isinstance(value, date) and value.isoformat() == text:
            return text
    return text


def from_odm(odm_type: str | None, text: str) -> str:
    """The stored text of an ODM value, by the DataType of its ItemDef in the same file."""
    if odm_type == "time" and (m := _ODM_TIME.match(text)):
        return m[1]
    if odm_type == "datetime" and (m := _ODM_DATETIME.match(text)):
        return m[1]
    if odm_type == "partialDate" and (m := _ODM_PARTIAL.match(text)):
        return PartialDate(int(m[1]), int(m[2]) if m[2] else None).entry_text()
    return text
