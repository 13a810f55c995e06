"""Writing the SAS transport files of the merged data set and `xpt/variables.csv`, the map from SAS names back to
the CSV columns.

Two passes over each data set's rows (the central database streams them; nothing is held): the first sizes each
character variable (its longest value, in UTF-8 bytes, at most 200) and checks that every value of a numeric
variable is a number; the second writes. A numeric item with a value that is not a number (a definition changed
under old data) becomes a character variable, so no value is lost; `variables.csv` says which type each
variable got. Empty cells are the SAS missing value '.' in a numeric variable and blanks in a character one;
the missing code (ND, NA, UNK …) of an item is in its own character variable, as in the CSV files.
Character values are UTF-8; one longer than 200 bytes is cut at a character boundary (version 5 can hold no
more) and `variables.csv` counts the cut values: the CSV files keep the whole text.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

from ecrf.export.csv.part import SUBJECTS_HEADER
from ecrf.export.csv.safe import write_csv
from ecrf.merge.central import schema
from ecrf.merge.outputs.csv_files import form_rows, table_rows
from ecrf.merge.outputs.sources import Source
from ecrf.merge.outputs.xpt_format import MAX_CHAR, Value, Variable, fits_ibm, write_member
from ecrf.merge.outputs.xpt_plan import Column, Dataset, fit_label, plan
from ecrf.study.model import Study

VARIABLES_CSV = "xpt/variables.csv"
VARIABLES_HEADER = ("dataset", "file", "variable", "column", "label", "type", "length", "item", "item_type",
                    "missing_code_of", "values_cut")
Rows = Callable[[], Iterator[list[str]]]


@dataclass(frozen=True)
class Sized:
    column: Column
    variable: Variable
    values_cut: int


def write_xpt_files(conn: Connection, study: Study, sources: list[Source], folder: Path,
                    as_of: datetime) -> list[str]:
    """One transport file per data set, then variables.csv; the paths written, relative to `folder`."""
    written: list[str] = []
    catalogue: list[tuple[Dataset, Sized]] = []
    for dataset in plan(study):
        rows = _rows(conn, dataset, sources)
        sized = size_columns(dataset.columns, rows())
        variables = [entry.variable for entry in sized]
        path = folder / dataset.file
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            write_member(out, dataset.name, dataset.label, variables, (cells(variables, row) for row in rows()),
                         as_of)
        written.append(dataset.file)
        catalogue += [(dataset, entry) for entry in sized]
    write_csv(folder / VARIABLES_CSV, VARIABLES_HEADER, (_described(dataset, entry) for dataset, entry in catalogue))
    return [*written, VARIABLES_CSV]


def _rows(conn: Connection, dataset: Dataset, sources: list[Source]) -> Rows:
    """A way to read the data set's rows (site code first) again for each pass."""
    if dataset.form is None:
        table = schema.DATA_TABLES["subjects"]
        return lambda: ([site, *row] for site, row in table_rows(conn, table, SUBJECTS_HEADER, sources))
    code, width = dataset.form.code, len(dataset.columns) - 1
    return lambda: ([site, *row] for site, row in form_rows(conn, code, sources, width))


def size_columns(columns: Sequence[Column], rows: Iterable[Sequence[str]]) -> list[Sized]:
    """Each column's variable: its type (numeric only if every value is a number) and its length."""
    longest = [1] * len(columns)
    cut = [0] * len(columns)
    numeric = [column.numeric for column in columns]
    for row in rows:
        for n, text in enumerate(row):
            size = len((text or "").encode("utf-8"))
            longest[n] = max(longest[n], min(size, MAX_CHAR))
            cut[n] += size > MAX_CHAR
            if numeric[n] and text and as_number(text) is None:
                numeric[n] = False
    return [Sized(column, Variable(column.name, column.label, numeric[n], 8 if numeric[n] else longest[n]),
                  0 if numeric[n] else cut[n]) for n, column in enumerate(columns)]


def as_number(text: str) -> float | None:
    """The number a cell holds, if it is one an IBM float can carry; else None."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if fits_ibm(number) else None


def cells(variables: Sequence[Variable], row: Sequence[str]) -> list[Value]:
    """One observation: numbers as floats (empty: missing), text cut to its variable's length if it must be."""
    return [(as_number(text) if text else None) if variable.numeric else fit_label(text or "", variable.length)
            for variable, text in zip(variables, row, strict=True)]


def _described(dataset: Dataset, entry: Sized) -> tuple[str | int | None, ...]:
    column, variable = entry.column, entry.variable
    item = column.item
    return (dataset.name, dataset.file, variable.name, column.column, variable.label,
            "numeric" if variable.numeric else "character", variable.length, item.code if item else None,
            item.value_type.value if item else None, column.missing_of, entry.values_cut)
