"""The licence texts that go into the built folder (and ecrf.app's Contents/Resources): Qt and PySide6 are
LGPL-3.0 (kept as separate shared libraries, so that a user can replace them), plus each bundled Python
distribution's own licence files; and each one's metadata, from which the app's Help › About reads its version.
Which distributions: ecrf.components, the same list About shows."""
from __future__ import annotations

import re
import shutil
from importlib import metadata
from pathlib import Path

from ecrf.components import LICENCES_FOLDER, closure, declared_licence, runtime_requirements
from installer_build.plan import ROOT

TEXTS = Path(__file__).resolve().parent / "licenses"  # the GNU texts; the PySide6 wheels carry none
QT_NOTICE = """\
This application bundles Qt {qt} and PySide6 {qt} (Qt for Python), used under the GNU Lesser General Public
License version 3 (LGPL-3.0.txt, which adds to GPL-3.0.txt). Qt and PySide6 are unmodified and kept as separate
shared libraries in _internal/PySide6 and _internal/shiboken6 (in ecrf.app: Contents/Frameworks/PySide6 and
shiboken6): you may replace them with your own builds of the same version. Their source code:
https://download.qt.io/official_releases/ and https://code.qt.io/cgit/pyside/pyside-setup.git/ (tag v{qt}).
"""


def write_licences(folder: Path) -> Path:
    """LICENSES/ inside `folder` (the built folder, or ecrf.app/Contents/Resources): the LGPL/GPL texts, the Qt
    notice, per distribution its licence files (from its dist-info), and THIRD-PARTY.txt: the app's own notices
    (resources/licenses/THIRD-PARTY.txt), then every bundled distribution with its version and declared licence,
    from ecrf.components as Help › About lists them."""
    target = folder / LICENCES_FOLDER
    target.mkdir()
    for text in sorted(TEXTS.glob("*.txt")):
        shutil.copy2(text, target / text.name)
    (target / "Qt-and-PySide6.txt").write_text(QT_NOTICE.format(qt=metadata.version("PySide6-Essentials")),
                                               encoding="utf-8")
    listing = []
    for dist in bundled():
        name = dist.metadata["Name"]
        listing.append(f"{name} {dist.version}: {declared_licence(dist)}")
        for file in dist.files or []:
            if "licen" in file.name.lower() or "copying" in file.name.lower() or file.name.lower() == "notice":
                source = Path(str(file.locate()))
                if source.is_file():
                    shutil.copy2(source, target / f"{name}-{file.name}")
    notices = (ROOT / "resources" / "licenses" / "THIRD-PARTY.txt").read_text(encoding="utf-8")
    (target / "THIRD-PARTY.txt").write_text(
        notices + "\n\nThe Python distributions bundled (the app's runtime dependencies, all the way down), with "
        "their declared licences; their licence files are in this folder, named after them:\n"
        + "\n".join(listing) + "\n", encoding="utf-8")
    return target


def bundled() -> list[metadata.Distribution]:
    """The app's installed runtime dependencies (pyproject.toml's, with the extras they name), all the way down:
    what PyInstaller bundles, and what Help › About lists (ecrf.components, from the same pyproject.toml)."""
    return closure(runtime_requirements(ROOT))


def stage_metadata(target: Path) -> list[tuple[str, str]]:
    """Each bundled distribution's METADATA, its headers only (the long description can be 100 KB), in
    target/<its dist-info folder's name>/: PyInstaller's `datas` entries that put it into the app, where
    importlib.metadata finds it. PyInstaller copies no metadata by default, and About's versions come from it."""
    entries = []
    for dist in bundled():
        info = dist_info_name(dist)
        headers = (dist.read_text("METADATA") or "").replace("\r\n", "\n").split("\n\n", 1)[0]
        (target / info).mkdir(parents=True, exist_ok=True)
        (target / info / "METADATA").write_text(headers + "\n", encoding="utf-8")
        entries.append((str(target / info / "METADATA"), info))
    return entries


def dist_info_name(dist: metadata.Distribution) -> str:
    """Its installed dist-info folder's name, so that a PyInstaller hook copying the whole folder lands on the
    same one rather than making a second."""
    installed = getattr(dist, "_path", None)  # PathDistribution's; the only kind pip installs
    if isinstance(installed, Path) and installed.name.endswith(".dist-info"):
        return installed.name
    return f"{re.sub(r'[-_.]+', '_', dist.metadata['Name'])}-{dist.version}.dist-info"


def missing_metadata(internal: Path) -> list[str]:
    """The bundled distributions (name version) whose metadata is not in the built app's folder `internal`
    (sys._MEIPASS), so that Help › About could not tell their versions."""
    found = {(_key(dist.metadata["Name"]), dist.version) for dist in metadata.distributions(path=[str(internal)])}
    return [f"{dist.metadata['Name']} {dist.version}" for dist in bundled()
            if (_key(dist.metadata["Name"]), dist.version) not in found]


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
