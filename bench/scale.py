"""How big a benchmark run is: the full figures, a quicker rough run, or the test suite's smoke run."""
from __future__ import annotations

from enum import Enum
from typing import TypeVar

T = TypeVar("T")


class Scale(Enum):
    FULL = "full"  # the figures the README and the issues quote
    QUICK = "quick"  # fewer repetitions: rougher figures, same inputs
    SMOKE = "smoke"  # the smallest input, once: does it run and give sane rows (tests/test_bench_smoke.py)

    def pick(self, full: T, quick: T, smoke: T) -> T:
        return {Scale.FULL: full, Scale.QUICK: quick, Scale.SMOKE: smoke}[self]
