"""Stored item text ↔ ODM value text: ISO 8601 in the file, the exact stored text back."""
from __future__ import annotations

import pytest

from ecrf.export.odm.keys import form_repeat_key, timepoint_repeat, unit_oid
from ecrf.export.odm.values import data_type, from_odm, to_odm
from ecrf.study.model import Item, ItemType, Source, Text


def item(kind: ItemType) -> Item:
    return Item(code="X", type=kind, label=Text.of(en="x"), cdash="X", source=Source("test.yaml", 1))


@pytest.mark.parametrize("kind, stored, in_odm", [
    (ItemType.TIME, "08:30", "08:30:00"),
    (ItemType.DATETIME, "2020-02-03T08:30", "2020-02-03T08:30:00"),
    (ItemType.PARTIAL_DATE, "2020-02-UN", "2020-02"),
    (ItemType.PARTIAL_DATE, "2020-UN-UN", "2020"),
    (ItemType.PARTIAL_DATE, "2020-02-03", "2020-02-03"),
    (ItemType.DATE, "2020-02-03", "2020-02-03"),
    (ItemType.DECIMAL, "36.5", "36.5"),
    (ItemType.TEXT, "08:30", "08:30"),  # text is never converted
    (ItemType.TIME, "half past eight", "half past eight"),  # no longer parses: written as stored
])
def test_values_go_out_as_iso_and_come_back_as_stored(kind: ItemType, stored: str, in_odm: str) -> None:
    written = to_odm(item(kind), stored)
    assert written == in_odm
    assert from_odm(data_type(item(kind)), written) == stored


def test_repeat_keys_tell_timepoints_from_entry_numbers() -> None:
    assert [form_repeat_key(tp, n) for tp, n in (("PRE", 0), ("", 3), ("", 0))] == ["PRE", "3", "0"]
    assert [timepoint_repeat(key) for key in ("PRE", "3", "0", None)] == [("PRE", 0), ("", 3), ("", 0), ("", 0)]


def test_unit_oids_are_ascii() -> None:
    assert [unit_oid(u) for u in ("°C", "cells/µL", "%", "kg/m²")] == ["MU.degC", "MU.cells_uL", "MU.pct", "MU.kg_m2"]
