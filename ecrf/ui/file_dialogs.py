"""Every file and folder dialog of the app, through one helper: removable drives (the USB stick a backup or a
bundle goes to) are in the sidebar and are the first choice, and each kind of dialog (export, backup, restore,
import) starts where it was last used, remembered in the UI settings.

Where removable media are mounted: Linux /media/$USER/* and /run/media/$USER/* (udisks), macOS /Volumes/*
(the start-up disk there is a link to /, left out), Windows the drive letters whose type is "removable"."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QStorageInfo, QUrl
from PySide6.QtWidgets import QFileDialog, QWidget

from ecrf.ui.settings import AppSettings

DRIVE_REMOVABLE = 2  # GetDriveTypeW's answer for a USB stick or a card reader


def removable_places() -> list[Path]:
    """The mount points of removable media on this computer now, sorted (empty when there are none)."""
    if sys.platform == "win32":
        return _removable_windows_drives()
    found: list[Path] = []
    for root in mount_roots():
        try:
            found += [p for p in root.iterdir() if p.is_dir() and not p.is_symlink()]
        except OSError:  # no such folder, or not ours to read: no removable media there
            continue
    return sorted(found)


def mount_roots() -> list[Path]:
    """The folders whose sub-folders are removable media (Linux and macOS)."""
    if sys.platform == "darwin":
        return [Path("/Volumes")]
    user = _user_name()
    return [Path("/media") / user, Path("/run/media") / user] if user else []


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): nothing mounted for "us" then
        return ""


def _removable_windows_drives() -> list[Path]:
    import ctypes  # Windows only: the drive type is not among what QStorageInfo tells

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # Windows only; mypy checks as on Linux
    found = []
    for volume in QStorageInfo.mountedVolumes():
        root = volume.rootPath()  # "E:/"; the API wants "E:\\"
        if not (volume.isValid() and volume.isReady()):
            continue
        if kernel32.GetDriveTypeW(root.replace("/", "\\")) == DRIVE_REMOVABLE:
            found.append(Path(root))
    return sorted(found)


def documents_folder() -> Path:
    """The user's Documents folder, else home: the start when no folder was remembered and no drive is in."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def start_folder(kind: str, settings: AppSettings | None = None) -> Path:
    """Where a dialog of `kind` opens: the folder it was last used in (if it is still there, i.e. the drive
    is in), else the first removable drive, else Documents."""
    remembered = (settings or AppSettings()).last_folder(kind)
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    places = removable_places()
    return places[0] if places else documents_folder()


def _dialog(parent: QWidget | None, title: str, start: Path) -> QFileDialog:
    dialog = QFileDialog(parent, title, str(start))
    places = [QUrl.fromLocalFile(str(p)) for p in removable_places()]
    dialog.setSidebarUrls(places + [u for u in dialog.sidebarUrls() if u not in places and _still_there(u)])
    return dialog


def _still_there(url: QUrl) -> bool:
    """Qt remembers the sidebar between runs: a stick pulled out last week would stay as a dead entry, and a
    ward PC sees many sticks. Keep what still exists (and Qt's own non-file places, such as "Computer")."""
    local = url.toLocalFile() if url.isLocalFile() else ""
    return not local or Path(local).is_dir()


def _chosen(dialog: QFileDialog, kind: str, settings: AppSettings) -> Path | None:
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    settings.remember_folder(kind, str(path if dialog.fileMode() == QFileDialog.FileMode.Directory else path.parent))
    return path


def ask_save_file(parent: QWidget | None, kind: str, title: str, suggested_name: str, file_filter: str,
                  settings: AppSettings | None = None) -> Path | None:
    """A new file to write (`suggested_name` in the start folder); None when cancelled."""
    settings = settings or AppSettings()
    dialog = _dialog(parent, title, start_folder(kind, settings))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(file_filter)
    dialog.selectFile(suggested_name)
    return _chosen(dialog, kind, settings)


def ask_open_file(parent: QWidget | None, kind: str, title: str, file_filter: str,
                  settings: AppSettings | None = None) -> Path | None:
    """An existing file to read; None when cancelled."""
    settings = settings or AppSettings()
    dialog = _dialog(parent, title, start_folder(kind, settings))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(file_filter)
    return _chosen(dialog, kind, settings)


def ask_folder(parent: QWidget | None, kind: str, title: str, start: Path | None = None,
               settings: AppSettings | None = None) -> Path | None:
    """An existing folder; None when cancelled."""
    settings = settings or AppSettings()
    dialog = _dialog(parent, title, start or start_folder(kind, settings))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return _chosen(dialog, kind, settings)
