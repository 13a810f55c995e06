"""The CSV dialect of a bundle, and the rule that keeps spreadsheets from running cell text as a formula.

Spreadsheets treat a cell that starts with `=`, `+`, `-` or `@` (and, in some, a leading TAB or CR) as a
formula, so a value typed into a text field could run commands when a CSV is opened (OWASP "CSV
injection"). Such text gets a leading apostrophe, which spreadsheets show as plain text. Numbers are
never touched: `-5.2` is data, and changing it would falsify it. Text that already starts with an
apostrophe before such a character gets one more, so the rule can be undone exactly (`restore`).
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self, TextIO

from ecrf.errors import Bug

FORMULA_RULE = (
    "A cell whose text starts with '=', '+', '-', '@', a TAB or a carriage return and is not a plain number "
    "(optional sign, digits, optional decimal part, optional exponent), or starts with an apostrophe followed by "
    "one of those characters or another apostrophe, is written with one extra leading apostrophe (') so that no "
    "spreadsheet runs it as a formula and a program gets the exact text back by removing that apostrophe; "
    "numbers, including negative ones, are never altered."
)

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = (*_TRIGGERS, "'")
_NEEDS_CHECK = _ESCAPED  # what `neutralise` may change starts with one of these
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)  # used with fullmatch

Cell = str | int | bool | None


def neutralise(text: str) -> str:
    """`text`, with a leading apostrophe if a spreadsheet would read it as a formula (FORMULA_RULE)."""
    if text.startswith(_TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    if text.startswith("'") and text[1:].startswith(_ESCAPED):
        return "'" + text  # so that `restore` can tell this apostrophe from one we added
    return text


def restore(cell: str) -> str:
    """The original text of a neutralised cell: `restore(neutralise(t)) == t` for every text."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_ESCAPED) else cell


def cell_text(value: Cell) -> str:
    """The text of one cell: None is empty, booleans are true/false, everything through neutralise."""
    if type(value) is str:  # most cells: skip the other checks
        return neutralise(value) if value.startswith(_NEEDS_CHECK) else value
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "true" if value else "false"
    return neutralise(str(value))


class CsvFile:
    """One CSV output, open while rows stream in: UTF-8 with a byte-order mark (without one, Excel on Windows
    reads the file in the PC's ANSI code page and garbles Chinese), RFC 4180 (CRLF, minimal quoting)."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.header = tuple(header)
        self.rows = 0
        self._file: TextIO = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        self._writer.writerow([cell_text(name) for name in self.header])

    def write(self, row: Sequence[Cell]) -> None:
        if len(row) != len(self.header):  # a programming error: a column would shift silently
            raise Bug(f"{self.path.name}: row has {len(row)} cells, header has {len(self.header)}")
        # `cell_text` inlined for the two commonest cells, plain text and None (a call per cell was a third of
        # the time of writing the audit trail)
        self._writer.writerow([value if value.__class__ is str and not value.startswith(_NEEDS_CHECK)
                               else "" if value is None else cell_text(value) for value in row])
        self.rows += 1

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    """Write a whole small file (the data dictionary); returns the number of data rows."""
    with CsvFile(path, header) as out:
        for row in rows:
            out.write(row)
        return out.rows
