"""Windows: an Inno Setup script for a per-machine install (Program Files, Start menu entry), compiled with
ISCC when Inno Setup is installed (on PATH or in its default folder). Not testable on the Linux CI machine:
the script is written and checked for its parts there; the README says how to build it on Windows."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from installer_build.plan import APP_NAME

ISS = """\
; Inno Setup script written by build_installer.py: a per-machine install of the one-folder build.
#define AppVersion "{version}"
[Setup]
AppId={{{{6C1E4B2A-9D1F-4E5B-8C33-ECRF00000001}}
AppName=ecrf
AppVersion={{#AppVersion}}
AppPublisher=ecrf
DefaultDirName={{autopf}}\\ecrf
DefaultGroupName=ecrf
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={output_dir}
OutputBaseFilename={base_name}
SetupIconFile={folder}\\_internal\\resources\\icons\\ecrf.ico
UninstallDisplayIcon={{app}}\\ecrf.exe
LicenseFile={folder}\\LICENSES\\Qt-and-PySide6.txt
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Files]
Source: "{folder}\\*"; DestDir: "{{app}}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{{autoprograms}}\\ecrf"; Filename: "{{app}}\\ecrf.exe"; Parameters: "gui"; \
IconFilename: "{{app}}\\_internal\\resources\\icons\\ecrf.ico"
Name: "{{autoprograms}}\\ecrf demo"; Filename: "{{app}}\\ecrf.exe"; Parameters: "gui --demo"; \
IconFilename: "{{app}}\\_internal\\resources\\icons\\ecrf.ico"
"""


def write_iss(folder: Path, version: str, output_dir: Path, base_name: str) -> Path:
    """ecrf.iss beside the folder, naming the folder and the setup file to make (base_name.exe)."""
    script = folder.parent / f"{APP_NAME}.iss"
    script.write_text(ISS.format(version=version, folder=folder, output_dir=output_dir, base_name=base_name),
                      encoding="utf-8")
    return script


def find_iscc() -> Path | None:
    """Inno Setup's compiler: on PATH, or in its default install folder."""
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
        candidate = Path(base or "") / "Inno Setup 6" / "ISCC.exe"
        if base and candidate.is_file():
            return candidate
    return None


def compile_iss(script: Path) -> bool:
    """Runs ISCC on the script; False when Inno Setup is not installed (the script stays for later)."""
    iscc = find_iscc()
    if iscc is None:
        return False
    subprocess.run([str(iscc), "/Q", str(script)], check=True)
    return True
