"""Worker processes in a frozen (PyInstaller) app: a spawned worker starts as the app's own executable, so the
app's entry point must hand such a start to multiprocessing before it does anything else. Kept apart from the
pool so that the entry point can call it without importing reportlab."""
from __future__ import annotations

import multiprocessing
import sys

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
