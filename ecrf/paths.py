"""Where the app finds its own files, from a source checkout or an installed/frozen build."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

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


def data_dir() -> Path:
    """Where site databases live: $ECRF_DATA_DIR, else the platform's per-user data folder."""
    env = os.environ.get("ECRF_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("ecrf", appauthor=False))


def default_site_db() -> Path:
    """The site database of `ecrf init` and every site command when no --db is given."""
    return data_dir() / "site.db"


def default_demo_db() -> Path:
    """The database `ecrf demo` makes when no --db is given: apart from the real site."""
    return data_dir() / "demo" / "site.db"


def resource_path(*parts: str) -> Path:
    """A file under `resources/` (fonts, translations, icons), from source or a PyInstaller build."""
    frozen = getattr(sys, "_MEIPASS", None)
    root = Path(frozen) if frozen else _SOURCE_ROOT
    return root.joinpath("resources", *parts)
