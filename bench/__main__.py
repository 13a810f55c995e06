"""`python -m bench [--only NAME] [--quick | --smoke]`: run the benchmarks and print one table.

Exit code 0 whatever the figures are (goals are reported, not enforced); 1 only if a benchmark crashed.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback

from bench.registry import BENCHMARKS, runner, select
from bench.result import Result
from bench.scale import Scale
from ecrf.runtime import tune_garbage_collector

HEADERS = ("benchmark", "figure", "floor", "ratio", "goal", "verdict")


def _num(x: float, unit: str) -> str:
    digits = 2 if x < 10 else 1 if x < 100 else 0
    return f"{x:.{digits}f} {unit}"


def row(result: Result) -> tuple[str, ...]:
    verdict = "ok" if result.met else "over goal"
    return (result.name, _num(result.value, result.unit), _num(result.floor, result.unit),
            f"{result.ratio:.1f}×", result.goal, verdict)


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in [HEADERS, *rows]) for i in range(len(HEADERS))]
    right = {1, 2, 3}  # numbers line up on the right

    def line(cells: tuple[str, ...]) -> str:
        cells_out = (c.rjust(w) if i in right else c.ljust(w)
                     for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "  ".join(cells_out).rstrip()

    return "\n".join([line(HEADERS), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="NAME",
                        help=f"run only benchmarks whose key contains NAME ({', '.join(BENCHMARKS)})")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="fewer repetitions (rougher figures)")
    size.add_argument("--smoke", action="store_true", help="the smallest inputs, once (does every benchmark run?)")
    args = parser.parse_args(argv)
    tune_garbage_collector()  # as the app does at start (ecrf.cli.main): figures and floors alike
    keys = select(args.only)
    scale = Scale.SMOKE if args.smoke else Scale.QUICK if args.quick else Scale.FULL
    if not keys:
        parser.error(f"no benchmark matches {args.only!r}; known: {', '.join(BENCHMARKS)}")
    # In-process loads parse expressions: keep lark's grammar cache out of the user's own folders.
    os.environ.setdefault("ECRF_CACHE_DIR", tempfile.mkdtemp(prefix="ecrf-bench-cache-"))
    rows: list[tuple[str, ...]] = []
    crashed = False
    for key in keys:
        try:
            rows.extend(row(r) for r in runner(key)(scale))
        except Exception:  # noqa: BLE001 - report it as a row, run the others
            crashed = True
            traceback.print_exc()
            rows.append((key, "-", "-", "-", "-", "crashed"))
    print(table(rows))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
