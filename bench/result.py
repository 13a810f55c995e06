"""One row of the benchmark table."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """A measured figure, the floor measured in the same run (same unit), and the goal it is held to.

    The goal has two halves where `max_ratio` is set: the absolute figure (`goal_ok`, judged by the
    benchmark) and the ratio to the floor, which holds across machines of different speed."""

    name: str
    value: float
    unit: str
    floor: float
    goal_text: str  # e.g. "≤ 150 ms"
    goal_ok: bool
    max_ratio: float | None = None  # e.g. 2.5: the figure may be at most 2.5× its floor

    @property
    def ratio(self) -> float:
        return self.value / self.floor if self.floor > 0 else float("inf")

    @property
    def goal(self) -> str:
        """The goal as the table prints it: the absolute half, then the ratio half if there is one."""
        if self.max_ratio is None:
            return self.goal_text
        return f"{self.goal_text} and ≤ {self.max_ratio:g}× floor"

    @property
    def met(self) -> bool:
        """Both halves of the goal hold in this run."""
        return self.goal_ok and (self.max_ratio is None or self.ratio <= self.max_ratio)
