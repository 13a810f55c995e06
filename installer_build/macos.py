"""macOS: ecrf.app gets what the folder gets, then is zipped, so that it has a size and SHA-256 to hand out.

PyInstaller makes ecrf.app (BUNDLE) from the folder's contents before build_installer.py writes LICENSES/ and
BUILD-INFO.txt into the folder, so those go into the bundle's Contents/Resources here (where the app's About
finds LICENSES: ecrf.components.licence_folder). PyInstaller signed the bundle ad hoc, and a file added since
breaks that seal, so it is signed again ad hoc (sign it with a Developer ID before handing it out). `ditto`
zips it keeping its symbolic links and signature, as Apple's notarisation expects.

Not run here (CI is Linux): tests/test_build_installer.py checks the paths and the commands.
"""
from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from installer_build import licenses

APP = "ecrf.app"
RunCommand = Callable[[list[str]], object]  # runs a command, raising when it fails


def _run(command: list[str]) -> object:
    return subprocess.run(command, check=True, capture_output=True)


def resources(app: Path) -> Path:
    return app / "Contents" / "Resources"


def sign_command(app: Path) -> list[str]:
    return ["codesign", "--force", "--deep", "--sign", "-", str(app)]


def zip_command(app: Path, archive: Path) -> list[str]:
    return ["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent", str(app), str(archive)]


def finish_app(app: Path, record: str, run: RunCommand | None = None) -> Path:
    """LICENSES/ and BUILD-INFO.txt (the folder's record: the bundle's own checksum is its zip's) into the
    bundle's Contents/Resources, then the bundle signed again ad hoc. Returns the Resources folder."""
    target = resources(app)
    if not target.is_dir():
        raise FileNotFoundError(f"{target} (PyInstaller made no app bundle there)")
    licenses.write_licences(target)
    (target / "BUILD-INFO.txt").write_text(
        record + f"(in {APP}: the record of the folder the bundle was made from; the bundle's own SHA-256 is its "
        ".zip's)\n", encoding="utf-8")
    (run or _run)(sign_command(app))
    return target


def make_zip(app: Path, archive: Path, run: RunCommand | None = None) -> Path:
    """`archive` (.zip) holding the bundle under its own name; written to a .partial name, then renamed."""
    partial = archive.with_name(archive.name + ".partial")
    partial.unlink(missing_ok=True)
    (run or _run)(zip_command(app, partial))
    partial.replace(archive)
    return archive
