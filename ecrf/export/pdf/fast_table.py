"""`FastTable`: a reportlab Table made for the bundle PDFs' many plain tables (casebooks have ~7,000 cells a
subject): all text as one PDF text object, the row rules as one path, and the set-up and row heights without
reportlab's per-cell generality. The layout is the one reportlab's Table gives: same heights, same breaks.
"""
from __future__ import annotations

from typing import Any, cast

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table
from reportlab.platypus.tables import _calc_pc  # type: ignore[attr-defined]  # internal, not in the stubs

from ecrf.errors import Bug
from ecrf.export.pdf.fonts import LATIN_BOLD
from ecrf.export.pdf.text import MixedText, TextOps

GRID = colors.Color(0.75, 0.75, 0.75)


class FastTable(Table):
    """A Table that writes all its text (plain and MixedText cells) as one PDF text object.
    Cells are top-left aligned, which is all the bundle PDFs use."""

    # What reportlab's Table sets up in its own __init__ and layout and this class reads (internal, not in
    # its stubs). Annotations only: no class attribute is made.
    _argH: list[float | None]
    _argW: list[Any]
    _cellStyles: list[list[Any]]
    _cellvalues: list[list[Any]]
    _colWidths: list[float]
    _linecmds: list[Any]
    _rowHeights: list[Any]  # floats once laid out (None while a row is not measured yet)
    _colpositions: list[float]
    _longTableOptimize: Any
    _minRowHeights: list[float] | None
    _spanCmds: list[Any]

    def draw(self) -> None:
        if self._spanCmds or self._linecmds:
            raise Bug("FastTable draws the tables `style.table` makes: no spans, no line commands")
        self._text = TextOps(self.canv)
        self._draw_cells()
        self._text.flush(self.canv)
        self._rules()

    def _draw_cells(self) -> None:
        """reportlab's `Table.draw` for the tables `style.table` makes (no spans, no line commands, no
        callbacks), with plain cells sent straight to `TextOps.cell`."""
        canv, text = self.canv, self._text
        canv.saveState()
        self._curweight = self._curcolor = self._curcellstyle = None  # as reportlab's draw starts
        self._drawBkgrnd()  # type: ignore[attr-defined]  # internal, not in the stubs
        columns = list(zip(self._colpositions, self._colWidths, strict=False))
        lefts: dict[float, str] = {}  # "1 0 0 1 x " of a cell's left edge; the numbers formatted once each
        for values, styles, rowpos, height in zip(self._cellvalues, self._cellStyles, self._rowpositions[1:],
                                                  self._rowHeights, strict=False):
            top = rowpos + height
            baselines: dict[tuple[float, float], str] = {}  # "y Tm" by (top padding, font size)
            for value, style, (colpos, width) in zip(values, styles, columns, strict=False):
                if value.__class__ is str:
                    if value:
                        size, pad, x = style.fontsize, style.topPadding, colpos + style.leftPadding
                        left = lefts.get(x) or lefts.setdefault(x, f"1 0 0 1 {x:.2f} ")
                        baseline = baselines.get((pad, size)) or baselines.setdefault(
                            (pad, size), f"{top - pad - size:.2f} Tm")
                        text.cell(left + baseline, value, size, style.fontname == LATIN_BOLD, style.leading,
                                  style.color)
                else:
                    self._drawCell(value, style, (colpos, rowpos), (width, height))
        canv.restoreState()

    def _rules(self) -> None:
        """A thin rule under every row, as one path (reportlab's LINEBELOW strokes each cell apart)."""
        x0, x1 = self._colpositions[0], self._colpositions[-1]
        rows = self._rowpositions
        path = " ".join(f"{x0:.2f} {y:.2f} m {x1:.2f} {y:.2f} l" for y in rows[1:])
        self.canv.addLiteral(f"q {GRID.red:.3f} {GRID.green:.3f} {GRID.blue:.3f} RG 0.25 w {path} S Q")

    def normalizeData(self, data: Any) -> list[list[Any]]:
        """The cells as given (they are str, '' or flowables already); reportlab's own version converts
        each cell through two function calls, a fifth of the table set-up time."""
        return [list(row) if None not in row else ["" if v is None else v for v in row] for row in data]

    def _calc_height(self, availHeight: float, availWidth: float, H: Any = None, W: Any = None) -> None:
        """Row heights and positions as reportlab's `Table._calc_height` computes them, for the tables the
        bundle PDFs make (no spans) without its per-cell generality: a plain cell is its lines times the
        leading. Rows whose height is given (the parts of a split table) are not measured again; reportlab
        looks for them with `H.index(None)` from the top for every row, quadratic in a long table."""
        if self._spanCmds:
            super()._calc_height(availHeight, availWidth, H, W)  # type: ignore[misc]  # internal, not in the stubs
            return
        given = self._argH
        if None not in given:  # reportlab places every row then, however far past the page they reach
            self._place_rows(cast(list[float], list(given)), len(given))
            return
        widths = W or _calc_pc(self._argW, availWidth)
        heights: list[float | None] = list(given)  # a row not measured yet stays None
        self._rowHeights = heights
        measured: list[float] = []
        minimum = self._minRowHeights
        long_table = self._longTableOptimize
        hmax = len(heights)
        total = 0.0
        for i, (values, styles, height) in enumerate(zip(self._cellvalues, self._cellStyles, given, strict=True)):
            if height is None:
                h = 0.0
                for j, (value, style, width) in enumerate(zip(values, styles, widths, strict=False)):
                    if value.__class__ is str:  # most cells: inline, a call each costs a tenth of the layout
                        t = (style.leading or 1.2 * style.fontsize) * (value.count("\n") + 1)
                    else:
                        t = self._cell_height(values, j, value, style, width)
                    t += style.bottomPadding + style.topPadding
                    if t > h:
                        h = t
                height = heights[i] = max(minimum[i], h) if minimum else h
            measured.append(height)
            total += height
            if long_table and total > availHeight:
                hmax = i + 1  # the rest goes to the next page: measured when it is laid out there
                break
        self._place_rows(measured, hmax)

    def _cell_height(self, values: list[Any], j: int, value: Any, style: Any, width: float) -> float:
        if isinstance(value, str):
            return float((style.leading or 1.2 * style.fontsize) * (value.count("\n") + 1))
        if isinstance(value, (tuple, list, Flowable)):
            value = values[j] = self._cellListProcess(value, width, None)  # type: ignore[attr-defined]  # internal
            canv = getattr(self, "canv", None)
            saved = (canv._fontname, canv._fontsize, canv._leading) if canv else None
            if canv:
                canv._fontname, canv._fontsize = style.fontname, style.fontsize
                canv._leading = style.leading or 1.2 * style.fontsize
            height = self._listCellGeom(value, width, style)[1]  # type: ignore[attr-defined]  # internal
            if canv and saved:
                canv._fontname, canv._fontsize, canv._leading = saved
            return float(height)
        lines = (value is not None and str(value) or "").split("\n")
        return float((style.leading or 1.2 * style.fontsize) * len(lines))

    def _place_rows(self, heights: list[float], hmax: int) -> None:
        """reportlab's row positions (bottom up, with its compensated sum) for the first `hmax` rows."""
        positions: list[float] = []
        height = c = 0.0
        for i in range(hmax - 1, -1, -1):
            positions.append(height)
            y = heights[i] - c
            t = height + y
            c = (t - height) - y
            height = t
        positions.append(height)
        positions.reverse()
        self._rowpositions, self._height, self._hmax = positions, height, hmax

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple[float, float],
                  size: tuple[float, float]) -> None:
        """A cell that is not a plain string (those go straight to `TextOps.cell` in `_draw_cells`)."""
        colpos, rowpos = pos
        top = rowpos + size[1] - cellstyle.topPadding
        x = colpos + cellstyle.leftPadding
        if isinstance(cellval, MixedText):
            cellval.emit(self._text, x, top, cellstyle.color)
        elif isinstance(cellval, (list, tuple)) and all(isinstance(v, MixedText) for v in cellval):
            for flow in cellval:  # reportlab hands a split table's flowable cells over as a tuple
                flow.emit(self._text, x, top, cellstyle.color)
                top -= flow.height
        else:
            super()._drawCell(cellval, cellstyle, pos, size)  # type: ignore[misc]  # internal, not in the stubs
