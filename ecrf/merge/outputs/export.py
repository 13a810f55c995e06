"""`export_merged`: the whole merged data set into a new folder, or nothing.

The files are written into a hidden folder beside the target (`.NAME.partial-…`) and that folder is renamed to
the target only when every file and both manifests are complete and on the disk, so a folder with the target's
name is always a whole data set; a failure removes the partial folder. An existing folder is used only if it is
empty (never overwritten), and the run reads the sources table again at the end: if a merge changed the central
database meanwhile, the set would mix two states, so it is thrown away with a message to run again.
"""
from __future__ import annotations

import errno
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from ecrf.export.bundle import layout
from ecrf.merge.central.db import central_name, open_central
from ecrf.merge.outputs.csv_files import write_csv_files
from ecrf.merge.outputs.errors import MergedOutputError
from ecrf.merge.outputs.manifest import MANIFEST_JSON, MANIFEST_TXT, write_manifests
from ecrf.merge.outputs.odm_file import write_merged_odm
from ecrf.merge.outputs.sources import Source, as_utc, merged_sources, newest_as_of
from ecrf.merge.outputs.xpt_files import write_xpt_files
from ecrf.study.model import Study

Progress = Callable[[str], None]


@dataclass(frozen=True)
class MergedExport:
    folder: Path
    sources: list[Source]
    files: dict[str, str]  # path inside the folder -> SHA-256
    data_as_of: str


def export_merged(central: str | Path, out: Path, study: Study, app_version: str,
                  progress: Progress | None = None) -> MergedExport:
    """Write the merged data set of the central database `central` (path or URL) into the new folder `out`;
    `progress` is told each step as it starts."""
    out = Path(out).expanduser().absolute()
    _check_target(out)
    database = central_name(central)
    engine = open_central(central, create=False)
    try:
        with engine.connect() as conn:
            sources = merged_sources(conn, study, database)
            try:
                files = _write_whole(conn, study, sources, out, database, app_version, progress)
            except OSError as exc:
                raise _write_error(exc, out) from None
    finally:
        engine.dispose()
    return MergedExport(out, sources, files, newest_as_of(sources))


def _write_whole(conn: Connection, study: Study, sources: list[Source], out: Path, database: str,
                 app_version: str, progress: Progress | None) -> dict[str, str]:
    """Everything into a hidden folder beside `out`, renamed to `out` once whole and on the disk; on any failure
    the hidden folder is removed."""
    staging = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:12]}"
    staging.mkdir()  # mode as for any new folder (mkdtemp would make it private to this account)
    try:
        files = _write_all(conn, study, sources, staging, app_version, progress)
        if merged_sources(conn, study, database) != sources:
            raise MergedOutputError("merged-changed-during-export", database=database)
        _sync(staging, files)
        _check_target(out)
        if out.is_dir():
            out.rmdir()  # empty, checked just above
        staging.rename(out)
        _sync_folder(out.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return files


def _write_error(exc: OSError, out: Path) -> MergedOutputError:
    """Said of the folder the user named, never of the hidden folder the set is first written into."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return MergedOutputError("merged-out-read-only", folder=out.parent)
    return MergedOutputError("merged-out-write-failed", folder=out, reason=exc.strerror or exc)


def _write_all(conn: Connection, study: Study, sources: list[Source], folder: Path, app_version: str,
               progress: Progress | None) -> dict[str, str]:
    tell = progress or (lambda _step: None)
    tell("CSV files")
    paths = write_csv_files(conn, study, sources, folder)
    tell("ODM file")
    write_merged_odm(conn, sources, folder / layout.ODM, app_version)
    paths.append(layout.ODM)
    tell("SAS transport files")
    paths += write_xpt_files(conn, study, sources, folder, as_utc(newest_as_of(sources)))
    tell("manifests")
    return write_manifests(folder, paths, sources, study.info.oid, study.fingerprint, app_version)


def _sync(folder: Path, files: dict[str, str]) -> None:
    """Every file on the disk before the rename, so that after a power cut a folder named DIR is never one whose
    files were still in the cache."""
    for path in (*files, MANIFEST_TXT, MANIFEST_JSON):
        with (folder / path).open("rb") as handle:
            os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """The rename itself on the disk (POSIX; Windows has no handle on a folder to flush)."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise MergedOutputError("merged-out-not-folder", path=out)
    if out.is_dir() and any(out.iterdir()):
        raise MergedOutputError("merged-out-not-empty", path=out)
    if not out.parent.is_dir():
        raise MergedOutputError("merged-out-parent-missing", folder=out.parent)
    # An empty folder is replaced by the finished one: a read-only folder must not be replaced by a writable one.
    if out.is_dir() and not os.access(out, os.W_OK):
        raise MergedOutputError("merged-out-read-only", folder=out)
    if not os.access(out.parent, os.W_OK):
        raise MergedOutputError("merged-out-read-only", folder=out.parent)
