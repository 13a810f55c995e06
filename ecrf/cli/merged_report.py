"""`ecrf merged report --from URL|PATH --out DIR [--forms DIR]`: the merge report of a central database, as one
self-contained HTML page and the same as PDF (merge-report.html, merge-report.pdf in DIR).

Added to the `merged` command group by `add_report_command(merged_subparsers)`.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ecrf.cli.common import site_study
from ecrf.merge.central.db import open_central
from ecrf.merge.report import write_report

EXIT_OK = 0


def add_report_command(merged: argparse._SubParsersAction) -> None:  # argparse has no public name for it
    help_ = "write the merge report: bundles and alarms, sites, enrolment, completeness, queries, SDV, safety"
    cmd = merged.add_parser("report", help=help_, description=help_ + ". One self-contained HTML page (opens "
                            "offline in any browser) and the same as PDF, from what the central database holds.")
    cmd.add_argument("--from", dest="central", required=True, metavar="URL|PATH",
                     help="the central database: a SQLite file, or a postgresql://user@host:port/database URL")
    cmd.add_argument("--out", type=Path, required=True, metavar="DIR",
                     help="the folder for merge-report.html and merge-report.pdf (replaced if there)")
    cmd.add_argument("--forms", type=Path, metavar="DIR", help="the study definition (default: the bundled one)")
    cmd.set_defaults(run=cmd_merged_report)


def cmd_merged_report(args: argparse.Namespace) -> int:
    study = site_study(args)
    engine = open_central(args.central, create=False)
    try:
        html_path, pdf_path = write_report(engine, study, args.out.expanduser())
    finally:
        engine.dispose()
    print(f"Merge report written:\n  {html_path}\n  {pdf_path}")
    return EXIT_OK
