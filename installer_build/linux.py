"""Linux: a desktop entry and icon inside the folder, then the folder as a .tar.gz.

The X11 libraries Qt's xcb plugin needs (libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1 …) are collected
by the build from the build machine, so the tarball starts on a fresh Debian; `missing_xcb_libraries`
checks that they did end up in the folder.
"""
from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

from installer_build.plan import APP_NAME, ICON_PNG

# What the xcb platform plugin links against beyond libX11/libxcb: a fresh Debian 12 lacks the first three.
XCB_LIBRARIES = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-image.so.0",
                 "libxcb-render-util.so.0", "libxkbcommon-x11.so.0")
DESKTOP_ENTRY = """\
[Desktop Entry]
Type=Application
Name=ecrf
GenericName=Electronic case report forms
Comment=Offline eCRF for clinical trials
Exec=sh -c '"$(dirname "$1")/ecrf" gui' sh %k
Icon=ecrf
Terminal=false
Categories=Office;MedicalSoftware;
"""


def add_desktop_entry(folder: Path) -> None:
    """ecrf.desktop (starts the app from the folder the entry is in: double-click it in a file manager) and
    ecrf.png (for the menu: copy it to ~/.local/share/icons/hicolor/256x256/apps/, see the README)."""
    shutil.copy2(ICON_PNG, folder / "ecrf.png")
    entry = folder / f"{APP_NAME}.desktop"
    entry.write_text(DESKTOP_ENTRY, encoding="utf-8")
    entry.chmod(0o755)


def missing_xcb_libraries(folder: Path) -> list[str]:
    internal = folder / "_internal"
    return [name for name in XCB_LIBRARIES if not (internal / name).exists()]


def make_tarball(folder: Path, archive: Path) -> Path:
    """`archive` (.tar.gz) holding the folder under its own name; written to a .partial name, then renamed."""
    partial = archive.with_name(archive.name + ".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name)
    partial.replace(archive)
    return archive
