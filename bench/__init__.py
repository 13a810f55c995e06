"""Speed benchmarks of ecrf: `python -m bench` prints each figure as a ratio to a floor measured in
the same run (the same kind of work done the barest way), so the numbers mean something on any machine.

Tests never assert wall-clock time; the goals live here. To add a benchmark, write a module under
bench/ with `run(scale: bench.scale.Scale) -> list[Result]` and list it in bench/registry.py.
"""
from bench.result import Result

__all__ = ["Result"]
