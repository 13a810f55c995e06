"""Fonts of the bundle PDFs: Latin in DejaVu Sans Condensed, Chinese in the bundled CJK font, nothing drawn as tofu."""
from __future__ import annotations

from ecrf.export.pdf.fonts import has_cjk, register_fonts, runs, text_width, wrap_lines
from ecrf.study.model import Text


def _texts(obj: object, seen: set[int] | None = None) -> list[str]:
    """Every string of every Text in the study definition."""
    seen = set() if seen is None else seen
    if id(obj) in seen or isinstance(obj, (str, int, float, bytes)) or obj is None:
        return []
    seen.add(id(obj))
    if isinstance(obj, Text):
        return [value for _, value in obj.values]
    if isinstance(obj, dict) or hasattr(obj, "values") and callable(getattr(obj, "items", None)):
        return [t for v in obj.values() for t in _texts(v, seen)]  # type: ignore[attr-defined]
    if isinstance(obj, (list, tuple)):
        return [t for v in obj for t in _texts(v, seen)]
    fields = getattr(obj, "__dataclass_fields__", None)
    return [t for name in fields or () for t in _texts(getattr(obj, name), seen)]


def test_every_character_of_the_definition_has_a_glyph(study) -> None:  # type: ignore[no-untyped-def]
    register_fonts()
    from ecrf.export.pdf import fonts as pdf_fonts

    texts = _texts(study)
    assert len(texts) > 500
    missing = set()
    for text in texts:
        for cjk, segment in runs(text):
            chars = pdf_fonts._cjk_chars if cjk else pdf_fonts._latin_chars
            missing.update(ch for ch in segment if ord(ch) not in chars and not ch.isspace())
    assert not missing, f"no font draws {sorted(missing)}"


def test_runs_split_latin_and_chinese() -> None:
    register_fonts()
    assert runs("CD4+ T细胞 (α)") == [(False, "CD4+ T"), (True, "细胞"), (False, " (α)")]
    assert has_cjk("体温") and not has_cjk("Temperature ≤ 37 °C")


def test_wrapping_keeps_lines_in_width_and_cuts_long_words() -> None:
    register_fonts()
    text = "间充质干细胞治疗新型冠状病毒肺炎（COVID-19）患者的安全性和有效性研究 " + "X" * 80
    lines = wrap_lines(text, 100, 8)
    assert len(lines) > 3
    for line in lines:
        drawn = "".join(segment for _, segment, _ in line).rstrip()
        assert text_width(drawn, 8) <= 100.5
    assert "".join(s for line in lines for _, s, _ in line).replace(" ", "") == text.replace(" ", "")
