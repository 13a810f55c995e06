"""Page template and table styles shared by the casebooks and the blank CRF.

Every page gets a header (document title, study, a right-hand tag such as the subject) and a footer
("Page x of y", site, export time). The page count is only known at the end, so the canvas keeps each
finished page and draws the furniture on all of them when the document is saved (the usual reportlab
"NumberedCanvas"): one layout pass instead of two.
Table cells are plain strings wherever possible (reportlab draws those fastest); text that needs the
CJK font becomes a `MixedText`; Latin text wider than its column is pre-wrapped with '\\n'.
"""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.colors import black as BLACK
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, SimpleDocTemplate, TableStyle
from reportlab.platypus.tables import CellStyle

from ecrf.export.pdf.fast_table import GRID, FastTable
from ecrf.export.pdf.fonts import LATIN, LATIN_BOLD, LEADING, has_cjk, register_fonts, string_width, wrap_lines
from ecrf.export.pdf.text import MixedText, draw_text

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
TOP, BOTTOM = 20 * mm, 17 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BODY = 7.5  # table text
SMALL = 6.5
PAD = 2.0  # left/right cell padding
HEAD_BG = colors.Color(0.90, 0.92, 0.95)
MUTED = colors.Color(0.35, 0.35, 0.35)
ANNOTATION = colors.Color(0.05, 0.25, 0.75)  # blue margin notes of the annotated CRF
REMOVED = colors.Color(0.65, 0.1, 0.1)


@dataclass(frozen=True)
class Furniture:
    """What each page shows around the content."""

    title: str  # "Subject casebook", "Annotated blank CRF"
    study: str  # study id (and version)
    tag: str  # right of the header: the subject, or the definition version
    footer: str  # left of the footer: site, export time


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    creator: str


@lru_cache(maxsize=64)
def _cell_style(size: float, bold: bool, color: Color) -> CellStyle:
    """Cell looks given to reportlab ready-made and shared by all cells alike: far cheaper than FONT,
    PADDING ... commands, which reportlab applies cell by cell for every table."""
    style = CellStyle(f"ecrf-{size}-{bold}-{color}")
    style.fontname, style.fontsize, style.leading = LATIN_BOLD if bold else LATIN, size, size * LEADING
    style.leftPadding = style.rightPadding = PAD
    style.topPadding, style.bottomPadding = 1.2, 1.8
    style.valign, style.color = "TOP", color
    return style


RULES = TableStyle([])  # the rules under the rows are drawn by FastTable itself
RULES_HEAD = TableStyle([("BACKGROUND", (0, 0), (-1, 0), HEAD_BG)])


def cell(text: str | None, width: float, size: float = BODY, *, bold: bool = False) -> str | Flowable:
    """A table cell for `text` in a column `width` wide (padding included)."""
    if not text:
        return ""
    if has_cjk(text):
        return MixedText(text, size, bold=bold)
    return _latin_cell(text, width - 2 * PAD, size, bold)


@lru_cache(maxsize=8192)
def _latin_cell(text: str, width: float, size: float, bold: bool) -> str:
    register_fonts()
    font = LATIN_BOLD if bold else LATIN
    if "\n" not in text and string_width(text, font, size) <= width:
        return text
    return "\n".join("".join(seg for _, seg, _ in line).rstrip() for line in wrap_lines(text, width, size, bold))


def heading(text: str, size: float = 11, *, space_before: float = 6, keep: float = 72) -> list[Flowable]:
    """A heading that starts a new page when less than `keep` points are left below it (so it never
    ends a page alone; cheaper than keepWithNext, which measures the whole next table twice)."""
    flow = MixedText(text, size, bold=True)
    flow.spaceBefore, flow.spaceAfter = space_before, 2
    return [CondPageBreak(keep + size), flow]


def note(text: str, size: float = BODY, *, color: object = MUTED) -> MixedText:
    return MixedText(text, size, color=color)


def table(rows: Sequence[list[object] | tuple[object, ...]], widths: Sequence[float], *, header: bool = True,
          size: float = BODY, bold_columns: Sequence[int] = (), row_colors: Mapping[int, Color] | None = None,
          column_colors: Mapping[int, Color] | None = None) -> FastTable:
    """A table with a rule under each row and, with `header`, a tinted bold first row that repeats on
    each page the table spans."""
    ncols = len(widths)
    tints = column_colors or {}

    def row_style(color: Color | None) -> list[CellStyle]:
        return [_cell_style(size, j in bold_columns, color or tints.get(j, BLACK)) for j in range(ncols)]

    plain = row_style(None)
    styles = [plain] * len(rows)
    if header:
        styles[0] = [_cell_style(size, True, BLACK)] * ncols
    for i, color in (row_colors or {}).items():
        styles[i] = row_style(color)
    return FastTable(rows, colWidths=list(widths), style=RULES_HEAD if header else RULES, cellStyles=styles,
                     repeatRows=1 if header else 0, hAlign="LEFT")


def columns(*fractions: float) -> list[float]:
    """Column widths for the content width, from relative sizes."""
    total = sum(fractions)
    return [CONTENT_WIDTH * f / total for f in fractions]


def build_pdf(flowables: list[Flowable], furniture: Furniture, meta: Metadata) -> bytes:
    """Lay out `flowables` on A4 pages with header and footer; the PDF's bytes."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP,
                            bottomMargin=BOTTOM, title=meta.title, author=meta.author, subject=meta.subject,
                            creator=meta.creator, producer=meta.creator, pageCompression=1,
                            initialFontName=LATIN)  # reportlab's default puts Helvetica (not embedded) on each page
    doc.build(flowables, canvasmaker=_numbered_canvas(furniture))
    return buffer.getvalue()


def _numbered_canvas(furniture: Furniture) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._finished_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._finished_pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab internal, not in its stubs

        def save(self) -> None:
            total = len(self._finished_pages)
            for number, state in enumerate(self._finished_pages, start=1):
                self.__dict__.update(state)
                draw_furniture(self, furniture, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def draw_furniture(canv: Canvas, furniture: Furniture, number: int, total: int) -> None:
    canv.saveState()
    top = PAGE_HEIGHT - 11 * mm
    draw_text(canv, MARGIN, top, furniture.title, 9, bold=True)
    draw_text(canv, PAGE_WIDTH / 2, top, furniture.study, 8, align="center")
    draw_text(canv, PAGE_WIDTH - MARGIN, top, furniture.tag, 9, bold=True, align="right")
    canv.setStrokeColor(GRID)
    canv.setLineWidth(0.5)
    canv.line(MARGIN, top - 2.5 * mm, PAGE_WIDTH - MARGIN, top - 2.5 * mm)
    bottom = 9 * mm
    canv.line(MARGIN, bottom + 3.5 * mm, PAGE_WIDTH - MARGIN, bottom + 3.5 * mm)
    draw_text(canv, MARGIN, bottom, furniture.footer, 7, color=MUTED)
    draw_text(canv, PAGE_WIDTH - MARGIN, bottom, f"Page {number} of {total}", 8, align="right")
    canv.restoreState()
