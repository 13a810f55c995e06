"""Drawing mixed Latin/Chinese text: many strings as one PDF text object (`TextOps`), one line on a canvas
(`draw_text`), and `MixedText`, a light table-cell flowable (Paragraph markup would cost several times
more per cell). Fonts, runs and line wrapping are in `ecrf.export.pdf.fonts`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from reportlab.lib.colors import Color, toColor
from reportlab.lib.colors import black as BLACK
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ecrf.export.pdf.fonts import (
    CJK,
    LATIN,
    LATIN_BOLD,
    LEADING,
    Line,
    Segment,
    has_cjk,
    runs,
    text_width,
    tt_font,
    wrap_lines,
)

Compiled = tuple[str, str, str]  # first font, operators after its Tf, last font


class TextOps:
    """PDF text operators for many strings at once, emitted as one text object.

    reportlab's drawString builds a text object per string; a casebook has ~7,000 table cells a
    subject, and that alone took most of the build time. Here a whole table's text is one
    `q BT ... ET Q` block (q/Q keep the canvas's own idea of the current font and colour true).
    """

    def __init__(self, canv: Canvas) -> None:
        # the PDF document whose font subsets the names refer to
        self._doc = canv._doc  # type: ignore[attr-defined]  # reportlab internal, not in its stubs
        self._ops: list[str] = []
        self._font = ""
        self._size = 0.0
        self._color: object = None
        known = _document_text(self._doc)
        self._cache, self._cells, self._names = known.encoded, known.cells, known.names

    def line(self, x: float, y: float, segments: Line | tuple[tuple[bool, str, float], ...], size: float,
             bold: bool = False, color: object = None) -> None:
        """One line of text, its baseline starting at (x, y); segments follow each other as drawn. `color` None
        keeps the colour set before."""
        line = list(segments)
        self.block(f"1 0 0 1 {x:.2f} {y:.2f} Tm", ("line", tuple(line), size, bold), [line], size, bold, 0.0,
                   self._color if color is None else color)

    def cell(self, position: str, text: str, size: float, bold: bool, leading: float, color: object) -> None:
        """A plain table cell: `text`'s lines (split at '\\n'), the first baseline at `position` (a Tm operator,
        formatted by the caller once per column and row). A cell's operators are built once per document and
        text (labels and codes come back on every page)."""
        key = (text, size, bold, leading)
        compiled = self._cells.get(key)
        if compiled is None:
            if text.isascii() and text.isprintable():  # one line of plain ASCII: the commonest cell
                name = self._name(tt_font(LATIN_BOLD if bold else LATIN), 0)
                compiled = (name, f"({text.translate(_ESCAPES)}) Tj", name)
            else:
                compiled = self._compile(_split(text), size, bold, leading)
            self._cells[key] = compiled
        self._place(position, compiled, size, color)

    def block(self, position: str, key: tuple[object, ...], lines: Sequence[Line], size: float, bold: bool,
              leading: float, color: object) -> None:
        """Lines wrapped already (a `MixedText`), compiled once per document under `key`, as `cell` does."""
        compiled = self._cells.get(key)
        if compiled is None:
            compiled = self._cells[key] = self._compile([[(cjk, seg) for cjk, seg, _ in line] for line in lines],
                                                        size, bold, leading)
        self._place(position, compiled, size, color)

    def _place(self, position: str, compiled: Compiled, size: float, color: object) -> None:
        first, body, last = compiled
        if not body:
            return
        ops = self._ops
        if color is not self._color:
            ops.append(_rgb(color))
            self._color = color
        ops.append(position)
        if first != self._font or size != self._size:
            ops.append(f"{first} {size:g} Tf")
        ops.append(body)
        self._font, self._size = last, size

    def _compile(self, lines: Iterable[Iterable[Segment]], size: float, bold: bool, leading: float) -> Compiled:
        """(first font, operators after the first Tf, last font) of lines of text; each line below the first
        is moved to with Td, relative to the line before."""
        latin = LATIN_BOLD if bold else LATIN
        ops: list[str] = []
        first = font = ""
        down = 0.0  # from the last line drawn to the next
        for segments in lines:
            for cjk, seg in segments:
                if down:  # the first segment of a line below the first (or below empty lines)
                    ops.append(f"0 {-down:.2f} Td")
                    down = 0.0
                for name, escaped in self._pieces(CJK if cjk else latin, seg):
                    if not first:
                        first = font = name
                    elif name != font:
                        ops.append(f"{name} {size:g} Tf")
                        font = name
                    ops.append(f"({escaped}) Tj")
            down += leading
        return first, " ".join(ops), font

    def _pieces(self, font_name: str, seg: str) -> list[tuple[str, str]]:
        """(PDF font name, escaped string) pieces of `seg` in this document's subsets of the font. Cached per
        document: the same labels come back on every page, and encoding goes character by character."""
        key = (font_name, seg)
        pieces = self._cache.get(key)
        if pieces is None:
            pieces = self._cache[key] = self._encoded(font_name, seg)
        return pieces

    def _encoded(self, font_name: str, seg: str) -> list[tuple[str, str]]:
        """`seg` in this document's subsets of the font. Printable ASCII has its own codes in a TrueType font's
        first subset (asciiReadable, checked in register_fonts); only the other runs ('→', '°', Chinese) go
        through reportlab's character-by-character encoder (in order, so they get the codes it would give
        them). Neighbouring pieces in the same subset are joined, as reportlab's encoder does."""
        font, doc, latin = tt_font(font_name), self._doc, font_name != CJK
        out: list[tuple[str, str]] = []
        for run in _ASCII_RUNS.findall(seg) if latin else (seg,):
            if latin and " " <= run[0] <= "~":
                found = [(self._name(font, 0), run.translate(_ESCAPES))]
            elif latin and run != seg:
                found = self._pieces(font_name, run)  # '→', '°' come back in many strings: encoded once
            else:
                found = [(self._name(font, subset), _escape(data)) for subset, data in font.splitString(run, doc)]
            for name, escaped in found:
                if out and out[-1][0] == name:
                    out[-1] = (name, out[-1][1] + escaped)
                else:
                    out.append((name, escaped))
        return out

    def _name(self, font: TTFont, subset: int) -> str:
        """The PDF name of a subset in this document: asked of reportlab once (which adds the font to the
        document then), then remembered (reportlab looks its state up in a weak dictionary each time)."""
        key = (font.fontName, subset)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = font.getSubsetInternalName(subset, self._doc)
        return name

    def flush(self, canv: Canvas) -> None:
        if self._ops:
            canv.addLiteral("q BT " + " ".join(self._ops) + " ET Q")
            self._ops.clear()
            self._font, self._size, self._color = "", 0.0, None


class _DocumentText:
    """What one PDF document has encoded so far (subsets differ between documents): strings, compiled cells
    (`TextOps.cell`, `TextOps.block`) and subset names. Kept on reportlab's document."""

    def __init__(self) -> None:
        self.encoded: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.cells: dict[tuple[object, ...], Compiled] = {}
        self.names: dict[tuple[str, int], str] = {}


def _document_text(doc: object) -> _DocumentText:
    known: _DocumentText | None = getattr(doc, "_ecrf_text", None)
    if known is None:
        known = _DocumentText()
        setattr(doc, "_ecrf_text", known)  # noqa: B010 - reportlab's document has no slot for it
    return known


def _split(text: str) -> list[list[Segment]]:
    """The lines of a plain cell, each cut into its font runs."""
    return [runs(line) if has_cjk(line) else [(False, line)] if line else [] for line in text.split("\n")]


_ASCII_RUNS = re.compile(r"[ -~]+|[^ -~]+")  # printable ASCII (its own codes in subset 0), and the rest

# PDF string escapes for each byte: backslash, parentheses, and octal for anything not printable ASCII
_ESCAPES = {c: f"\\{c:03o}" if c < 32 or c >= 127 else "\\" + chr(c) if chr(c) in "\\()" else chr(c)
            for c in range(256)}


def _escape(data: bytes) -> str:
    return data.decode("latin-1").translate(_ESCAPES)


@lru_cache(maxsize=64)
def _rgb(color: object) -> str:
    """The fill-colour operator; table styles may give a colour by name ('black')."""
    c = color if isinstance(color, Color) else toColor(color)  # type: ignore[arg-type]  # toColor checks it
    return f"{c.red:.3f} {c.green:.3f} {c.blue:.3f} rg"


def place(text: str) -> Line:
    """One unwrapped line of mixed text."""
    return [(cjk, seg, 0.0) for cjk, seg in runs(text)]


def draw_text(canv: Canvas, x: float, y: float, text: str, size: float, *, bold: bool = False,
              align: str = "left", color: object = None) -> None:
    """One line of mixed text on the canvas (page headers and footers)."""
    if align != "left":
        w = text_width(text, size, bold)
        x -= w if align == "right" else w / 2
    ops = TextOps(canv)
    ops.line(x, y, place(text), size, bold, color)
    ops.flush(canv)


class MixedText(Flowable):
    """Wrapped text in the Latin + the CJK font; its first baseline sits where a plain table cell's would."""

    def __init__(self, text: str, size: float, *, bold: bool = False, color: object = None) -> None:
        super().__init__()
        self.text, self.size, self.bold, self.color = text, size, bold, color
        self._lines: tuple[Line, ...] = ()
        self._for_width = -1.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width != self._for_width:
            self._lines = wrap_lines(self.text, avail_width, self.size, self.bold)
            self._for_width = avail_width
        self.width, self.height = avail_width, len(self._lines) * self.size * LEADING
        return self.width, self.height

    def draw(self) -> None:
        ops = TextOps(self.canv)
        self.emit(ops, 0, self.height, BLACK)
        ops.flush(self.canv)

    def emit(self, ops: TextOps, x: float, top: float, color: object = None) -> None:
        """Add the lines to `ops`, the first baseline one font size below `top`; `color` unless it has its own."""
        ops.block(f"1 0 0 1 {x:.2f} {top - self.size:.2f} Tm", ("wrapped", self.text, self.size, self.bold,
                                                                   self._for_width),
                  self._lines, self.size, self.bold, self.size * LEADING, self.color or color)
