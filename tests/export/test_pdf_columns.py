"""No table text runs into the next column: every line of every cell of a casebook and of the blank CRF fits
its column, Chinese labels (the visit overview's, the items') included."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from reportlab.platypus import Flowable, Table

from ecrf.export.pdf.blank_crf import form_blocks, forms_in_order, schedule, title_page
from ecrf.export.pdf.casebook import casebook_flowables
from ecrf.export.pdf.fonts import NO_BREAK_BEFORE, text_width
from ecrf.export.pdf.style import PAD
from ecrf.export.pdf.text import MixedText
from ecrf.export.records import ExportContext
from tests.export.helpers import DemoRecords
from tests.export.monitoring_records import monitored

SLACK = 0.5  # points: rounding of the widths reportlab adds up


def _tables(flowables: list[Flowable]) -> Iterator[Table]:
    for flowable in flowables:
        if isinstance(flowable, Table):
            yield flowable


def overflows(table: Table) -> list[str]:
    """'text (width > room)' for each line wider than its column."""
    found = []
    widths = table._colWidths  # type: ignore[attr-defined]  # reportlab internal, not in its stubs
    styles = table._cellStyles  # type: ignore[attr-defined]
    for row, row_styles in zip(table._cellvalues, styles, strict=True):  # type: ignore[attr-defined]
        for value, style, width in zip(row, row_styles, widths, strict=True):
            room = width - 2 * PAD
            if isinstance(value, str):
                bold = "Bold" in style.fontname
                lines = [(line, text_width(line, style.fontsize, bold)) for line in value.split("\n")]
            elif isinstance(value, MixedText):
                value.wrap(room, 1e6)
                lines = [("".join(seg for _, seg, _ in line), _line_width(line, value)) for line in value._lines]
            else:
                continue
            found += [f"{text!r} ({drawn:.1f} > {room:.1f})" for text, drawn in lines
                      if drawn > room + SLACK and not _hanging(text, room, getattr(value, "size", style.fontsize))]
    return found


def _hanging(text: str, room: float, size: float) -> bool:
    """A closing mark (。，、）…) may hang past the line end, as in Chinese typesetting: it never starts a line,
    and its glyph sits in the left part of its full-width box. The rest of the line must fit."""
    return text[-1:] in NO_BREAK_BEFORE and text_width(text[:-1], size) <= room + SLACK


def _line_width(line: list[tuple[bool, str, float]], text: MixedText) -> float:
    if not line:
        return 0.0
    _, last, offset = line[-1]
    return offset + text_width(last.rstrip(), text.size, text.bold)


@pytest.mark.req("WARD-SPEED-EXPORT-3")
def test_casebook_cells_stay_in_their_columns(export_context: ExportContext, demo_records: DemoRecords) -> None:
    subject = monitored(demo_records.subject("DEMO-001"))
    tables = list(_tables(casebook_flowables(export_context, subject)))
    assert len(tables) > 20
    assert [problem for table in tables for problem in overflows(table)] == []


@pytest.mark.req("WARD-SPEED-EXPORT-3")
def test_blank_crf_cells_stay_in_their_columns(export_context: ExportContext) -> None:
    study = export_context.study
    flowables = title_page(study) + schedule(study)
    flowables += [flowable for form in forms_in_order(study) for flowable in form_blocks(study, form)]
    tables = list(_tables(flowables))
    assert tables
    assert [problem for table in tables for problem in overflows(table)] == []


def test_the_check_sees_a_cell_wider_than_its_column() -> None:
    wide = Table([["第0天（分组日；第1次输注）Day 0 (allocation; infusion 1)"]], colWidths=[40])
    wide._cellStyles[0][0].fontname, wide._cellStyles[0][0].fontsize = "ecrf-DejaVuSansCondensed", 7.5  # type: ignore[attr-defined]
    assert overflows(wide)
