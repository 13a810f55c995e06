"""Drawing mixed Latin/Chinese text: many strings as one PDF text object (`TextOps`), one line on a canvas
(`draw_text`), and `MixedText`, a light table-cell flowable (Paragraph markup would cost several times
more per cell). Fonts, runs and line wrapping are in `ecrf.export.pdf.fonts`.
"""
from __future__ import annotations

from functools import lru_cache

from reportlab.lib.colors import Color, toColor
from reportlab.lib.colors import black as BLACK
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import unicode2T1
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ecrf.export.pdf.fonts import CJK, LATIN, LATIN_BOLD, LEADING, Line, runs, text_width, wrap_lines


class TextOps:
    """PDF text operators for many strings at once, emitted as one text object.

    reportlab's drawString builds a text object per string; a casebook has ~7,000 table cells a
    subject, and that alone took most of the build time. Here a whole table's text is one
    `q BT ... ET Q` block (q/Q keep the canvas's own idea of the current font and colour true).
    """

    def __init__(self, canv: Canvas) -> None:
        # the PDF document whose font subsets the names refer to (reportlab internal, not in its stubs)
        self._doc = canv._doc  # type: ignore[attr-defined]
        self._ops: list[str] = []
        self._font = ""
        self._size = 0.0
        self._color: object = None
        self._names: dict[str, str] = {}

    def line(self, x: float, y: float, segments: Line | tuple[tuple[bool, str, float], ...], size: float,
             bold: bool = False, color: object = None) -> None:
        """One line of text, its baseline starting at (x, y); segments follow each other as drawn."""
        ops = self._ops
        if color is not None and color is not self._color:
            ops.append(_rgb(color))
            self._color = color
        ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        for cjk, seg, _ in segments:
            if not cjk:
                try:  # the common case: all in Helvetica's own encoding
                    self._show(self._name(LATIN_BOLD if bold else LATIN), size, _escape(seg.encode("winansi")))
                    continue
                except UnicodeEncodeError:
                    pass
            for name, escaped in self._cjk_pieces(seg) if cjk else self._latin_pieces(seg, bold):
                self._show(name, size, escaped)

    def _show(self, name: str, size: float, escaped: str) -> None:
        if name != self._font or size != self._size:
            self._ops.append(f"{name} {size:g} Tf")
            self._font, self._size = name, size
        self._ops.append(f"({escaped}) Tj")

    def _latin_pieces(self, seg: str, bold: bool) -> list[tuple[str, str]]:
        """(PDF font name, escaped string) pieces: Helvetica's encoding, then Symbol for α, ≤, → ..."""
        font = pdfmetrics.getFont(LATIN_BOLD if bold else LATIN)
        return [(self._name(f.fontName), _escape(data)) for f, data in unicode2T1(seg, [font, *font.substitutionFonts])]

    def _cjk_pieces(self, seg: str) -> list[tuple[str, str]]:
        font = pdfmetrics.getFont(CJK)  # a TTFont; the stubs type getFont as the base Font
        return [(font.getSubsetInternalName(subset, self._doc), _escape(data))  # type: ignore[attr-defined]
                for subset, data in font.splitString(seg, self._doc)]  # type: ignore[attr-defined]

    def _name(self, font_name: str) -> str:
        name = self._names.get(font_name)
        if name is None:
            name = self._names[font_name] = self._doc.getInternalFontName(font_name)
        return name

    def flush(self, canv: Canvas) -> None:
        if self._ops:
            canv.addLiteral("q BT " + " ".join(self._ops) + " ET Q")
            self._ops.clear()
            self._font, self._size, self._color = "", 0.0, None


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
    """Wrapped text in Helvetica + the CJK font; its first baseline sits where a plain table cell's would."""

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
        y = top - self.size
        for line in self._lines:
            ops.line(x, y, line, self.size, self.bold, self.color or color)
            y -= self.size * LEADING
