"""`ecrf monitor report`: the monitoring visit report as a PDF, without the app."""
from __future__ import annotations

import argparse

from ecrf.cli.common import site_session
from ecrf.export.pdf.casebook_forms import utc_text
from ecrf.services.visit_report import parse_day, period_end, period_start, write_visit_report


def cmd_report(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        since = period_start(parse_day(args.since), session) if args.since else None
        until = period_end(parse_day(args.until), session) if args.until else None
        report = write_visit_report(session, args.out.expanduser(), since, until)
    print(f"Visit report of {report.full_name} ({report.username}) written to {args.out}: "
          f"{utc_text(report.period.since)} to {utc_text(report.period.until)}.")
    print(f"In this visit: {report.items_verified} items on {len(report.verified)} forms verified, "
          f"{len(report.raised)} queries raised, {len(report.answered)} answered, "
          f"{len(report.closed)} closed or cancelled.")
    print(f"Still open: {len(report.open_queries)} queries, {len(report.outstanding)} forms to verify.")
    print("The report is not signed (monitors hold no site key); the next export bundle carries the same facts "
          "signed.")
    return 0
