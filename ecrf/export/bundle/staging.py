"""Where an export's clear text waits to be zipped: a private folder on this PC, never the output medium.

The parts write the CSV files, `odm.xml` and the PDFs in clear before the zip exists. On a USB stick a
killed export would leave them there for whoever finds the stick, so they are staged under the app's data
folder (`<data dir>/export-staging/<token>/`, mode 0700) and only the finished zip goes to the output folder.

A killed export still leaves its staging folder behind, on this PC, and maybe its unfinished zip
(`.<bundle name>.<token>.partial`) in the output folder. Every export starts by removing what is stale: the
staging folders and unfinished zips that no running export holds, and the hidden `.ecrf-export-*.partial`
staging folders that versions before this one left in the output folder. A running export holds an OS lock
on `<token>.lock` beside its folder from the start until its zip is published or discarded; the OS drops it
when the process dies, so "not locked" is exactly "left behind by an export that is over".
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from pathlib import Path

from filelock import FileLock, Timeout

from ecrf.paths import data_dir

STAGING_FOLDER = "export-staging"
LOCK_SUFFIX = ".lock"
PARTIAL_SUFFIX = ".partial"
_TOKEN = re.compile(r"^[0-9a-f]{12}$")
_OLD_STAGING = re.compile(r"^\.ecrf-export-[0-9a-f]{32}\.partial$")  # in the output folder, before this version
_PARTIAL_ZIP = re.compile(r"^\.(?P<name>.+\.zip)\.(?P<token>[0-9a-f]+)\.partial$")


def default_staging_root() -> Path:
    return data_dir() / STAGING_FOLDER


class Staging:
    """One export's private folder, held (locked) from creation until `release()`."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # the data folder's own permissions already keep others out
            root.chmod(0o700)
        self.token = uuid.uuid4().hex[:12]
        self._lock = FileLock(root / f"{self.token}{LOCK_SUFFIX}", timeout=0)
        self._lock.acquire()  # before the folder exists, so a cleanup never sees it unheld
        self.folder = root / self.token
        try:
            self.folder.mkdir(mode=0o700)
        except BaseException:
            self.release()
            raise

    def partial_name(self, final_name: str) -> str:
        """The hidden name of the unfinished zip in the output folder, tied to this export's lock."""
        return f".{final_name}.{self.token}{PARTIAL_SUFFIX}"

    def remove_folder(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def release(self) -> None:
        """The export is over (published, discarded or failed): nothing of it is held any more."""
        self.remove_folder()
        if self._lock.is_locked:
            self._lock.release()
        with contextlib.suppress(OSError):
            Path(self._lock.lock_file).unlink()


def remove_stale(root: Path, out_dir: Path, bundle_prefix: str) -> None:
    """Remove what exports that are over left behind: staging folders in `root`, old-style staging folders
    in `out_dir`, and unfinished zips in `out_dir` whose name starts with `bundle_prefix` (this site's)."""
    for entry in _entries(out_dir):
        if _OLD_STAGING.match(entry.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        found = _PARTIAL_ZIP.match(entry.name)
        if found and found["name"].startswith(bundle_prefix) and entry.is_file() and _unheld(root, found["token"]):
            with contextlib.suppress(OSError):
                entry.unlink()
    tokens = {entry.name.removesuffix(LOCK_SUFFIX) for entry in _entries(root)}
    for token in sorted(t for t in tokens if _TOKEN.match(t)):
        _remove_if_unheld(root, token)


def _remove_if_unheld(root: Path, token: str) -> None:
    lock = FileLock(root / f"{token}{LOCK_SUFFIX}", timeout=0)
    try:
        lock.acquire()
    except Timeout:
        return  # a running export holds it
    except OSError:
        return  # cannot even open its lock file: leave it rather than guess
    try:
        shutil.rmtree(root / token, ignore_errors=True)
    finally:
        lock.release()
        with contextlib.suppress(OSError):
            os.unlink(root / f"{token}{LOCK_SUFFIX}")


def _unheld(root: Path, token: str) -> bool:
    """No running export on this PC holds `token` (an unfinished zip with no lock file is unheld too)."""
    if not (root / f"{token}{LOCK_SUFFIX}").exists():
        return True
    lock = FileLock(root / f"{token}{LOCK_SUFFIX}", timeout=0)
    try:
        lock.acquire()
    except (Timeout, OSError):
        return False
    lock.release()
    return True


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []
