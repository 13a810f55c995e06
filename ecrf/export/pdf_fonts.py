"""Fonts of the bundle PDFs: Helvetica for Latin text, the bundled Droid Sans Fallback for Chinese.

Droid Sans Fallback has no Latin glyphs, so text is split into runs: characters Helvetica (or, through
reportlab's own substitution, Symbol: α, ≤, →) can show stay Latin, the rest goes to the CJK font.
The CJK font is a TrueType font that reportlab embeds as a subset of the glyphs each PDF uses, with a
ToUnicode map, so the Chinese text can be searched and extracted. `MixedText` is a light table-cell
flowable for text that mixes both (Paragraph markup would cost several times more per cell).
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.colors import Color, toColor
from reportlab.lib.colors import black as BLACK
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import unicode2T1
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ecrf.paths import resource_path

LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
CJK = "ecrf-DroidSansFallback"
CJK_FILE = ("fonts", "DroidSansFallback.ttf")
LEADING = 1.22  # line height as a multiple of the font size

_lock = threading.Lock()
_cjk_chars: frozenset[int] = frozenset()
_kind_cache: dict[str, bool] = {}  # character → drawn with the CJK font
NO_BREAK_BEFORE = frozenset("）)」』】，。、；：！？,.;:!?")  # closing marks stay on the line they close
_TOKENS = re.compile(r"\S+\s*|\s+")

Segment = tuple[bool, str]  # (CJK font?, text)
Line = list[tuple[bool, str, float]]  # segments with their x offset


def register_fonts() -> None:
    """Register the CJK font once per process (parsing the 3 MB file takes ~0.1 s)."""
    global _cjk_chars
    if _cjk_chars:
        return
    with _lock:
        if not _cjk_chars:
            # Binary (Flate only) streams: ASCII85 on top makes files 25 % larger and, in pure Python,
            # took an eighth of the build time. Every PDF reader handles binary streams.
            rl_config.useA85 = 0
            font = TTFont(CJK, str(resource_path(*CJK_FILE)))
            pdfmetrics.registerFont(font)
            _cjk_chars = frozenset(font.face.charToGlyph)


def _latin_can_show(ch: str) -> bool:
    for codec in ("winansi", "symbol"):  # Helvetica's own encoding, then its Symbol substitute
        try:
            ch.encode(codec)
            return True
        except UnicodeEncodeError:
            continue
    return False


def is_cjk_char(ch: str) -> bool:
    kind = _kind_cache.get(ch)
    if kind is None:
        register_fonts()  # the answer depends on the font's character map
        kind = not _latin_can_show(ch) and ord(ch) in _cjk_chars
        _kind_cache[ch] = kind
    return kind


@lru_cache(maxsize=16384)
def has_cjk(text: str) -> bool:
    return not text.isascii() and any(is_cjk_char(ch) for ch in text)


def runs(text: str) -> list[Segment]:
    """The text cut where the font changes."""
    if text.isascii():
        return [(False, text)]
    out: list[Segment] = []
    start, current = 0, is_cjk_char(text[0]) if text else False
    for i, ch in enumerate(text):
        kind = is_cjk_char(ch)
        if kind != current:
            out.append((current, text[start:i]))
            start, current = i, kind
    out.append((current, text[start:]))
    return out


def font_of(cjk: bool, bold: bool = False) -> str:
    return CJK if cjk else (LATIN_BOLD if bold else LATIN)


def text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(pdfmetrics.stringWidth(seg, font_of(cjk, bold), size) for cjk, seg in runs(text))


def _tokens(text: str, size: float, bold: bool) -> Iterator[tuple[bool, str, float]]:
    """Break opportunities: Latin words with their trailing spaces, each CJK character."""
    for cjk, seg in runs(text):
        font = font_of(cjk, bold)
        for token in (seg if cjk else _TOKENS.findall(seg)):
            yield cjk, token, pdfmetrics.stringWidth(token, font, size)


@lru_cache(maxsize=8192)
def wrap_lines(text: str, width: float, size: float, bold: bool = False) -> tuple[Line, ...]:
    """Greedy line breaking of mixed text; '\\n' forces a break, a word wider than the line is cut.
    Cached: the same labels come back on every visit of every subject."""
    lines: list[Line] = []
    for paragraph in text.split("\n"):
        line: Line = []
        x = 0.0
        for cjk, token, w in _tokens(paragraph, size, bold):
            if line and x + w - _trailing_space(token, size, bold) > width and token not in NO_BREAK_BEFORE:
                lines.append(line)
                line, x = [], 0.0
                token = token.lstrip()
                w = pdfmetrics.stringWidth(token, font_of(cjk, bold), size)
            if not token:
                continue
            if w > width and not cjk:
                for part in _cut(token, width, size, bold)[:-1]:
                    lines.append([(False, part, 0.0)])
                token = _cut(token, width, size, bold)[-1]
                w = pdfmetrics.stringWidth(token, font_of(cjk, bold), size)
            if line and line[-1][0] == cjk:
                last = line[-1]
                line[-1] = (cjk, last[1] + token, last[2])
            else:
                line.append((cjk, token, x))
            x += w
        lines.append(line)
    return tuple(lines)


def _trailing_space(token: str, size: float, bold: bool) -> float:
    spaces = len(token) - len(token.rstrip())
    return pdfmetrics.stringWidth(" ", font_of(False, bold), size) * spaces if spaces else 0.0


def _cut(word: str, width: float, size: float, bold: bool) -> list[str]:
    parts, current = [], ""
    for ch in word:
        if current and pdfmetrics.stringWidth(current + ch, font_of(False, bold), size) > width:
            parts.append(current)
            current = ""
        current += ch
    return [*parts, current]


class TextOps:
    """PDF text operators for many strings at once, emitted as one text object.

    reportlab's drawString builds a text object per string; a casebook has ~7,000 table cells a
    subject, and that alone took most of the build time. Here a whole table's text is one
    `q BT ... ET Q` block (q/Q keep the canvas's own idea of the current font and colour true).
    """

    def __init__(self, canv: Canvas) -> None:
        self._doc = canv._doc  # the PDF document whose font subsets the names refer to
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
        font = pdfmetrics.getFont(CJK)
        return [(font.getSubsetInternalName(subset, self._doc), _escape(data))
                for subset, data in font.splitString(seg, self._doc)]

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
    c = color if isinstance(color, Color) else toColor(color)
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
