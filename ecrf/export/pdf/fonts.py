"""Fonts of the bundle PDFs, all embedded (PDF/A-style long-term archiving needs every font inside the file):
DejaVu Sans Condensed for Latin text (close to Helvetica's widths; it also has α, ≤, → ...), the bundled
Droid Sans Fallback for Chinese.

Droid Sans Fallback has no Latin glyphs, so text is split into runs: characters the Latin font has stay
Latin, the rest goes to the CJK font. Both are TrueType fonts that reportlab embeds as a subset of the
glyphs each PDF uses, with a ToUnicode map, so the text can be searched and extracted. `MixedText` is a
light table-cell flowable for text that mixes both, is in `ecrf.export.pdf.text`.
"""
from __future__ import annotations

import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from functools import lru_cache
from itertools import repeat

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ecrf.paths import resource_path

LATIN = "ecrf-DejaVuSansCondensed"
LATIN_BOLD = "ecrf-DejaVuSansCondensed-Bold"
CJK = "ecrf-DroidSansFallback"
FONT_FILES = {LATIN: "DejaVuSansCondensed.ttf", LATIN_BOLD: "DejaVuSansCondensed-Bold.ttf",
              CJK: "DroidSansFallback.ttf"}  # in resources/fonts
LEADING = 1.22  # line height as a multiple of the font size
SUBSETS_KEPT = 8  # glyph subsets kept per font (a few hundred kB each at most)

_lock = threading.Lock()
_cjk_chars: frozenset[int] = frozenset()
_latin_chars: frozenset[int] = frozenset()
_kind_cache: dict[str, bool] = {}  # character → drawn with the CJK font
NO_BREAK_BEFORE = frozenset("）)」』】，。、；：！？,.;:!?")  # closing marks stay on the line they close
_TOKENS = re.compile(r"\S+\s*|\s+")

Segment = tuple[bool, str]  # (CJK font?, text)
Line = list[tuple[bool, str, float]]  # segments with their x offset


def register_fonts() -> None:
    """Register the fonts once per process (parsing the files takes ~0.2 s)."""
    global _cjk_chars, _latin_chars
    if _cjk_chars:
        return
    with _lock:
        if not _cjk_chars:
            # Binary (Flate only) streams: ASCII85 on top makes files 25 % larger and, in pure Python,
            # took an eighth of the build time. Every PDF reader handles binary streams.
            rl_config.useA85 = 0
            # asciiReadable: ASCII keeps its own codes in the first subset (`TextOps` relies on it)
            fonts = {name: TTFont(name, str(resource_path("fonts", file)), asciiReadable=1)
                     for name, file in FONT_FILES.items()}
            for font in fonts.values():
                _reuse_subsets(font)
                pdfmetrics.registerFont(font)
            pdfdoc.PDFZCompress = _SubsetsCompressedOnce()
            # a PDF name is escaped character by character, for every key of every dictionary (~4 % of a
            # casebook): the same few hundred names each time
            pdfdoc.PDFName = lru_cache(maxsize=4096)(pdfdoc.PDFName)
            _latin_chars = frozenset(fonts[LATIN].face.charToGlyph) & frozenset(fonts[LATIN_BOLD].face.charToGlyph)
            _cjk_chars = frozenset(fonts[CJK].face.charToGlyph)


def _reuse_subsets(font: TTFont) -> None:
    """Build each glyph subset once per process: casebooks of one export mostly use the same characters
    (labels, codes, names), and reportlab rebuilds the subset for every PDF (~15 % of a casebook's layout).
    The bytes are the same either way: a subset depends only on the font and its characters."""
    build = font.face.makeSubset

    @lru_cache(maxsize=SUBSETS_KEPT)
    def cached(subset: tuple[int, ...]) -> bytes:
        return build(list(subset))

    font.face.makeSubset = lambda subset: cached(tuple(subset))  # type: ignore[method-assign]  # see docstring


class _SubsetsCompressedOnce(pdfdoc.PDFStreamFilterZCompress):
    """reportlab's Flate filter, which compresses each embedded glyph subset once per process: `_reuse_subsets`
    hands the same subset to most PDFs of an export, and compressing it again took ~5 % of a casebook. Page
    contents (never the same twice) are compressed as before. Same bytes either way."""

    def __init__(self) -> None:
        self._fonts: OrderedDict[bytes, bytes] = OrderedDict()

    def encode(self, text: str | bytes) -> bytes:
        if isinstance(text, bytes) and text[:4] == _TRUETYPE:
            packed = self._fonts.get(text)
            if packed is None:
                packed = self._fonts[text] = zlib.compress(text)
                if len(self._fonts) > SUBSETS_KEPT * len(FONT_FILES):
                    self._fonts.popitem(last=False)
            return packed
        return super().encode(text)


_TRUETYPE = b"\x00\x01\x00\x00"  # what a TrueType font file (a subset too) starts with


def tt_font(font_name: str) -> TTFont:
    """A font `register_fonts` registered: all TrueType, though the stubs type `pdfmetrics.getFont` as the base Font."""
    font = pdfmetrics.getFont(font_name)
    assert isinstance(font, TTFont)
    return font


def _latin_can_show(ch: str) -> bool:
    return ord(ch) in _latin_chars


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


@lru_cache(maxsize=8)
def _advances(font_name: str) -> tuple[dict[str, float], float]:
    """Each character's advance width (1/1000 em) in the registered font, keyed by the character."""
    register_fonts()
    face = tt_font(font_name).face
    return {chr(code): width for code, width in face.charWidths.items()}, face.defaultWidth


def string_width(text: str, font_name: str, size: float) -> float:
    """`pdfmetrics.stringWidth` to the last bit (same widths, summed in the same order), in a C loop: without
    reportlab's C accelerator its own walks the text in Python, and the casebooks measure ~1 million characters."""
    widths, default = _advances(font_name)
    return 0.001 * size * sum(map(widths.get, text, repeat(default)))


def text_width(text: str, size: float, bold: bool = False) -> float:
    register_fonts()
    return sum(string_width(seg, font_of(cjk, bold), size) for cjk, seg in runs(text))


def _tokens(text: str, size: float, bold: bool) -> Iterator[tuple[bool, str, float]]:
    """Break opportunities: Latin words with their trailing spaces, each CJK character."""
    register_fonts()
    for cjk, seg in runs(text):
        font = font_of(cjk, bold)
        for token in (seg if cjk else _TOKENS.findall(seg)):
            yield cjk, token, string_width(token, font, size)


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
                w = string_width(token, font_of(cjk, bold), size)
            if not token:
                continue
            if w > width and not cjk:
                for part in _cut(token, width, size, bold)[:-1]:
                    lines.append([(False, part, 0.0)])
                token = _cut(token, width, size, bold)[-1]
                w = string_width(token, font_of(cjk, bold), size)
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
    return string_width(" ", font_of(False, bold), size) * spaces if spaces else 0.0


def _cut(word: str, width: float, size: float, bold: bool) -> list[str]:
    """`word` in pieces no wider than `width` (each at least one character)."""
    widths, default = _advances(font_of(False, bold))
    scale = 0.001 * size
    parts: list[str] = []
    current, total = "", 0.0  # total: the advances of `current` summed in order, as string_width sums them
    for ch in word:
        advance = widths.get(ch, default)
        if current and scale * (total + advance) > width:
            parts.append(current)
            current, total = "", 0.0
        current += ch
        total += advance
    return [*parts, current]
