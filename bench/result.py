"""One row of the benchmark table."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """A measured figure, the floor measured in the same run (same unit), and the goal it is held to."""

    name: str
    value: float
    unit: str
    floor: float
    goal_text: str  # e.g. "≤ 150 ms"
    goal_ok: bool

    @property
    def ratio(self) -> float:
        return self.value / self.floor if self.floor > 0 else float("inf")
