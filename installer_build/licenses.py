"""The licence texts that go into the built folder: Qt and PySide6 are LGPL-3.0 (kept as separate shared
libraries, so that a user can replace them), plus each bundled Python distribution's own licence files."""
from __future__ import annotations

import re
import shutil
import tomllib
from importlib import metadata
from pathlib import Path

from installer_build.plan import ROOT

TEXTS = Path(__file__).resolve().parent / "licenses"  # the GNU texts; the PySide6 wheels carry none
QT_NOTICE = """\
This application bundles Qt {qt} and PySide6 {qt} (Qt for Python), used under the GNU Lesser General Public
License version 3 (LGPL-3.0.txt, which adds to GPL-3.0.txt). Qt and PySide6 are unmodified and kept as separate
shared libraries in _internal/PySide6 (and _internal/shiboken6): you may replace them with your own builds of
the same version. Their source code: https://download.qt.io/official_releases/ and
https://code.qt.io/cgit/pyside/pyside-setup.git/ (tag v{qt}).
"""


def write_licences(folder: Path) -> Path:
    """LICENSES/ inside the built folder: the LGPL/GPL texts, the Qt notice, and per distribution its licence
    files (from its dist-info) and declared licence, listed in THIRD-PARTY.txt."""
    target = folder / "LICENSES"
    target.mkdir()
    for text in sorted(TEXTS.glob("*.txt")):
        shutil.copy2(text, target / text.name)
    (target / "Qt-and-PySide6.txt").write_text(QT_NOTICE.format(qt=metadata.version("PySide6-Essentials")),
                                               encoding="utf-8")
    listing = []
    for dist in sorted(_bundled(), key=lambda d: d.metadata["Name"].lower()):
        name = dist.metadata["Name"]
        listing.append(f"{name} {dist.version}: {_declared_licence(dist)}")
        for file in dist.files or []:
            if "licen" in file.name.lower() or "copying" in file.name.lower() or file.name.lower() == "notice":
                source = Path(str(file.locate()))
                if source.is_file():
                    shutil.copy2(source, target / f"{name}-{file.name}")
    (target / "THIRD-PARTY.txt").write_text(
        "The Python distributions bundled in _internal (the app's runtime dependencies), with their licences:\n"
        + "\n".join(listing) + "\n", encoding="utf-8")
    return target


def _declared_licence(dist: metadata.Distribution) -> str:
    """The licence its metadata declares (first line: some put the whole text there), else a pointer to its files."""
    fields = dist.metadata.json  # every field, [] or "" when absent
    declared = str(fields.get("license_expression") or fields.get("license") or "").strip()
    return declared.splitlines()[0] if declared else "see its files in this folder"


_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?")


def _bundled() -> list[metadata.Distribution]:
    """The app's installed runtime dependencies (pyproject.toml's, with the extras they name), all the way down:
    what PyInstaller bundles. Read from pyproject.toml, not the app's install record, which may be older."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [_parse(requirement) for requirement in project["dependencies"]]
    found: dict[str, metadata.Distribution] = {}
    while todo:
        name, extras = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:  # a dependency of another platform or Python version
            continue
        key = re.sub(r"[-_.]+", "-", name).lower() + "[" + ",".join(sorted(extras)) + "]"
        if key in found:
            continue
        found[key] = dist
        for requirement in dist.requires or []:
            extra = re.search(r"extra\s*==\s*[\"']([^\"']+)", requirement)
            if extra is None or extra.group(1) in extras:
                todo.append(_parse(requirement))
    unique = {dist.metadata["Name"]: dist for dist in found.values()}
    return list(unique.values())


def _parse(requirement: str) -> tuple[str, set[str]]:
    match = _REQUIREMENT.match(requirement)
    assert match is not None, requirement
    return match.group(1), {e.strip() for e in (match.group(2) or "").split(",") if e.strip()}
