"""The merge report as one self-contained HTML page: inline CSS, inline SVG charts, no script, no external
resource of any kind (a Content-Security-Policy says so to the browser as well). Every text from the data is
escaped: a site could have typed markup into a field, and the sponsor opens this page on their own PC.
"""
from __future__ import annotations

from html import escape

from ecrf.merge.report.doc import Block, Chart, Document, Grid, Section, Text
from ecrf.merge.report.svg import inline_svg

ALARM_ROW = '<tr class="alarm">'
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", Arial, sans-serif;
  color: #1b1b1b; background: #fff; margin: 0; line-height: 1.45; font-size: 15px; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; border-bottom: 2px solid #0072B2; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #ccd; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.subtitle { margin: 0 0 10px; color: #444; }
nav { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 8px 0 12px; font-size: 14px; }
nav a { color: #0059a0; }
p { margin: 6px 0; max-width: 80em; }
p.alarm { background: #fde8e8; border-left: 6px solid #c00; color: #7a0000; padding: 8px 12px; font-weight: 600; }
p.note { font-size: 13px; color: #555; }
.table-wrap { overflow-x: auto; margin: 6px 0 14px; }
table { border-collapse: collapse; font-size: 13.5px; min-width: 40%; }
th, td { border-bottom: 1px solid #d6d6d6; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #e6ebf2; font-weight: 600; }
td.nw { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.alarm td { background: #fdeeee; color: #7a0000; }
td.empty { color: #666; font-style: italic; }
figure { margin: 10px 0 4px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 4px; }
footer { margin-top: 32px; padding-top: 8px; padding-bottom: 24px; border-top: 1px solid #ccd; color: #555;
  font-size: 13px; }
@media print {
  body { font-size: 11pt; }
  nav { display: none; }
  header, main, footer { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, figure { break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; }
}
"""


def html_page(document: Document) -> str:
    nav = "".join(f'<a href="#{escape(s.key)}">{escape(s.title)}</a>' for s in document.sections)
    body = "\n".join(_section(s) for s in document.sections)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<header><h1>{escape(document.title)}</h1><p class=\"subtitle\">{escape(document.subtitle)}</p>"
            f"<nav>{nav}</nav></header>\n<main>\n{body}\n</main>\n"
            f"<footer>{escape(document.footer)}</footer>\n</body>\n</html>\n")


def _section(section: Section) -> str:
    blocks = "\n".join(_block(b) for b in section.blocks)
    return f'<section id="{escape(section.key)}">\n<h2>{escape(section.title)}</h2>\n{blocks}\n</section>'


def _block(block: Block) -> str:
    if isinstance(block, Text):
        tone = f' class="{block.tone}"' if block.tone else ""
        return f"<p{tone}>{escape(block.text)}</p>"
    if isinstance(block, Grid):
        return _table(block)
    return _chart(block)


def _chart(chart: Chart) -> str:
    return (f"<figure><figcaption>{escape(chart.title)}</figcaption>{inline_svg(chart.drawing, chart.title)}"
            f"</figure>\n{_table(chart.table)}")


def _table(grid: Grid) -> str:
    def cell(tag: str, index: int, text: str) -> str:
        kinds = " ".join(k for k, columns in (("num", grid.numeric), ("nw", grid.nowrap)) if index in columns)
        return f'<{tag} class="{kinds}">{escape(text)}</{tag}>' if kinds else f"<{tag}>{escape(text)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(grid.header))
    rows = [(ALARM_ROW if r in grid.alarm_rows else "<tr>") + "".join(cell("td", i, text) for i, text in enumerate(row))
            + "</tr>" for r, row in enumerate(grid.rows)]
    if not rows:
        rows = [f'<tr><td class="empty" colspan="{len(grid.header)}">{escape(grid.empty)}</td></tr>']
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")
