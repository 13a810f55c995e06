"""`ecrf self-test`: check this installation end to end on a throwaway encrypted site (ecrf.demo.self_test).

Exit 0 with one summary line; 1 with "self-test FAILED at step '…': why". For IT after an install, and for
the build's own check of the frozen app (`ecrf self-test` runs offscreen when there is no screen)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecrf.cli.gui import render_form_for_self_test
from ecrf.crashlog import write_crash_log
from ecrf.paths import default_forms_dir

EXIT_PASSED, EXIT_FAILED = 0, 1


def add_self_test_command(sub: argparse._SubParsersAction) -> None:  # argparse has no public name for it
    help_ = ("check this installation: make a temporary encrypted site, enter a visit, draw a form, export a "
             "bundle and verify it, then remove it all")
    cmd = sub.add_parser("self-test", help=help_, description=f"{help_}. Nothing of it goes into the data folder "
                         "(only a crash log, should it hit a bug). Exit 0: passed (one summary line); 1: failed "
                         "(the line names the step and why).")
    cmd.add_argument("--forms", type=Path, metavar="DIR", help="the study definition (default: the bundled one)")
    cmd.set_defaults(run=cmd_self_test)


def cmd_self_test(args: argparse.Namespace) -> int:
    from ecrf.demo.self_test import StepFailed, run_self_test, step  # the demo package loads on demand

    try:
        with step("study"):  # an install without its forms/ fails here, in the self-test's words
            forms = (args.forms or default_forms_dir()).expanduser()
        result = run_self_test(forms, render_form_for_self_test)
    except StepFailed as failed:
        print(f"self-test FAILED at step '{failed.step}': {failed.reason}", file=sys.stderr)
        if failed.__cause__ is not None and not _is_expected(failed.__cause__):
            crash = write_crash_log(failed.__cause__)  # a bug: its traceback, for the report to the developers
            print(f"  the traceback is in {crash.log}" if crash.log else f"  ({crash.why})", file=sys.stderr)
        return EXIT_FAILED
    print(f"self-test passed: site, visit ({result.visit}, {result.forms_saved} form(s)), form rendered, bundle "
          f"exported and verified in {result.seconds:.1f} s")
    return EXIT_PASSED


def _is_expected(exc: BaseException) -> bool:
    """A refusal with a catalogue message says all there is; anything else gets its traceback logged."""
    from ecrf.errors import EcrfError

    return isinstance(exc, EcrfError)
