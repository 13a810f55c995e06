"""`ecrf gui`: the desktop app, on the site database or the demo study.

This module is the one door from the command line to `ecrf.ui` (import-linter contracts in pyproject.toml):
the app itself, and the self-test's step that draws a form. Before Qt loads, `preflight` checks that there
is a screen and that Qt's X11 plugin can load its system libraries, so a fresh PC gets an install line, not
Qt's abort.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from ecrf.cli import preflight as preflight_module
from ecrf.cli.common import CliError, usable_db_path
from ecrf.cli.preflight import Finder, missing_xcb_libraries, no_display, uses_xcb
from ecrf.paths import default_forms_dir, default_site_db
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef

EXIT_QT_LIBRARIES_MISSING, EXIT_NO_DISPLAY = 4, 5
EXIT_CODES = (f"exit {EXIT_QT_LIBRARIES_MISSING}: system libraries that Qt's X11 plugin needs are missing (the "
              f"message names the packages); {EXIT_NO_DISPLAY}: there is no screen (no DISPLAY or WAYLAND_DISPLAY, or "
              "no X server answers at DISPLAY)")


class GuiCannotStart(CliError):
    """The app cannot start on this PC as it is; `exit_code` tells a script which case (see EXIT_CODES)."""

    def __init__(self, code: str, exit_code: int, **params: object) -> None:
        super().__init__(code, **params)
        self.exit_code = exit_code


def cmd_gui(args: argparse.Namespace) -> int:
    preflight()
    try:  # Qt is only needed by this command
        from ecrf.ui.app import main
    except ImportError as exc:
        raise CliError("gui-cannot-start", detail=exc) from None
    forms = (args.forms or default_forms_dir()).expanduser()
    if not forms.is_dir():
        raise CliError("forms-folder-missing", folder=forms)
    return main(usable_db_path(args.db or default_site_db()), forms, demo=args.demo)


def preflight(finder: Finder | None = None) -> None:
    """Refuse, before any Qt plugin loads, to start where Qt would abort: no screen (Linux), X11 without the
    libraries of Qt's xcb plugin, or an X server that does not answer. `finder` stands in for the dynamic
    loader in tests."""
    if no_display():
        raise GuiCannotStart("no-display", EXIT_NO_DISPLAY)
    if not uses_xcb():
        return
    if (missing := missing_xcb_libraries(finder)) is not None:
        raise GuiCannotStart("qt-libraries-missing", EXIT_QT_LIBRARIES_MISSING, missing=", ".join(missing.sonames),
                             apt=missing.apt_line, dnf=missing.dnf_line)
    if not preflight_module.x_server_answers():
        raise GuiCannotStart("display-unreachable", EXIT_NO_DISPLAY, display=os.environ.get("DISPLAY", ""))


def render_form_for_self_test(session: SiteSession, ref: FormRef) -> None:
    """The Qt step of `ecrf self-test`: draw `ref` in the form editor. With no screen it draws offscreen;
    on X11 without the plugin's libraries it fails with the install line, as `ecrf gui` would."""
    if no_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # set before the QApplication exists: Qt reads it once
    preflight()
    from ecrf.ui.self_test_render import render_form

    render_form(session, ref)


def add_gui_command(sub: argparse._SubParsersAction) -> None:  # argparse has no public name for it
    help_ = "start the desktop app (first run: create a site or open the demo study)"
    gui = sub.add_parser("gui", help=help_, description=f"{help_}. {EXIT_CODES}.")
    gui.add_argument("--db", type=Path, metavar="PATH", help=f"the site database (default: {default_site_db()})")
    gui.add_argument("--demo", action="store_true", help="open the demo study (made on first use)")
    gui.add_argument("--forms", type=Path, metavar="DIR", help="the study definition (default: the bundled one)")
    gui.set_defaults(run=cmd_gui)
