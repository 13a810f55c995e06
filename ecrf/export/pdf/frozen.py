"""Worker processes in a frozen (PyInstaller) app: a spawned worker starts as the app's own executable, so the
app's entry point must hand such a start to multiprocessing before it does anything else. Kept apart from the
pool so that the entry point can call it without importing reportlab."""
from __future__ import annotations

import multiprocessing
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

_enabled = False


def enable_frozen_workers() -> None:
    """Call first thing in a frozen app's entry point: in a worker it runs the worker and exits, in the app it
    returns. Without this call a frozen app lays out casebooks in-process."""
    global _enabled
    multiprocessing.freeze_support()
    _enabled = True


def frozen_without_workers() -> bool:
    """A frozen app whose entry point did not call `enable_frozen_workers`: starting a worker would start the
    whole app again."""
    return bool(getattr(sys, "frozen", False)) and not _enabled


@contextmanager
def main_module_hidden() -> Iterator[None]:
    """Spawn re-imports the parent's main script in each worker; for the `ecrf` console script that is the
    whole CLI (~0.5 s of imports a worker never uses). The workers (casebooks, the merge's verification) only
    run functions of their pool's module, so they are started while `__main__` is a bare module. (A frozen
    app's workers start through freeze_support instead, before any import of the app.)"""
    main = sys.modules.get("__main__")
    if main is None or getattr(sys, "frozen", False):
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main
