"""Test data made once per run and shared by every pytest-xdist worker (the suite runs on all cores)."""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock


def made_once_per_run(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:  # type: ignore[no-untyped-def]
    """A folder that `make` fills once per test run, shared by every pytest-xdist worker (the first to need it
    makes it under a file lock; the others wait and use it). Users must treat it as read-only or copy it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's base folder, above every worker's own
    folder = root / f"shared-{name}"
    with FileLock(str(folder) + ".lock"):
        if not (folder / ".complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".complete").touch()
    return folder
