"""Where the app finds its own files: the study definition (`forms/`) and `resources/` (fonts,
translations), and where site databases live.

`forms/` and `resources/` sit at the top of the repository (the required layout), outside the `ecrf`
package. One resolver, `shipped_dir()`, finds them in each way the app can run:

1. a frozen PyInstaller app: the build puts both folders in `sys._MEIPASS` (the installer's data dir);
2. an installed wheel: the build copies both into the package as `ecrf/_data/` (see `setup.py`);
3. a source checkout (also `pip install -e .`): the folders beside the `ecrf` package.

`$ECRF_FORMS` names another study definition and wins over all three for `forms/`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from ecrf.errors import Bug, EcrfError, Message, register

_PACKAGE = Path(__file__).resolve().parent
BUNDLED_DATA = _PACKAGE / "_data"  # filled by the wheel build only; absent (and ignored by git) in a checkout
CHECKOUT_MARKER = "pyproject.toml"  # a source checkout's root holds it; site-packages does not
SHIPPED = ("forms", "resources")


class ShippedDataMissing(EcrfError):
    """The app's own `forms/` or `resources/` folder is in none of the places an install puts it."""

    def __init__(self, name: str, looked_in: list[Path]) -> None:
        self.name, self.looked_in = name, looked_in
        code = "shipped-forms-missing" if name == "forms" else "shipped-data-missing"
        super().__init__(code, name=name, looked_in=", ".join(map(str, looked_in)))


register("core", {
    "shipped-forms-missing": Message(
        "The app's own study definition folder 'forms' was not found (looked in: {looked_in}).",
        "The installation is incomplete: reinstall ecrf (from a source checkout: pip install -e .), or name a "
        "study definition with --forms DIR or $ECRF_FORMS.",
        "未找到应用自带的研究定义文件夹“forms”（已查找：{looked_in}）。",
        "安装不完整：请重新安装 ecrf（从源代码目录：pip install -e .），"
        "或用 --forms DIR 或 $ECRF_FORMS 指定研究定义。"),
    "shipped-data-missing": Message(
        "The app's own '{name}' folder was not found (looked in: {looked_in}).",
        "The installation is incomplete: reinstall ecrf (from a source checkout: pip install -e .).",
        "未找到应用自带的“{name}”文件夹（已查找：{looked_in}）。",
        "安装不完整：请重新安装 ecrf（从源代码目录：pip install -e .）。"),
})


def shipped_dir(name: str) -> Path:
    """The shipped top-level folder `name` ('forms' or 'resources') of this installation; raises
    ShippedDataMissing, naming every place looked in, when no install layout holds it."""
    if name not in SHIPPED:
        raise Bug(f"not a shipped folder: {name!r}")
    candidates = _candidates(name)
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise ShippedDataMissing(name, candidates)


def _candidates(name: str) -> list[Path]:
    """Where `name` may be, most specific first. A frozen app looks nowhere else: its own folder is the
    only one the installer vouches for, so a stray checkout never leaks into a frozen build."""
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller's data folder (sys.frozen is set with it)
    if frozen:
        return [Path(frozen) / name]
    found = [BUNDLED_DATA / name]
    if (_PACKAGE.parent / CHECKOUT_MARKER).is_file():
        found.append(_PACKAGE.parent / name)
    return found


def default_forms_dir() -> Path:
    """The study definition to use when none is named: $ECRF_FORMS, else the shipped `forms/`."""
    env = os.environ.get("ECRF_FORMS")
    if env:
        return Path(env).expanduser()
    return shipped_dir("forms")


def resource_path(*parts: str) -> Path:
    """A file under the shipped `resources/` (fonts, translations, icons)."""
    return shipped_dir("resources").joinpath(*parts)


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
