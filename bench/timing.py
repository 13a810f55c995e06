"""Timing helpers: timeit-style loops in this process, and cold runs in fresh subprocesses."""
from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from ecrf.paths import shipped_dir

REPO = Path(__file__).resolve().parent.parent
FORMS_DIR = shipped_dir("forms")  # the study the baselines were measured on (not $ECRF_FORMS)


def per_call_ns(fn: Callable[[], object], *, repeat: int, min_sample_ns: int) -> float:
    """Median time of one call of `fn`, in ns. Like timeit: each sample loops `number` calls (chosen so a
    sample lasts at least `min_sample_ns`), with the garbage collector off during the loop."""
    number = _autorange(fn, min_sample_ns)
    samples = []
    for _ in range(repeat):
        samples.append(_loop(fn, number) / number)
    return statistics.median(samples)


def _autorange(fn: Callable[[], object], min_sample_ns: int) -> int:
    number = 1
    while True:
        if _loop(fn, number) >= min_sample_ns:
            return number
        number *= 2


def _loop(fn: Callable[[], object], number: int) -> int:
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(number):
            fn()
        return time.perf_counter_ns() - start
    finally:
        if enabled:
            gc.enable()


def subprocess_ns(code: str, *args: str, env: Mapping[str, str] | None = None) -> int:
    """Run `code` in a fresh interpreter; the code prints the ns it measured itself as its last line
    (so the interpreter's own start-up is not counted). It runs in the repo root, so `ecrf` imports
    as it does for `python -m bench`, installed or not."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False,
                          cwd=REPO, env={**os.environ, **(env or {})})
    if done.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed ({done.returncode}):\n{done.stderr}")
    return int(done.stdout.strip().splitlines()[-1])


def median_ms(samples_ns: list[int]) -> float:
    return statistics.median(samples_ns) / 1e6


def warm_median_ms(fn: Callable[[], object], repeat: int) -> float:
    """Median of `repeat` timed calls after one untimed warm-up (the page cache, SQLAlchemy's statement cache)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - start)
    return median_ms(samples)


def bytecode_env() -> dict[str, str]:
    """Environment for a subprocess that reads and writes compiled bytecode in the usual __pycache__ folders
    (where pip put the libraries' bytecode) even where the environment says PYTHONDONTWRITEBYTECODE or names
    another cache folder: an empty variable counts as unset."""
    return {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": ""}
