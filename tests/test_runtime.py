"""The process-wide settings of ecrf.runtime reach every entry point that does heavy work."""
from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from ecrf.cli.main import main
from ecrf.runtime import MIDDLE_THRESHOLD, OLD_THRESHOLD, YOUNG_THRESHOLD

TUNED = (YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)


@pytest.fixture
def default_collector() -> Iterator[None]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_the_command_line_tunes_the_collector_before_any_command(default_collector: None,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0  # no command: the help, after the setting
    assert "usage" in capsys.readouterr().out
    assert gc.get_threshold() == TUNED


def test_a_casebook_worker_tunes_its_own_collector() -> None:
    # A spawned worker is a fresh interpreter: the setting must be made in it, not inherited.
    code = ("import gc; from pathlib import Path; from ecrf.export.pdf import casebook_pool as p; "
            "from ecrf.paths import default_forms_dir; from ecrf.study.loader import load_study; "
            "s = load_study(default_forms_dir()); p._start_worker(s.folder, s.fingerprint); print(gc.get_threshold())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(TUNED)
