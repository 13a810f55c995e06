"""`ecrf about`: Help › About's facts without a window or a login, for IT and for the build's check of the
frozen app (installer_build/smoke.py compares the component lines with what the build bundled)."""
from __future__ import annotations

import argparse
import platform

from ecrf import __version__
from ecrf.components import licence_folder, python_components
from ecrf.paths import data_dir

COMPONENTS_HEADING = "Python distributions (name, version, licence):"


def add_about_command(sub: argparse._SubParsersAction) -> None:  # argparse has no public name for it
    help_ = "print the version, the data folder and the bundled software with its versions and licences"
    cmd = sub.add_parser("about", help=help_, description=help_ + " (as Help › About shows them).")
    cmd.set_defaults(run=cmd_about)


def cmd_about(args: argparse.Namespace) -> int:
    print(about_text())
    return 0


def about_text() -> str:
    """One fact a line; after COMPONENTS_HEADING one component a line: name, version, licence, tab-separated
    ("?" for a version that cannot be read)."""
    folder = licence_folder()
    lines = [f"ecrf {__version__}", f"Python {platform.python_version()}", f"data folder: {data_dir()}",
             f"licence texts: {folder}" if folder else "licence texts: each component's *.dist-info/licenses folder",
             COMPONENTS_HEADING]
    lines += [f"{c.name}\t{c.version or '?'}\t{c.licence}" for c in python_components()]
    return "\n".join(lines)
