"""The wide file of one form: its column names, and one row per form instance.

Columns are named by CDASH so a data manager recognises them. Findings forms use one CDASH name for many
items (every vital sign is VSORRES), so where names collide inside a form each colliding column is
qualified by the item's test code, or its item code when it has none: `TEMP_VSORRES`, `FEVER_CEOCCUR`.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ecrf.errors import Bug
from ecrf.export.csv.safe import Cell
from ecrf.export.records import FormRecord
from ecrf.study.model import Form

FIXED_COLUMNS = ("subject", "screening_no", "visit", "timepoint", "repeat", "status", "deleted", "deleted_reason")
MISSING_SUFFIX = "_MISSING"


def item_columns(form: Form) -> dict[str, str]:
    """Item code → wide column name, in the form's item order; unique within the form."""
    counts = Counter(item.cdash for item in form.items)
    names = {item.code: item.cdash if counts[item.cdash] == 1 else f"{item.testcd or item.code}_{item.cdash}"
             for item in form.items}
    taken = Counter(names.values())
    # A qualified name can still meet another item's CDASH name or a test code shared by two items:
    # then the item code, unique within a form, decides.
    return {code: f"{code}_{form.item(code).cdash}" if taken[name] > 1 else name for code, name in names.items()}


class WideLayout:
    """The header of one form's wide file and how a form instance fills a row of it."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.columns = item_columns(form)
        self.header: tuple[str, ...] = (*FIXED_COLUMNS, *self._value_columns())
        if len(set(self.header)) != len(self.header):
            duplicates = sorted(name for name, n in Counter(self.header).items() if n > 1)
            raise Bug(f"form {form.code}: wide CSV columns collide: {', '.join(duplicates)}")
        self._slot = {name: n for n, name in enumerate(self.header)}

    def _value_columns(self) -> list[str]:
        names: list[str] = []
        for item in self.form.items:
            names.append(self.columns[item.code])
            if item.missing:
                names.append(self.columns[item.code] + MISSING_SUFFIX)
        return names

    def row(self, subject_label: str, screening_no: str, instance: FormRecord) -> Sequence[Cell]:
        cells: list[Cell] = [None] * len(self.header)
        cells[:len(FIXED_COLUMNS)] = [subject_label, screening_no, instance.visit, instance.timepoint,
                                      instance.repeat, instance.status, instance.deleted, instance.deleted_reason]
        for value in instance.values:
            column = self.columns.get(value.item)
            if column is None:  # an item no longer in the definition: it is in items_long.csv only
                continue
            cells[self._slot[column]] = value.value
            if value.missing and self.form.item(value.item).missing:
                cells[self._slot[column + MISSING_SUFFIX]] = value.missing
        return cells
