"""Table text as the PDFs draw it: each cell's operators are compiled once per document and placed with one Tm,
lines below the first moved to with Td. What a reader extracts must stay where the layout put it."""
from __future__ import annotations

import io

from pypdf import PdfReader

from ecrf.export.pdf.fonts import LEADING
from ecrf.export.pdf.style import BODY, Furniture, Metadata, build_pdf, cell, columns, table


def _placed(pdf: bytes) -> dict[str, float]:
    """Each drawn string of the first page → the y of its baseline."""
    found: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found[text.strip()] = round(tm[5] * cm[3] + cm[5], 1)

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def _pdf(rows: list[list[object]]) -> bytes:
    widths = columns(1, 1, 1)
    return build_pdf([table([[cell(str(v), w) if isinstance(v, str) else v for v, w in zip(row, widths, strict=True)]
                             for row in rows], widths)],
                     Furniture("T", "Study T", "tag", "footer"), Metadata("Title", "A", "S", "ecrf"))


def test_lines_of_a_cell_step_down_by_the_leading_and_an_empty_first_line_is_kept() -> None:
    placed = _placed(_pdf([["Head A", "Head B", "Head C"], ["first\nsecond", "\nlower", "alone"]]))
    leading = BODY * LEADING
    assert abs(placed["first"] - placed["second"] - leading) < 0.1
    assert abs(placed["lower"] - placed["second"]) < 0.1  # drawn on the second line, as the empty line asks
    assert abs(placed["alone"] - placed["first"]) < 0.1


def test_the_same_cell_text_in_two_rows_is_drawn_in_each() -> None:
    pdf = _pdf([["Head A", "Head B", "Head C"], ["same", "x1", "37.5 °C → 38.0"], ["same", "x2", "体温 Temperature"]])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert text.count("same") == 2
    assert "37.5 °C → 38.0" in text
    assert "体温" in text and "Temperature" in text
