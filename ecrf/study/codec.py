"""Typed item values ↔ the text stored per item. The stored text is the same text a user could type,
so reading it back goes through the study's own parser and a value reads back exactly as saved."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from ecrf.study.model import Item
from ecrf.study.parsing import parse_stored
from ecrf.study.values import Missing, PartialDate


def to_text(value: Any) -> str | None:
    """The canonical text of a parsed value (None stays None; a Missing code is stored elsewhere)."""
    if value is None or isinstance(value, Missing):
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, (date, Decimal, int, str)):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, PartialDate):
        return value.entry_text()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, (tuple, list)):
        return ";".join(str(v) for v in value)
    raise TypeError(f"no stored form for {type(value).__name__}")


def from_text(item: Item | None, text: str | None, missing: str | None) -> Any:
    """The typed value of a stored row; text that no longer parses (definition changed) stays text."""
    if missing:
        return Missing(missing)
    if text is None:
        return None
    if item is None:
        return text
    value, findings = parse_stored(item, text)
    return text if findings else value
