"""The annotated blank CRF (`pdf/blank_crf.pdf`): the whole study definition as paper forms.

First the schedule of assessments (forms × visits), then every form with its label in both languages
and each item as a question, an empty answer (boxes for choices, lines for entries) and, in blue in the
right-hand column, the annotation a data manager maps by: item code, CDASH and SDTM names, type, unit,
ranges, missing codes, skip logic and derivation. Then the form's edit checks.
"""
from __future__ import annotations

from reportlab.lib.colors import black as BLACK
from reportlab.platypus import Flowable, PageBreak

from ecrf import __version__
from ecrf.export.pdf.casebook import CasebookSource
from ecrf.export.pdf.casebook_forms import utc_text
from ecrf.export.pdf.fonts import LEADING, Line, wrap_lines
from ecrf.export.pdf.style import (
    ANNOTATION,
    BODY,
    MUTED,
    SMALL,
    Furniture,
    Metadata,
    build_pdf,
    cell,
    columns,
    heading,
    note,
    table,
)
from ecrf.export.pdf.text import TextOps
from ecrf.study.model import Form, Item, ItemType, Study

ITEM_COLUMNS = columns(62, 62, 56)  # question, answer, annotation
ENTRY_HINTS = {ItemType.DATE: "YYYY-MM-DD", ItemType.PARTIAL_DATE: "YYYY-MM-DD (UN for an unknown day or month)",
               ItemType.TIME: "HH:MM (24 h)", ItemType.DATETIME: "YYYY-MM-DD HH:MM"}


def blank_crf_pdf(ctx: CasebookSource) -> bytes:
    study, info = ctx.study, ctx.study.info
    furniture = Furniture(title="Annotated blank CRF", study=f"Study {info.oid}",
                          tag=f"Definition version {info.version}",
                          footer=f"{info.oid} definition {info.version} · fingerprint {study.fingerprint[:16]} · "
                                 f"site {ctx.site.site_code} · made {utc_text(ctx.created_at)}")
    meta = Metadata(title=f"Annotated blank CRF, study {info.oid} definition {info.version}",
                    author=f"Site {ctx.site.site_code} {ctx.site.site_name}", subject=f"Study {info.oid} blank CRF",
                    creator=f"ecrf {__version__}")
    flowables = title_page(study) + [PageBreak()] + schedule(study)
    for form in forms_in_order(study):
        flowables += [PageBreak(), *form_blocks(study, form)]
    return build_pdf(flowables, furniture, meta)


def forms_in_order(study: Study) -> list[Form]:
    """Forms as the schedule first asks for them, then the logs, then any form no visit uses."""
    codes = [vf.form for visit in study.visits for vf in visit.forms] + list(study.logs) + sorted(study.forms)
    return [study.forms[code] for code in dict.fromkeys(codes) if code in study.forms]


def title_page(study: Study) -> list[Flowable]:
    info = study.info
    out = heading("Annotated blank CRF 空白注释病例报告表", 16, space_before=0)
    out += [note(info.title.en, 10, color=None), note(info.title.get("zh"), 10, color=None)]
    w = columns(40, 140)
    rows: list[list[object]] = [
            ["Study", f"{info.oid}, phase {info.phase or '-'}"], ["Definition version", info.version],
            ["Fingerprint", study.fingerprint or "-"], ["Languages", ", ".join(info.languages)],
            ["Arms", cell("; ".join(f"{a.code} {a.label.en} {a.label.get('zh')}" for a in study.arms), w[1])],
            ["Missing codes", cell("; ".join(f"{code} = {text.en} {text.get('zh')}"
                                             for code, text in study.missing_codes.items()), w[1])]]
    out += heading("Definition", 11, space_before=12)
    out.append(table(rows, w, header=False, size=8, bold_columns=(0,)))
    out += heading("How to read this CRF", 11, space_before=12)
    out += [note("Each item: the question in English and Chinese (* required), the answer space, and in blue "
                 "its annotation: item code, CDASH name, SDTM variable, type, unit, hard (rejected) and soft "
                 "(confirmed) ranges, allowed missing codes, when it is asked (show if) and how a calculated item "
                 "is derived. Choices show their stored code in brackets.", 8.5)]
    return out


def schedule(study: Study) -> list[Flowable]:
    """Forms × visits: X when every arm fills the form, else the arms; timepoints in brackets."""
    visits = study.visits
    widths = columns(40, *([140 / (len(visits) + 1)] * (len(visits) + 1)))
    header: list[object] = ["Form", *(cell(f"{v.code}\nday {v.day}", w, SMALL, bold=True)
                                      for v, w in zip(visits, widths[1:], strict=False)), "Log"]
    rows: list[list[object]] = [header]
    for form in forms_in_order(study):
        marks = []
        for visit, w in zip(visits, widths[1:], strict=False):
            asked = [vf for vf in visit.forms if vf.form == form.code]
            text = "; ".join(("/".join(vf.arms) if vf.arms else "X") + (f" ({'/'.join(vf.timepoints)})"
                                                                          if vf.timepoints else "") for vf in asked)
            marks.append(cell(text, w, SMALL))
        rows.append([cell(f"{form.code} {form.label.en}", widths[0], SMALL), *marks,
                     "X" if form.code in study.logs else ""])
    return [*heading("Schedule of assessments", 12, space_before=0),
            note("Visit day relative to Day 0 (allocation); arms named where only they fill the form; "
                 "Log: filled whenever an event happens."), table(rows, widths, size=SMALL)]


def form_blocks(study: Study, form: Form) -> list[Flowable]:
    out = heading(f"{form.code} · {form.label.en} {form.label.get('zh')}", 13, space_before=0)
    facts = f"Domain {form.domain} · {'repeating (log)' if form.repeating else 'once per visit'}"
    out.append(note(facts, color=ANNOTATION))
    if form.help:
        out += [note(form.help.en), note(form.help.get("zh"))]
    q_w, _, n_w = ITEM_COLUMNS
    rows: list[list[object]] = [[cell("Question 问题", q_w, bold=True), "Answer", "Annotation"]]
    for item in form.items:
        question = f"{'* ' if item.required else ''}{item.label.en}\n{item.label.get('zh')}"
        rows.append([cell(question, q_w), Answer(answer_lines(study, item)), cell(annotation(item), n_w)])
    out.append(table(rows, ITEM_COLUMNS, column_colors={2: ANNOTATION}))
    if form.checks:
        widths = columns(36, 14, 28, 102)  # every check id of the study and a bold "Severity" fit their columns
        checks: list[list[object]] = [["Edit check", "Severity", "Items", "Message"]]
        checks += [[cell(c.id, widths[0]), c.severity, cell(", ".join(c.items), widths[2]),
                    cell(f"{c.message.en}\n{c.message.get('zh')}\nRule: {c.expr.text}", widths[3])]
                   for c in form.checks]
        out += [*heading("Edit checks", 9.5, space_before=8), table(checks, widths)]
    return out


def annotation(item: Item) -> str:
    lines = [f"{item.code} · CDASH {item.cdash}" + (f" · SDTM {item.sdtm}" if item.sdtm else "")
             + (f" · TESTCD {item.testcd}" if item.testcd else "")]
    kind = item.type.value.replace("_", " ")
    if item.is_calculated and item.result_type:
        kind += f" ({item.result_type.value})"
    if item.precision is not None:
        kind += f", {item.precision} decimal(s)"
    if item.type is ItemType.TEXT:
        kind += f", max {item.max_length}"
    if item.unit:
        kind += f" · unit {item.unit.en}"
    lines.append(kind)
    if item.codelist:
        lines.append(f"codelist {item.codelist.name}")
    ranges = [f"{name} {bounds}" for name, bounds in (("hard", item.hard), ("soft", item.soft)) if bounds]
    if ranges:
        lines.append(" · ".join(ranges))
    if item.missing:
        lines.append(f"missing codes {', '.join(item.missing)}")
    if item.show_if:
        lines.append(f"show if {item.show_if.text}")
    if item.derive:
        lines.append(f"derive {item.derive.text}")
    return "\n".join(lines)


def answer_lines(study: Study, item: Item) -> list[tuple[str, str]]:
    """('box', text) for a tick box, ('line', hint) for a line to write on, ('text', text) for a remark."""
    if item.is_calculated:
        lines = [("text", "Calculated by the system, not entered")]
    elif item.codelist is not None:
        lines = [("box", f"{c.label.en} {c.label.get('zh')} ({c.code})") for c in item.codelist.items]
        if item.type is ItemType.MULTI_CHOICE:
            lines.insert(0, ("text", "Tick all that apply"))
    else:
        hint = ENTRY_HINTS.get(item.type, item.unit.en if item.unit else "")
        lines = [("line", hint)]
    for code in item.missing:
        meaning = study.missing_codes.get(code)
        lines.append(("box", f"{code} {meaning.en if meaning else ''}"))
    return lines


class Answer(Flowable):
    """Empty answer space: tick boxes with their choices, or a line to write on."""

    SIZE = BODY
    BOX = 6.0

    def __init__(self, lines: list[tuple[str, str]]) -> None:
        super().__init__()
        self.lines = lines
        self._layout: list[tuple[str, tuple[Line, ...]]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._layout = []
        for kind, text in self.lines:
            indent = self.BOX + 3 if kind == "box" else 0
            wrapped = wrap_lines(text, avail_width - indent - (60 if kind == "line" else 0), self.SIZE)
            self._layout.append((kind, wrapped))
        n = sum(max(1, len(w)) + (0.6 if kind == "line" else 0) for kind, w in self._layout)
        self.width, self.height = avail_width, n * self.SIZE * LEADING
        return self.width, self.height

    def draw(self) -> None:
        canv, ops, step = self.canv, TextOps(self.canv), self.SIZE * LEADING
        y = self.height - self.SIZE
        canv.setLineWidth(0.5)
        for kind, wrapped in self._layout:
            if kind == "box":
                canv.rect(0, y - 1, self.BOX, self.BOX, stroke=1, fill=0)
            if kind == "line":
                y -= 0.6 * step
                canv.line(0, y - 1.5, 55, y - 1.5)
            x = {"box": self.BOX + 3, "line": 60}.get(kind, 0)
            for line in wrapped or [[]]:
                ops.line(x, y, line, self.SIZE, color=BLACK if kind == "box" else MUTED)
                y -= step
        ops.flush(canv)
