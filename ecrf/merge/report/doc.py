"""The report as a list of sections of simple blocks (text, table, chart with its table): built once from the
report data (`sections.py`), laid out twice (`html.py`, `pdf.py`), so the two files cannot say different things.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.graphics.shapes import Drawing


@dataclass(frozen=True)
class Text:
    text: str
    tone: str = ""  # '' plain, 'alarm' (red, loud), 'note' (small, grey)


@dataclass(frozen=True)
class Grid:
    """A table: a header row and rows of text; `numeric` columns align right; `alarm_rows` are marked."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths (PDF)
    numeric: frozenset[int] = frozenset()
    nowrap: frozenset[int] = frozenset()  # columns kept on one line on screen (times)
    alarm_rows: frozenset[int] = frozenset()
    empty: str = "None."


@dataclass(frozen=True)
class Chart:
    title: str
    drawing: Drawing = field(compare=False)
    table: Grid


Block = Text | Grid | Chart


@dataclass(frozen=True)
class Section:
    key: str  # the HTML anchor
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    footer: str
    sections: tuple[Section, ...]
