"""The licence texts that go into the built folder: Qt and PySide6 are LGPL-3.0 (kept as separate shared
libraries, so that a user can replace them), plus each bundled Python distribution's own licence files."""
from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

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
    for dist in sorted(_bundled(folder / "_internal"), key=lambda d: d.metadata["Name"].lower()):
        name = dist.metadata["Name"]
        declared = dist.metadata.get("License-Expression") or dist.metadata.get("License") or "see its files"
        listing.append(f"{name} {dist.version}: {declared.splitlines()[0] if declared else 'see its files'}")
        for file in dist.files or []:
            if "licen" in file.name.lower() or "copying" in file.name.lower() or file.name.lower() == "notice":
                source = Path(str(file.locate()))
                if source.is_file():
                    shutil.copy2(source, target / f"{name}-{file.name}")
    (target / "THIRD-PARTY.txt").write_text(
        "The Python distributions bundled in _internal, with their declared licences:\n"
        + "\n".join(listing) + "\n", encoding="utf-8")
    return target


def _bundled(internal: Path) -> list[metadata.Distribution]:
    """The installed distributions of which a top-level package or module ended up in the folder."""
    found = []
    for dist in metadata.distributions():
        tops = {Path(str(f)).parts[0].split(".", 1)[0] for f in dist.files or [] if Path(str(f)).parts}
        tops = {t for t in tops if not t.endswith(("dist-info", "egg-info")) and t not in ("..", "bin", "__pycache__")}
        if any((internal / top).exists() or any(internal.glob(top + ".*")) for top in tops):
            found.append(dist)
    return found
