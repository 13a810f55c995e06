"""Loading the real study definition (forms/) in a fresh process, as the app does at every start.

Figure: from before `import ecrf.study.loader` to after `load_study` returns, median of fresh
subprocesses (interpreter start-up not counted). Floor: a fresh subprocess that imports yaml and
parses the same files with the C loader (the definition files and the charts' display file) — the bare
minimum of reading them.

Both run with compiled bytecode, as an installed or frozen app always has it (pip compiles the wheel's
modules at install, PyInstaller ships bytecode): the warm-up writes the app's into its __pycache__ folders
even where the environment says PYTHONDONTWRITEBYTECODE, which would otherwise make every "cold" start
compile the app's own modules from source — a cost no user's start pays.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from bench.result import Result
from bench.scale import Scale
from bench.timing import FORMS_DIR, bytecode_env, median_ms, subprocess_ns

GOAL_MS, MAX_RATIO = 150.0, 2.5  # warm grammar cache: every start after the first
FIRST_START_GOAL_MS = 300.0  # informational: the very first start builds the grammar tables

# Both start as the app does (ecrf.cli.main): the collector tuned before any work.
TUNE = "from ecrf.runtime import tune_garbage_collector; tune_garbage_collector()\n"

LOAD_CODE = TUNE + """\
import sys, time
t = time.perf_counter_ns()
import ecrf.study.loader
ecrf.study.loader.load_study(sys.argv[1])
print(time.perf_counter_ns() - t)
"""

FLOOR_CODE = TUNE + """\
import sys, time
t = time.perf_counter_ns()
import pathlib, yaml
folder = pathlib.Path(sys.argv[1])
for p in sorted(folder.iterdir()) + sorted((folder / "display").glob("*.yaml")):  # what load_study reads
    if p.suffix in (".yaml", ".yml"):
        yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
print(time.perf_counter_ns() - t)
"""


def run(scale: Scale = Scale.FULL) -> list[Result]:
    runs = scale.pick(full=15, quick=3, smoke=1)  # 15: the median of 7 moved ±15 % on a shared machine
    folder = str(FORMS_DIR)
    warm: list[int] = []
    no_cache: list[int] = []
    floor: list[int] = []
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        bytecode = bytecode_env()
        warm_cache = {**bytecode, "ECRF_CACHE_DIR": str(Path(tmp) / "warm")}
        subprocess_ns(LOAD_CODE, folder, env=warm_cache)  # warms the grammar cache, .pyc and the OS file cache
        subprocess_ns(FLOOR_CODE, folder, env=bytecode)
        for i in range(runs):  # interleaved, so a slow moment of the machine hits all three alike
            warm.append(subprocess_ns(LOAD_CODE, folder, env=warm_cache))
            floor.append(subprocess_ns(FLOOR_CODE, folder, env=bytecode))
            empty = {**bytecode, "ECRF_CACHE_DIR": str(Path(tmp) / f"empty-{i}")}
            no_cache.append(subprocess_ns(LOAD_CODE, folder, env=empty))
    floor_ms = median_ms(floor)
    warm_ms, first_ms = median_ms(warm), median_ms(no_cache)
    return [
        Result("load study definition (cold)", warm_ms, "ms", floor_ms, f"≤ {GOAL_MS:g} ms", warm_ms <= GOAL_MS,
               MAX_RATIO),
        Result("load study definition (first start, no cache)", first_ms, "ms", floor_ms,
               f"≤ {FIRST_START_GOAL_MS:g} ms (info)", first_ms <= FIRST_START_GOAL_MS),
    ]
