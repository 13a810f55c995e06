"""The `ecrf` command line. Calls the same layers as the app; never shows a traceback to a user."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from ecrf import __version__
from ecrf.paths import default_forms_dir
from ecrf.study.describe import describe
from ecrf.study.loader import load_study
from ecrf.study.problems import DefinitionError

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecrf", description="Offline electronic case report forms for clinical trials.")
    parser.add_argument("--version", action="version", version=f"ecrf {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check-forms", help="check a study definition folder and list every problem")
    check.add_argument("folder", nargs="?", type=Path, help="the folder with study.yaml (default: the bundled forms/)")
    check.set_defaults(run=cmd_check_forms)

    desc = sub.add_parser("describe", help="print a summary of the study: arms, schedule, forms")
    desc.add_argument("--forms", type=Path, help="the study definition folder (default: the bundled forms/)")
    desc.add_argument("--lang", default="en", help="language of the labels (en or zh)")
    desc.set_defaults(run=cmd_describe)
    return parser


def cmd_check_forms(args: argparse.Namespace) -> int:
    folder = args.folder or default_forms_dir()
    try:
        study = load_study(folder)
    except DefinitionError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"\n{len(exc.problems)} problem(s) in {folder}; the study cannot be used until they are fixed.")
        return EXIT_PROBLEMS
    n_items = sum(len(f.items) for f in study.forms.values())
    print(f"{folder}: OK — study {study.info.oid} version {study.info.version}: {len(study.arms)} arms, "
          f"{len(study.visits)} visits, {len(study.forms)} forms, {n_items} items, no problems.")
    return EXIT_OK


def cmd_describe(args: argparse.Namespace) -> int:
    folder = args.forms or default_forms_dir()
    try:
        study = load_study(folder)
    except DefinitionError as exc:
        print(f"The study definition in {folder} has {len(exc.problems)} problem(s); run `ecrf check-forms {folder}`.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    if args.lang not in study.info.languages:
        print(f"Language '{args.lang}' is not in this study; use one of: {', '.join(study.info.languages)}.",
              file=sys.stderr)
        return EXIT_ERROR
    print(describe(study, args.lang))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_OK
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a message, not a traceback
        print(f"ecrf: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("ECRF_DEBUG"):
            traceback.print_exc()
        else:
            print("Set ECRF_DEBUG=1 and run again to see the details, and report them.", file=sys.stderr)
        return EXIT_ERROR
