"""`python -m bench [--only NAME] [--quick | --smoke]`: run the benchmarks and print one table.

Each benchmark runs in a fresh interpreter, as the app would: one benchmark's leftovers (objects for the
collector to walk, caches, a warm Qt) never weigh on the next. Exit code 0 whatever the figures are (goals
are reported, not enforced); 1 only if a benchmark crashed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
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


ROWS_MARK = "bench-rows: "  # a child's result line on stdout (other lines are the benchmarks' own notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="NAME",
                        help=f"run only benchmarks whose key contains NAME ({', '.join(BENCHMARKS)})")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="fewer repetitions (rougher figures)")
    size.add_argument("--smoke", action="store_true", help="the smallest inputs, once (does every benchmark run?)")
    parser.add_argument("--one", metavar="KEY", help=argparse.SUPPRESS)  # a child: run KEY here, print its rows
    args = parser.parse_args(argv)
    scale = Scale.SMOKE if args.smoke else Scale.QUICK if args.quick else Scale.FULL
    if args.one:
        return _run_here(args.one, scale)
    keys = select(args.only)
    if not keys:
        parser.error(f"no benchmark matches {args.only!r}; known: {', '.join(BENCHMARKS)}")
    _shared_cache()  # one grammar cache for all the children
    rows: list[tuple[str, ...]] = []
    crashed = False
    for key in keys:
        found = _run_fresh(key, scale)
        crashed |= found is None
        rows.extend(found or [(key, "-", "-", "-", "-", "crashed")])
    print(table(rows))
    return 1 if crashed else 0


def _run_fresh(key: str, scale: Scale) -> list[tuple[str, ...]] | None:
    """`key`'s rows from a fresh interpreter (None: it crashed, its output says why)."""
    flag = {Scale.SMOKE: ["--smoke"], Scale.QUICK: ["--quick"], Scale.FULL: []}[scale]
    done = subprocess.run([sys.executable, "-m", "bench", "--one", key, *flag], stdout=subprocess.PIPE, text=True,
                          check=False)
    rows = None
    for line in done.stdout.splitlines():
        if line.startswith(ROWS_MARK):
            rows = [tuple(r) for r in json.loads(line.removeprefix(ROWS_MARK))]
        else:
            print(line)
    return rows if done.returncode == 0 else None


def _run_here(key: str, scale: Scale) -> int:
    tune_garbage_collector()  # as the app does at start (ecrf.cli.main): figures and floors alike
    _shared_cache()
    try:
        results = runner(key)(scale)
    except Exception:  # noqa: BLE001 - report it, the parent runs the others
        traceback.print_exc()
        return 1
    print(ROWS_MARK + json.dumps([row(r) for r in results], ensure_ascii=False), flush=True)
    return 0


def _shared_cache() -> None:
    """In-process loads parse expressions: keep lark's grammar cache out of the user's own folders."""
    os.environ.setdefault("ECRF_CACHE_DIR", tempfile.mkdtemp(prefix="ecrf-bench-cache-"))


if __name__ == "__main__":
    sys.exit(main())
