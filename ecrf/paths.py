"""Where the app finds its own files, from a source checkout or an installed/frozen build."""
from __future__ import annotations

import os
import sys
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def default_forms_dir() -> Path:
    """The study definition to use when none is named: $ECRF_FORMS, else the bundled `forms/`."""
    env = os.environ.get("ECRF_FORMS")
    if env:
        return Path(env)
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller puts data files here
    if frozen:
        return Path(frozen) / "forms"
    return _SOURCE_ROOT / "forms"
