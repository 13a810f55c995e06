"""`ecrf merge BUNDLE... [--into PATH|URL]`: merge the sites' bundles into the sponsor's central database.

Progress goes to standard error, one line per bundle ("[3/15] CN02 export 2: verifying… accepted (1,141
values)"), each refusal with its reason; the summary line goes to standard output. Exit 0 when every bundle was
accepted, covered or already merged; 1 when any was refused (the others are merged all the same) or the merge
could not run (no trust source, an unreachable database).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecrf.cli.common import site_study
from ecrf.cli.verify import trust_source as verify_trust_source
from ecrf.merge.central.db import open_central
from ecrf.merge.engine import Progress, Step, TrustSource, merge_bundles
from ecrf.merge.errors import MergeError
from ecrf.merge.intake import bundle_paths
from ecrf.merge.outcome.run import ACCEPTED, REFUSED, BundleOutcome
from ecrf.merge.report.write import report_after_merge

EXIT_MERGED, EXIT_REFUSED = 0, 1
DEFAULT_TARGET = "merged.db"  # in the current folder: a SQLite file, made on first use


def add_merge_command(sub: argparse._SubParsersAction) -> None:  # argparse has no public name for it
    help_ = "merge the sites' export bundles into the central database (SQLite file or PostgreSQL)"
    cmd = sub.add_parser("merge", help=help_, description=help_ + ". Each bundle is verified (as `ecrf verify` "
                         "does, against the registered site certificates), checked against the study and the "
                         "site's merged history, then merged, recorded as covered, or refused with the reason. "
                         "Exit 0 when every bundle was accepted, covered or already merged; 1 when any was "
                         "refused (the others are still merged) or the merge could not run.")
    cmd.add_argument("bundles", type=Path, nargs="+", metavar="BUNDLE",
                     help="bundle zip files, or folders: every *.zip in them")
    cmd.add_argument("--into", default=DEFAULT_TARGET, metavar="PATH|URL",
                     help=f"the central database: a SQLite file (default: {DEFAULT_TARGET} in the current folder, "
                          "made on first use) or postgresql://user@host:port/database")
    trust = cmd.add_mutually_exclusive_group()
    trust.add_argument("--registry", type=Path, metavar="PATH",
                       help="the trust registry (default: $ECRF_TRUST_REGISTRY, else sponsor/trust-registry.json "
                            "in the data folder)")
    trust.add_argument("--trust", metavar="CERT",
                       help="instead of the registry: a PEM file of the sites' certificates (or one fingerprint)")
    cmd.add_argument("--forms", type=Path, metavar="DIR", help="the study definition (default: the bundled one)")
    cmd.add_argument("--report", type=Path, metavar="DIR",
                     help="then write the merge report (merge-report.html and .pdf) of the central database into DIR, "
                          "as `ecrf merged report` does")
    cmd.set_defaults(run=cmd_merge)


def cmd_merge(args: argparse.Namespace) -> int:
    trust = trust_source(args)
    paths = bundle_paths(path.expanduser() for path in args.bundles)
    study = site_study(args)
    run = merge_bundles(args.into, paths, trust, study, progress=_progress_printer())
    print(run.summary())
    if args.report is not None:  # after the merge committed: a report that fails leaves the merge as it is
        engine = open_central(args.into, create=False)
        try:
            html_path, pdf_path = report_after_merge(engine, study, args.report.expanduser())
        finally:
            engine.dispose()
        print(f"Merge report: {html_path}\n              {pdf_path}")
    return EXIT_MERGED if run.ok else EXIT_REFUSED


def trust_source(args: argparse.Namespace) -> TrustSource:
    """--trust, else the trust registry (named, from the environment, or in the data folder), as `ecrf verify`
    finds them; with neither the merge refuses to start: it must never accept a signer it did not compare with
    a registered certificate."""
    trust, _registry = verify_trust_source(args.trust, args.registry)
    if trust is None:
        raise MergeError("merge-no-trust")
    return trust


def _progress_printer() -> Progress:
    """'[3/15] CN02 export 2: verifying… ' when a bundle starts, its outcome when it is done (stderr)."""
    started: set[int] = set()

    def show(step: Step) -> None:
        prefix = f"[{step.index}/{step.total}] {step.label}: "
        if step.outcome is None:
            started.add(step.index)
            print(prefix + "verifying… ", end="", file=sys.stderr, flush=True)
            return
        print(("" if step.index in started else prefix) + outcome_text(step.outcome), file=sys.stderr, flush=True)
    return show


def outcome_text(outcome: BundleOutcome) -> str:
    if outcome.outcome == ACCEPTED:
        return f"accepted ({outcome.values:,} values)"
    if outcome.outcome == REFUSED:
        alarm = "ALARM: " if outcome.alarm else ""
        return f"refused\n    {alarm}{outcome.reason}"
    return f"{outcome.outcome}" + (f" ({outcome.reason})" if outcome.reason else "")
