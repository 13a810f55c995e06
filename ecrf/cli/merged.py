"""`ecrf merged …`: the sponsor's commands on the merged data of the central database.

A command group, so that other parts add their actions beside `export` (`ecrf merged report`): each adds a
parser to the subparsers that `add_merged_command` returns, or to `MERGED_ACTIONS` before it runs.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ecrf import __version__
from ecrf.cli.common import first_problems
from ecrf.cli.errors import CliError
from ecrf.cli.merged_report import add_report_command
from ecrf.paths import default_forms_dir
from ecrf.study.loader import load_study
from ecrf.study.model import Study
from ecrf.study.problems import DefinitionError

Subparsers = argparse._SubParsersAction  # argparse has no public name for it


def add_merged_command(sub: Subparsers) -> Subparsers:
    """The `merged` group and its actions; returns the group's subparsers for further actions."""
    help_ = "the merged data of a central database: export the data set, write the merge report"
    group = sub.add_parser("merged", help=help_, description=help_)
    actions = group.add_subparsers(dest="merged_command", metavar="ACTION", required=True)
    for add in MERGED_ACTIONS:
        add(actions)
    return actions


def _add_export(actions: Subparsers) -> None:
    help_ = ("write the merged data set into a new folder: CSV files with a site column, one ODM 1.3.2 file, SAS "
             "transport (XPT) files per form, and MANIFEST.txt with every file's SHA-256")
    cmd = actions.add_parser("export", help=help_, description=help_ + ". Identical merged data give "
                             "byte-identical files.")
    add_central_option(cmd)
    cmd.add_argument("--out", type=Path, required=True, metavar="DIR",
                     help="the new (or empty) folder to write the data set into")
    add_forms_option(cmd)
    cmd.set_defaults(run=cmd_export)


def add_central_option(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--from", dest="central", required=True, metavar="URL|PATH",
                     help="the central database: a SQLite file or a postgresql://user@host:port/database URL")


def add_forms_option(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--forms", type=Path, metavar="DIR",
                     help="the study definition the sites use (default: the bundled one)")


def study_from(args: argparse.Namespace) -> Study:
    folder = args.forms or default_forms_dir()
    try:
        return load_study(folder)
    except DefinitionError as exc:
        raise CliError("definition-has-problems", folder=folder, count=len(exc.problems),
                       first=first_problems(exc)) from None


def cmd_export(args: argparse.Namespace) -> int:
    from ecrf.merge.outputs.export import export_merged

    result = export_merged(args.central, args.out, study_from(args), __version__,
                           lambda step: print(f"writing {step} …", file=sys.stderr, flush=True))
    sites = ", ".join(f"{s.qualifier} (export {s.export_sequence})" for s in result.sources)
    print(f"Merged data set written to {result.folder}: {len(result.files)} files from {len(result.sources)} "
          f"site installation(s): {sites}; data as of {result.data_as_of}.")
    print("Check it with `sha256sum -c MANIFEST.txt` in that folder.")
    return 0


MERGED_ACTIONS: list[Callable[[Subparsers], None]] = [_add_export, add_report_command]
