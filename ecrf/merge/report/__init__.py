"""The merge report: what the central database holds, as one self-contained HTML page and the same as a PDF.

`report_data` (collect.py) counts, `charts` draws each chart once (reportlab graphics), `html_page` and
`report_pdf` lay the same sections out, `write_report` writes both files atomically.
"""
from __future__ import annotations

from ecrf.merge.report.collect import report_data
from ecrf.merge.report.write import report_after_merge, write_report

__all__ = ["report_after_merge", "report_data", "write_report"]
