"""The merge report as a PDF: the same document as the HTML page, laid out with the bundle PDFs' page template,
fonts (Chinese included) and tables (`ecrf.export.pdf.style`): A4, header, "Page x of y" footer. The charts are
the very Drawings the HTML page shows as SVG."""
from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, String, UserNode
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from ecrf import __version__
from ecrf.export.pdf.fonts import LATIN, LATIN_BOLD, register_fonts
from ecrf.export.pdf.style import (
    BODY,
    REMOVED,
    Furniture,
    Metadata,
    build_pdf,
    cell,
    columns,
    heading,
    note,
    table,
)
from ecrf.export.pdf.text import MixedText
from ecrf.merge.report.doc import Block, Chart, Document, Grid, Section, Text

TEXT_SIZE = 8.5


def report_pdf(document: Document, study_oid: str) -> bytes:
    furniture = Furniture(title="Merge report", study=f"Study {study_oid}", tag="Sponsor", footer=document.footer)
    meta = Metadata(title=document.title, author="ecrf merge", subject=document.subtitle,
                    creator=f"ecrf {__version__}")
    flowables: list[Flowable] = [MixedText(document.title, 16, bold=True), Spacer(1, 3),
                                 MixedText(document.subtitle, 10), Spacer(1, 4)]
    for section in document.sections:
        flowables += heading(section.title, 13, space_before=10, keep=_keep(section))
        for block in section.blocks:
            flowables += _block(block)
    return build_pdf(flowables, furniture, meta)


def _keep(section: Section) -> float:
    """Room a section heading needs below it: with a chart right after the intro, the chart's too, so the
    heading never ends a page with its chart on the next."""
    charts = [b for b in section.blocks[:2] if isinstance(b, Chart)]
    return charts[0].drawing.height + 70 if charts else 72


def _block(block: Block) -> list[Flowable]:
    if isinstance(block, Text):
        return [_text(block), Spacer(1, 3)]
    if isinstance(block, Grid):
        return [_grid(block), Spacer(1, 6)]
    return _chart(block)


def _text(block: Text) -> Flowable:
    if block.tone == "alarm":
        return MixedText(block.text, TEXT_SIZE + 1, bold=True, color=REMOVED)
    if block.tone == "note":
        return note(block.text, BODY)
    return MixedText(block.text, TEXT_SIZE)


def _grid(grid: Grid) -> Flowable:
    if not grid.rows:
        return note(grid.empty)
    widths = columns(*grid.widths)
    rows: list[list[object]] = [[cell(h, w, bold=True) for h, w in zip(grid.header, widths, strict=True)]]
    rows += [[cell(text, w) for text, w in zip(row, widths, strict=True)] for row in grid.rows]
    return table(rows, widths, row_colors={i + 1: REMOVED for i in grid.alarm_rows})


def _chart(chart: Chart) -> list[Flowable]:
    """Title and drawing kept on one page, the table right after."""
    drawing = _with_embedded_fonts(chart.drawing)  # charts.WIDTH fits CONTENT_WIDTH: placed at its own size
    title = MixedText(chart.title, 9.5, bold=True)
    return [CondPageBreak(drawing.height + 40), KeepTogether([title, Spacer(1, 2), drawing]),
            Spacer(1, 4), _grid(chart.table), Spacer(1, 8)]


def _with_embedded_fonts(drawing: Drawing) -> Drawing:
    """The chart with its text in the PDFs' embedded Latin font. The charts name Helvetica (right for the HTML
    page's SVG), which a PDF only refers to and does not carry; the widgets become plain shapes first, so that
    every label is a String whose font can be set."""
    register_fonts()
    expanded = drawing.expandUserNodes()  # a copy: the HTML page's drawing keeps its fonts
    expanded.initialFontName = LATIN  # type: ignore[attr-defined]  # the renderer starts in this font (not in the stubs)
    _set_fonts(expanded)
    return expanded


def _set_fonts(group: Group) -> None:
    for index, node in enumerate(group.contents):
        while isinstance(node, UserNode):  # a widget's shapes may hold widgets again (a chart's axes, labels)
            node = group.contents[index] = node.provideNode()
        if isinstance(node, String):
            node.fontName = LATIN_BOLD if "Bold" in node.fontName else LATIN
        elif isinstance(node, Group):
            _set_fonts(node)
