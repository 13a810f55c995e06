"""The benchmarks run and give sane rows. Speed goals are bench/'s business: nothing here looks at
times against goals (tests never assert wall-clock time)."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # bench/ is a folder of the repo, not part of the installed package
    sys.path.insert(0, str(REPO))

from bench.__main__ import row, table  # noqa: E402 (after the sys.path line above)
from bench.registry import BENCHMARKS, runner  # noqa: E402 (after the sys.path line above)
from bench.result import Result  # noqa: E402 (after the sys.path line above)
from bench.scale import Scale  # noqa: E402 (after the sys.path line above)


@pytest.mark.parametrize("key", list(BENCHMARKS))
def test_benchmark_runs_and_gives_sane_results(key: str) -> None:
    results = runner(key)(Scale.SMOKE)  # the smallest input, once
    assert results, f"benchmark {key} gave no rows"
    for result in results:
        assert isinstance(result, Result)
        assert result.name and result.unit and result.goal_text
        assert isinstance(result.goal_ok, bool) and isinstance(result.met, bool)
        assert result.max_ratio is None or result.max_ratio > 0
        assert result.value > 0 and result.floor > 0
        assert math.isfinite(result.ratio) and result.ratio > 0
    printed = table([row(r) for r in results])
    assert all(r.name in printed for r in results)
