"""What goes into each SAS transport file: the data sets, their variables' SAS names, labels and planned types.

Version 5 limits: data set and variable names of at most 8 characters (letters, digits, '_', not starting with
a digit; upper case here), labels of at most 40 bytes. A wide column keeps its name when it fits (AETERM); a
longer one tries its item's test code, item code and CDASH name (TEMP for TEMP_VSORRES), then is cut to 8
characters, with a number when that is taken (PULSE_V2); the missing-code column of an item is its variable's
name cut to 6 plus `_M` (TEMP_M). The same definition always gives the same names, and `xpt/variables.csv`
lists each one with the long column name it stands for.

Types come from the definition: integer and decimal items are numeric, everything else (codes, dates, times,
text) is character, so dates stay ISO 8601 text exactly as in the CSV files, partial dates included.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ecrf.export.csv.part import SUBJECTS_HEADER
from ecrf.export.csv.wide import FIXED_COLUMNS, MISSING_SUFFIX, WideLayout
from ecrf.merge.outputs.csv_files import SITE_COLUMN
from ecrf.study.model import NUMERIC_TYPES, Form, Item, Study

NAME_LENGTH, LABEL_BYTES = 8, 40
SUBJECTS_DATASET = "SUBJECTS"
LABEL_LANGUAGE = "en"

# Short names and labels of the columns every form (or the subjects file) has.
FIXED: dict[str, tuple[str, str]] = {
    SITE_COLUMN: ("SITE", "Site code"),
    "subject": ("SUBJECT", "Subject"),
    "screening_no": ("SCRNO", "Screening number"),
    "visit": ("VISIT", "Visit"),
    "timepoint": ("TIMEPT", "Timepoint"),
    "repeat": ("REPEAT", "Repeat number"),
    "status": ("STATUS", "Status"),
    "deleted": ("DELETED", "Log entry removed (true/false)"),
    "deleted_reason": ("DELREAS", "Why the log entry was removed"),
    "subject_id": ("SUBJID", "Subject id"),
    "arm": ("ARM", "Arm"),
    "rand_no": ("RANDNO", "Randomisation number"),
    "day0": ("DAY0", "Day 0"),
    "ended_on": ("ENDEDON", "Ended on"),
    "end_reason": ("ENDREAS", "End reason"),
    "created_at": ("CREATED", "Created at (UTC)"),
}
NUMERIC_FIXED = frozenset({"repeat"})


@dataclass(frozen=True)
class Column:
    """One variable of a data set: its SAS name, the long column it stands for and what the definition says."""

    name: str
    column: str
    label: str
    numeric: bool
    item: Item | None = None
    missing_of: str | None = None  # the item whose missing code this column holds


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str
    form: Form | None  # None: the subjects file
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        return f"xpt/{self.name.lower()}.xpt"


def plan(study: Study) -> list[Dataset]:
    """The subjects data set, then one per form in definition order; names unique across them."""
    taken: set[str] = set()
    subjects = Dataset(sas_name([SUBJECTS_DATASET], taken), "Subjects", None,
                       _fixed_columns((SITE_COLUMN, *SUBJECTS_HEADER)))
    forms = [Dataset(sas_name([code], taken), fit_label(form.label.get(LABEL_LANGUAGE)), form, _form_columns(form))
             for code, form in study.forms.items()]
    return [subjects, *forms]


def _fixed_columns(header: Sequence[str]) -> tuple[Column, ...]:
    taken: set[str] = set()
    return tuple(Column(sas_name([FIXED.get(name, (name, name))[0], name], taken), name,
                        fit_label(FIXED.get(name, (name, name))[1]), name in NUMERIC_FIXED) for name in header)


def _form_columns(form: Form) -> tuple[Column, ...]:
    """SITE and the wide file's columns, in its order."""
    layout = WideLayout(form)
    by_column = {column: form.item(code) for code, column in layout.columns.items()}
    columns = list(_fixed_columns((SITE_COLUMN, *FIXED_COLUMNS)))
    taken = {column.name for column in columns}
    names: dict[str, str] = {}
    for column in layout.header[len(FIXED_COLUMNS):]:
        if column in by_column:
            item = by_column[column]
            names[item.code] = name = sas_name([column, item.testcd or "", item.code, item.cdash], taken)
            columns.append(Column(name, column, fit_label(item.label.get(LABEL_LANGUAGE)),
                                  item.value_type in NUMERIC_TYPES, item))
        else:
            item = by_column[column.removesuffix(MISSING_SUFFIX)]
            name = sas_name([f"{names[item.code][:NAME_LENGTH - 2]}_M"], taken)
            columns.append(Column(name, column, fit_label(f"Missing code: {item.label.get(LABEL_LANGUAGE)}"),
                                  False, None, item.code))
    return tuple(columns)


def sas_name(candidates: Iterable[str], taken: set[str]) -> str:
    """The first candidate that is a free version 5 name once cleaned; else the first cut to 8, numbered if taken."""
    cleaned = [_clean(candidate) for candidate in candidates if candidate]
    for name in cleaned:
        if len(name) <= NAME_LENGTH and name not in taken:
            taken.add(name)
            return name
    base, number = cleaned[0], 2
    name = base[:NAME_LENGTH]
    while name in taken:
        name = f"{base[:NAME_LENGTH - len(str(number))]}{number}"
        number += 1
    taken.add(name)
    return name


def _clean(text: str) -> str:
    name = re.sub(r"[^A-Z0-9_]", "_", text.upper())
    return f"_{name}" if name[:1].isdigit() else name


def fit_label(text: str, limit: int = LABEL_BYTES) -> str:
    """The text cut to `limit` UTF-8 bytes without splitting a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")
