"""Loading the study runs at every start: it imports what reading and checking the definition needs, not
the expression compiler and runtime (compiled at an expression's first evaluation) nor difflib (only a
definition with a typo asks for a suggestion)."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import FORMS

NOT_ON_THE_LOAD_PATH = ("ecrf.study.expr.compiler", "ecrf.study.expr.runtime", "ecrf.study.values", "difflib",
                        "string")

PROBE = """\
import sys
from ecrf.study.loader import load_study
study = load_study(sys.argv[1])
loaded = [name for name in sys.argv[2:] if name in sys.modules]
print(",".join(loaded))
"""


def test_loading_the_study_leaves_the_compiler_and_suggestions_unimported() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, str(FORMS), *NOT_ON_THE_LOAD_PATH], capture_output=True,
                          text=True, check=False, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_a_loaded_expression_compiles_at_its_first_evaluation(study) -> None:  # type: ignore[no-untyped-def]
    from ecrf.study.expr import Env

    bp_order = next(c for c in study.form("VS").checks if c.id == "BP_ORDER").expr
    assert bp_order.is_bound
    assert [bp_order.evaluate(Env(values)) for values in (
        {"SYSBP": 120, "DIABP": 80}, {"SYSBP": 80, "DIABP": 120}, {"SYSBP": 120}, {"SYSBP": 120, "DIABP": 80})] == [
        True, False, None, True]  # compiled once, then the kept closure
