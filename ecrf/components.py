"""The Python software this copy of ecrf runs on, with versions and licences: one list for Help › About,
`ecrf about` and the installer's LICENSES/THIRD-PARTY.txt, so the three cannot drift apart.

The list is ecrf's runtime requirements all the way down (with the extras they name), read from the installed
distributions' metadata:
- from a source checkout, the requirements of pyproject.toml (an editable install's own record may be older);
- from an installed wheel, ecrf's own metadata;
- in the frozen app, every distribution whose metadata the build put into the app's folder (installer_build
  copies each one's METADATA: PyInstaller copies none by default, and importlib.metadata would find nothing).
What is not a Python distribution (Qt's own build, Python, the fonts) is the caller's to add.
"""
from __future__ import annotations

import importlib
import re
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ecrf.paths import CHECKOUT_MARKER

_CHECKOUT = Path(__file__).resolve().parent.parent
LICENCES_FOLDER = "LICENSES"  # in the built app: beside the executable, or in ecrf.app/Contents/Resources
# Distributions whose metadata declares no licence at all (their licence files say it; checked by hand).
UNDECLARED = {"sqlcipher3": "zlib (binding); SQLCipher: BSD-3-Clause"}
_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?")
_EXTRA = re.compile(r"extra\s*==\s*[\"']([^\"']+)")


@dataclass(frozen=True)
class Component:
    name: str
    version: str  # "" when it cannot be read
    licence: str


def runtime_distributions() -> list[metadata.Distribution]:
    """What this copy runs on, one per distribution name, sorted by name (case ignored)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if not frozen:
        return closure(runtime_requirements())
    # PyInstaller copies ecrf's own metadata too (it reads its version): not a component it runs on
    return _sorted_unique(d for d in metadata.distributions(path=[frozen]) if _key(d.metadata["Name"]) != "ecrf")


def python_components() -> list[Component]:
    return [Component(dist.metadata["Name"], dist.version or "", declared_licence(dist))
            for dist in runtime_distributions()]


def runtime_requirements(checkout: Path = _CHECKOUT) -> list[str]:
    """ecrf's own requirements: pyproject.toml's in a checkout, else the installed ecrf's (whose extras' ones
    closure() leaves out)."""
    pyproject = checkout / CHECKOUT_MARKER
    if pyproject.is_file():
        return list(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"])
    try:
        return metadata.requires("ecrf") or []
    except metadata.PackageNotFoundError:  # neither a checkout nor an install: nothing to tell
        return []


def closure(requirements: Iterable[str]) -> list[metadata.Distribution]:
    """The installed distributions these requirements name, with everything they require in turn (the extras
    named included, other extras left out). One not installed is skipped: another platform's or Python's."""
    todo = [parsed for requirement in requirements
            if (parsed := _parse(requirement)) is not None and _applies(requirement, set())]
    found: dict[str, metadata.Distribution] = {}
    while todo:
        name, extras = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        key = _key(name) + "[" + ",".join(sorted(extras)) + "]"
        if key in found:
            continue
        found[key] = dist
        for requirement in dist.requires or []:
            parsed = _parse(requirement)
            if parsed is not None and _applies(requirement, extras):
                todo.append(parsed)
    return _sorted_unique(found.values())


def _applies(requirement: str, extras: set[str]) -> bool:
    """Whether a requirement holds here: its environment marker (python_version, sys_platform …, and the extra)
    is true. A marker for an older Python names a backport that may be importable anyway (setuptools puts its
    vendored importlib_metadata on sys.path), which this copy does not run on."""
    try:  # by name, so that PyInstaller does not bundle packaging: the frozen app never computes the closure
        requirements = importlib.import_module("packaging.requirements")
        marker = requirements.Requirement(requirement).marker
    except ImportError:  # without packaging only the extra is checked: a few more listed, never fewer
        extra = _EXTRA.search(requirement)
        return extra is None or extra.group(1) in extras
    except ValueError:  # packaging's InvalidRequirement: keep it rather than hide a dependency
        return True
    return marker is None or any(marker.evaluate({"extra": extra}) for extra in sorted(extras) or [""])


def _sorted_unique(found: Iterable[metadata.Distribution]) -> list[metadata.Distribution]:
    """One per distribution name, sorted by name (case ignored)."""
    unique = {_key(dist.metadata["Name"]): dist for dist in found}
    return sorted(unique.values(), key=lambda dist: dist.metadata["Name"].lower())


def declared_licence(dist: metadata.Distribution) -> str:
    """The licence its metadata declares: the SPDX expression, else the licence field's first line up to any
    "(see …)", else its licence classifier."""
    fields = dist.metadata.json  # every field, [] or "" when absent
    declared = str(fields.get("license_expression") or fields.get("license") or "").strip()
    if declared:
        return declared.splitlines()[0].split(" (see ")[0].strip()
    classifiers = [c.split(" :: ")[-1] for c in fields.get("classifier", []) if c.startswith("License ::")]
    return "; ".join(classifiers) or UNDECLARED.get(_key(dist.metadata["Name"]), "not declared: see its licence files")


def licence_folder(executable: Path | None = None) -> Path | None:
    """The built app's LICENSES folder: beside the executable (Linux, Windows), or in the macOS app bundle's
    Contents/Resources (the executable is Contents/MacOS/ecrf). None when not frozen or not there."""
    if executable is None:
        if not getattr(sys, "frozen", False):
            return None
        executable = Path(sys.executable)
    here = executable.resolve().parent
    for folder in (here / LICENCES_FOLDER, here.parent / "Resources" / LICENCES_FOLDER):
        if folder.is_dir():
            return folder
    return None


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse(requirement: str) -> tuple[str, set[str]] | None:
    match = _REQUIREMENT.match(requirement)
    if match is None:
        return None
    return match.group(1), {e.strip() for e in (match.group(2) or "").split(",") if e.strip()}
