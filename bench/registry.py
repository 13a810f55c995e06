"""The registered benchmarks, in table order: a short key → the module that runs them.

Each module exposes `run(scale: Scale) -> list[Result]` (a module may give several rows)."""
from __future__ import annotations

import importlib
from collections.abc import Callable

from bench.result import Result
from bench.scale import Scale

Runner = Callable[[Scale], list[Result]]

BENCHMARKS: dict[str, str] = {
    "load_study": "bench.load_study",
    "validate_form": "bench.validate_form",
    "save_form": "bench.save_form",
    "seals": "bench.seals",
    "unlock": "bench.unlock",
    "demo": "bench.demo_site",
    "ui_matrix": "bench.ui_matrix",
    "ui_start": "bench.ui_start",
    "ui_forms": "bench.ui_forms",
    "export_demo": "bench.export_demo",
    "export_casebook": "bench.export_casebook",
    "export_memory": "bench.export_memory",
    "sdv_matrix": "bench.sdv_matrix",
    "esign": "bench.esign",
    "query_inbox": "bench.query_inbox",
    "export_monitoring": "bench.export_monitoring",
    "merge_throughput": "bench.merge_throughput",
    "merge_remerge": "bench.merge_remerge",
    "merge_memory": "bench.merge_memory",
}


def runner(key: str) -> Runner:
    module = importlib.import_module(BENCHMARKS[key])
    return module.run  # type: ignore[no-any-return]


def select(only: str | None) -> list[str]:
    """The keys to run: all, or those whose key contains `only`."""
    if only is None:
        return list(BENCHMARKS)
    return [key for key in BENCHMARKS if only in key]
