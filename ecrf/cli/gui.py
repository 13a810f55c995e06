"""`ecrf gui`: the desktop app, on the site database or the demo study."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ecrf.cli.common import CliError, usable_db_path
from ecrf.paths import default_forms_dir, default_site_db


def cmd_gui(args: argparse.Namespace) -> int:
    try:  # Qt is only needed by this command
        from ecrf.ui.app import main
    except ImportError as exc:
        raise CliError("gui-cannot-start", detail=exc) from None
    if _no_display():
        raise CliError("no-display")
    forms = (args.forms or default_forms_dir()).expanduser()
    if not forms.is_dir():
        raise CliError("forms-folder-missing", folder=forms)
    return main(usable_db_path(args.db or default_site_db()), forms, demo=args.demo)


def _no_display() -> bool:
    """On Linux without X11 or Wayland, Qt would abort with a core dump; say so plainly instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def add_gui_command(sub: argparse._SubParsersAction) -> None:  # argparse has no public name for it
    gui = sub.add_parser("gui", help="start the desktop app (first run: create a site or open the demo study)")
    gui.add_argument("--db", type=Path, metavar="PATH", help="the site database (default: site.db in the data folder)")
    gui.add_argument("--demo", action="store_true", help="open the demo study (made on first use)")
    gui.add_argument("--forms", type=Path, metavar="DIR", help="the study definition (default: the bundled one)")
    gui.set_defaults(run=cmd_gui)
