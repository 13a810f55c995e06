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
INSTALL_DIR = "/opt/ecrf"  # where the README tells IT to unpack it for every user of the PC
DESKTOP_ENTRY = """\
[Desktop Entry]
Type=Application
Name=ecrf
GenericName=Electronic case report forms
Comment=Offline eCRF for clinical trials
Exec="{folder}/ecrf" gui
Icon={folder}/ecrf.png
Terminal=false
Categories=Office;MedicalSoftware;
"""
# For an unpacked folder elsewhere: writes the user's own menu entry pointing at wherever the folder is.
INSTALL_SCRIPT = r"""#!/bin/sh
# Adds ecrf to your applications menu, started from this folder (run it again after moving the folder).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case "$here" in *[\"\\\$\`\|]*)
    echo "cannot add a menu entry: move the folder to a path without \", \\, \$, \` or |" >&2; exit 1;;
esac
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
mkdir -p "$apps"
sed "s|INSTALL_DIR|$here|g" "$here/ecrf.desktop" > "$apps/ecrf.desktop"
echo "added $apps/ecrf.desktop (starts $here/ecrf gui)"
"""


def add_desktop_entry(folder: Path) -> None:
    """ecrf.png, ecrf.desktop for a folder unpacked as /opt/ecrf (copy it to /usr/share/applications), and
    install-desktop-entry.sh, which makes the user's own menu entry for the folder wherever it is."""
    shutil.copy2(ICON_PNG, folder / "ecrf.png")
    (folder / f"{APP_NAME}.desktop").write_text(DESKTOP_ENTRY.format(folder=INSTALL_DIR), encoding="utf-8")
    script = folder / "install-desktop-entry.sh"
    script.write_text(INSTALL_SCRIPT.replace("INSTALL_DIR", INSTALL_DIR), encoding="utf-8")
    script.chmod(0o755)


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
