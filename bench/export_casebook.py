"""Casebook PDFs of the 20-subject demo: pages laid out per second.

Figures (in this process, on export records read from a fresh demo site; quick: one run, else the median
of three): the casebooks of every subject built (`pdf_casebook.casebook_pdf`: content, layout, PDF), and
built and signed (`pdf_sign.sign_pdf`, PAdES). Floor: a plain reportlab document with the same content, in
the same run: every table with the same cell texts and column widths as a standard `Table` (FONT,
LINEBELOW, BACKGROUND style commands, text drawn cell by cell), every text with Chinese as a `Paragraph`
with <font> markup, the same page breaks and the usual two-pass-free "Page x of y" canvas; its content is
prepared before the clock starts, so the floor is reportlab's own cost for these pages. Goal: figure ≥ 0.7
× floor (the ratio column), i.e. the casebook machinery costs at most ~1.4× what reportlab needs anyway.
"""
from __future__ import annotations

import io
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from bench.demo_copy import demo_copy
from bench.result import Result
from bench.scale import Scale
from bench.timing import FORMS_DIR
from bench.unlock import kdf_profile
from ecrf import __version__
from ecrf.export.bundle.identity import new_identity
from ecrf.export.pdf import style as pdf_style
from ecrf.export.pdf.casebook import casebook_flowables, casebook_pdf
from ecrf.export.pdf.fonts import CJK, register_fonts, runs
from ecrf.export.pdf.sign import PdfSigner
from ecrf.export.pdf.text import MixedText
from ecrf.export.records import ExportContext, SubjectRecord
from ecrf.study.loader import load_study

GOAL_RATIO = 0.7


def run(scale: Scale = Scale.FULL) -> list[Result]:
    ctx, subjects = _demo_records(subjects=scale.pick(full=20, quick=20, smoke=2))
    register_fonts()
    registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)  # <b> around Chinese markup
    raw_content = [_plain_content(ctx, s) for s in subjects]  # prepared outside the floor's clock
    build_s, signed_s, floor_s = [], [], []
    pages = raw_pages = 0
    for _ in range(scale.pick(full=3, quick=1, smoke=1)):  # interleaved, so a slow moment of the machine hits all alike
        start = time.perf_counter()
        pdfs = [casebook_pdf(ctx, s) for s in subjects]
        build_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        signer = PdfSigner(ctx.identity)  # one per export, as the casebook part holds it
        for s in subjects:
            signer.sign(casebook_pdf(ctx, s), reason="bench", location="bench")
        signed_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        raw = [_raw_pdf(content, s.label) for content, s in zip(raw_content, subjects, strict=True)]
        floor_s.append(time.perf_counter() - start)
        pages, raw_pages = _pages(pdfs), _pages(raw)
    floor = raw_pages / statistics.median(floor_s)
    goal = f"≥ {GOAL_RATIO:g}× floor"
    built = pages / statistics.median(build_s)
    signed = pages / statistics.median(signed_s)
    name = f"casebooks ({len(subjects)} subjects, {pages} pages)"
    return [Result(f"{name}: build", built, "pages/s", floor, goal, built >= GOAL_RATIO * floor),
            Result(f"{name}: build + PAdES sign", signed, "pages/s", floor, goal, signed >= GOAL_RATIO * floor)]


def _demo_records(subjects: int) -> tuple[ExportContext, list[SubjectRecord]]:
    from ecrf.services import export_records
    from ecrf.services.auth import login

    study = load_study(FORMS_DIR)
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp, kdf_profile("fast"):
        session = login(demo_copy(subjects, Path(tmp)), study, "nurse", "demo-nurse-2020")
        try:
            with session.read() as db:
                site, users = export_records.site_facts(db), export_records.users(db)
                records = list(export_records.iter_subjects(db, study))
        finally:
            session.close()
    identity = new_identity(site.study_oid, site.site_code, site.site_name, datetime.now(UTC))
    ctx = ExportContext(study=study, site=site, users=users, identity=identity, staging=Path(tempfile.gettempdir()),
                        export_seq=1, created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                        app_version=__version__, subject_count=len(records))
    return ctx, records


def _pages(pdfs: list[bytes]) -> int:
    return sum(len(PdfReader(io.BytesIO(pdf)).pages) for pdf in pdfs)


# --- the floor: the same content as a plain reportlab document -------------------------------------------

@dataclass(frozen=True)
class _Text:
    markup: str
    size: float
    space: tuple[float, float]  # before, after


@dataclass(frozen=True)
class _Grid:
    rows: list[list[Any]]
    widths: list[float]
    header: bool


Content = list[Any]  # _Text | _Grid | "page" | ("keep", height)


def _plain_content(ctx: ExportContext, subject: SubjectRecord) -> Content:
    """The casebook's flowables reduced to data: texts (as Paragraph markup) and tables of cell texts."""
    out: Content = []
    for flow in casebook_flowables(ctx, subject):
        if isinstance(flow, MixedText):
            out.append(_text(flow))
        elif isinstance(flow, pdf_style.FastTable):
            rows = [[_cell(v) for v in row] for row in flow._cellvalues]
            out.append(_Grid(rows, list(flow._argW), header=flow.repeatRows == 1))
        elif isinstance(flow, PageBreak):
            out.append("page")
        elif isinstance(flow, CondPageBreak):
            out.append(("keep", flow.height))
    return out


def _text(flow: MixedText) -> _Text:
    markup = "".join(f'<font name="{CJK}">{escape(seg)}</font>' if cjk else escape(seg)
                     for cjk, seg in runs(flow.text)).replace("\n", "<br/>")
    space = (getattr(flow, "spaceBefore", 0.0), getattr(flow, "spaceAfter", 0.0))
    return _Text(f"<b>{markup}</b>" if flow.bold else markup, flow.size, space)


def _cell(value: object) -> object:
    if isinstance(value, MixedText):
        return _text(value)
    return value if isinstance(value, str) else ""


def _raw_pdf(content: Content, label: str) -> bytes:
    styles: dict[tuple[float, float, float], ParagraphStyle] = {}

    def para(text: _Text) -> Paragraph:
        key = (text.size, *text.space)
        if key not in styles:
            styles[key] = ParagraphStyle(f"s{key}", fontName="Helvetica", fontSize=text.size,
                                         leading=text.size * 1.22, spaceBefore=text.space[0], spaceAfter=text.space[1])
        return Paragraph(text.markup, styles[key])

    flowables: list[Flowable] = []
    for item in content:
        if item == "page":
            flowables.append(PageBreak())
        elif isinstance(item, tuple):
            flowables.append(CondPageBreak(item[1]))
        elif isinstance(item, _Text):
            flowables.append(para(item))
        else:
            rows = [[para(v) if isinstance(v, _Text) else v for v in row] for row in item.rows]
            commands: list[tuple[Any, ...]] = [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5, 9.15), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, pdf_style.GRID)]
            if item.header:
                commands += [("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5, 9.15),
                             ("BACKGROUND", (0, 0), (-1, 0), pdf_style.HEAD_BG)]
            flowables.append(Table(rows, colWidths=item.widths, style=TableStyle(commands),
                                   repeatRows=1 if item.header else 0, hAlign="LEFT"))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=pdf_style.MARGIN, rightMargin=pdf_style.MARGIN,
                            topMargin=pdf_style.TOP, bottomMargin=pdf_style.BOTTOM)
    doc.build(flowables, canvasmaker=_numbered(label))
    return buffer.getvalue()


def _numbered(label: str) -> type[Canvas]:
    class Numbered(Canvas):  # the reportlab "Page x of y" recipe
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._saved, start=1):
                self.__dict__.update(state)
                self.setFont("Helvetica", 8)
                self.drawString(pdf_style.MARGIN, A4[1] - 30, f"Subject casebook · Subject {label}")
                self.drawRightString(A4[0] - pdf_style.MARGIN, 25, f"Page {number} of {len(self._saved)}")
                super().showPage()
            super().save()

    return Numbered
